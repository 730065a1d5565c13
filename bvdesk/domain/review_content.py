"""Standard content every review starts with: challenge questions and key lines of enquiry.

Sources: SI 1999/3251 art. 6(a)-(c), the Brighton & Hove review model, and the Audit Commission
housing KLOEs (domain.md sections 1.4 and 1.6).
"""

from __future__ import annotations

CHALLENGE_QUESTIONS: tuple[str, ...] = (
    "Should we provide this service at all? Is it a statutory, regulatory or tenancy "
    "obligation, or a promise we have made to tenants?",
    "What outcomes do tenants need, and what are the service's objectives? Are they clear and "
    "challenging?",
    "Why do we provide the service this way? Could it be packaged differently?",
    "Could someone else provide all or part of it: a contractor, another landlord, the council, "
    "a partnership or joint venture, a subsidiary?",
    "What does it cost per unit? What proportion is overhead, and which costs are avoidable?",
    "What would the service look like if we designed it from scratch?",
)

KLOES: tuple[str, ...] = (
    "Access and customer care",
    "Diversity",
    "Resident involvement",
    "Rent collection and arrears recovery",
    "Lettings and voids",
    "Tenancy and estate management / anti-social behaviour",
    "Responsive repairs and maintenance",
    "Stock investment and asset management",
    "Supported and sheltered housing",
    "Value for money",
    "Prospects for improvement",
)
