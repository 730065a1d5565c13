"""The fixed vocabularies of a Best Value review, shared by every layer.

Each enum's value is what the database and the JSON output store; ``label`` is what a person reads.
"""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A vocabulary: each member has a ``label`` a person reads."""

    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " ").capitalize())

    @classmethod
    def parse(cls, text: str) -> Labelled:
        """Match a value or a label, ignoring case, spaces, hyphens and underscores."""
        key = _squash(text)
        for member in cls:
            if key in (_squash(member.value), _squash(member.label)):
                return member
        allowed = ", ".join(m.label for m in cls)
        raise ValueError(f"'{text}' is not one of: {allowed}")


def _squash(text: str) -> str:
    return "".join(ch for ch in str(text).lower() if ch.isalnum())


class Polarity(Labelled):
    HIGHER = "higher"
    LOWER = "lower"


class Unit(Labelled):
    PERCENT = "percent"
    DAYS = "days"
    POUNDS = "pounds"
    COUNT = "count"
    SAP = "sap"
    YES_NO = "yes_no"

    @property
    def symbol(self) -> str:
        return {"percent": "%", "days": "days", "pounds": "£", "count": "", "sap": "SAP",
                "yes_no": ""}[self.value]


class OrganisationType(Labelled):
    HOUSING_ASSOCIATION = "housing_association"
    LSVT = "lsvt"
    ALMO = "almo"
    COUNCIL = "council"
    OTHER = "other"

    @classmethod
    def from_text(cls, text: str) -> OrganisationType:
        """The kind of landlord a club workbook names, by its value, its label or a usual name
        ('RSL', 'Stock transfer', 'Local authority'...), ignoring case and punctuation.

        Raises:
            ValueError: a kind bvdesk does not know.
        """
        found = _ORGANISATION_WORDS.get(_squash(text))
        if found is not None:
            return found
        return cls(cls.parse(text))


class StockBand(Labelled):
    UNDER_1000 = "under_1000"
    FROM_1000 = "1000_2499"
    FROM_2500 = "2500_4999"
    FROM_5000 = "5000_9999"
    OVER_10000 = "10000_plus"

    @classmethod
    def for_homes(cls, homes: int) -> StockBand:
        if homes < 1000:
            return cls.UNDER_1000
        if homes < 2500:
            return cls.FROM_1000
        if homes < 5000:
            return cls.FROM_2500
        if homes < 10000:
            return cls.FROM_5000
        return cls.OVER_10000


class Stage(Labelled):
    """The review workspace's stages, in order."""

    SCOPE = "scope"
    CHALLENGE = "challenge"
    COMPARE = "compare"
    CONSULT = "consult"
    COMPETE = "compete"
    IMPROVEMENT_PLAN = "improvement_plan"
    SELF_ASSESSMENT = "self_assessment"
    SIGN_OFF = "sign_off"

    @property
    def position(self) -> int:
        return list(Stage).index(self)


class OptionKind(Labelled):
    IN_HOUSE = "in_house"
    IMPROVED_IN_HOUSE = "improved_in_house"
    EXTERNAL = "external"
    PARTIAL_MARKET_TEST = "partial_market_test"
    PARTNERSHIP = "partnership"
    SHARED_SERVICE = "shared_service"
    CEASE = "cease"

    @property
    def is_in_house(self) -> bool:
        return self in (OptionKind.IN_HOUSE, OptionKind.IMPROVED_IN_HOUSE)

    @property
    def is_externally_tested(self) -> bool:
        """Options that put at least part of the service to the market."""
        return self in (OptionKind.EXTERNAL, OptionKind.PARTIAL_MARKET_TEST,
                        OptionKind.PARTNERSHIP, OptionKind.SHARED_SERVICE)


class CostCategory(Labelled):
    STAFF = "staff"
    MATERIALS = "materials"
    VEHICLES_PREMISES = "vehicles_premises"
    OVERHEADS_AVOIDABLE = "overheads_avoidable"
    OVERHEADS_STRANDED = "overheads_stranded"
    CONTRACT_PRICE = "contract_price"
    CLIENT_SIDE = "client_side"
    PROCUREMENT = "procurement"
    STAFF_TRANSFER = "staff_transfer"
    REDUNDANCY = "redundancy"
    MOBILISATION = "mobilisation"
    IMPROVEMENT_INVESTMENT = "improvement_investment"
    OTHER = "other"


class VatTreatment(Labelled):
    NONE = "none"
    RECOVERABLE = "recoverable"
    IRRECOVERABLE = "irrecoverable"


class Rag(Labelled):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    COMPLETE = "complete"


class Prospects(Labelled):
    POOR = "poor"
    UNCERTAIN = "uncertain"
    PROMISING = "promising"
    EXCELLENT = "excellent"

    @classmethod
    def parse(cls, text: str) -> Prospects:
        # The 2001 label "good" is a legacy alias of "promising".
        if _squash(text) == "good":
            return cls.PROMISING
        return super().parse(text)  # type: ignore[return-value]


class ConsultMethod(Labelled):
    POSTAL_SURVEY = "postal_survey"
    TELEPHONE_SURVEY = "telephone_survey"
    FOCUS_GROUP = "focus_group"
    CUSTOMER_PANEL = "customer_panel"
    MYSTERY_SHOPPING = "mystery_shopping"
    PUBLIC_MEETING = "public_meeting"
    COMPLAINTS_ANALYSIS = "complaints_analysis"
    OTHER = "other"


class Edition(Labelled):
    """The documents a review is printed as."""

    REGULATOR = "regulator"
    BOARD = "board"
    TENANT = "tenant"


class PriceSource(Labelled):
    """Where an external option's price comes from."""

    QUOTE = "quote"
    TENDER = "tender"
    SOFT_MARKET_TEST = "soft_market_test"
    ESTIMATE = "estimate"


class PriceMethod(Labelled):
    RELATIVE = "relative"
    LINEAR = "linear"


#: Usual names of the kinds of landlord, squashed (see ``OrganisationType.from_text``).
_ORGANISATION_WORDS = {
    **dict.fromkeys(("ha", "rsl", "rp", "prp", "association", "registeredsociallandlord",
                     "registeredprovider", "privateregisteredprovider", "housingassociations"),
                    OrganisationType.HOUSING_ASSOCIATION),
    **dict.fromkeys(("stocktransfer", "largescalevoluntarytransfer", "transferassociation",
                     "lsvtassociation", "stocktransferassociation"), OrganisationType.LSVT),
    **dict.fromkeys(("armslengthmanagementorganisation", "armslengthmanagementorganization",
                     "armslengthorganisation"), OrganisationType.ALMO),
    **dict.fromkeys(("la", "localauthority", "authority", "boroughcouncil", "districtcouncil",
                     "citycouncil", "countycouncil", "localhousingauthority"),
                    OrganisationType.COUNCIL),
}

STAR_LABELS = {0: "Poor", 1: "Fair", 2: "Good", 3: "Excellent"}

_LABELS: dict[StrEnum, str] = {
    Polarity.HIGHER: "Higher is better",
    Polarity.LOWER: "Lower is better",
    Unit.PERCENT: "%",
    Unit.POUNDS: "£",
    Unit.SAP: "SAP points",
    Unit.YES_NO: "Yes/No",
    OrganisationType.LSVT: "LSVT",
    OrganisationType.ALMO: "ALMO",
    StockBand.UNDER_1000: "Under 1,000",
    StockBand.FROM_1000: "1,000-2,499",
    StockBand.FROM_2500: "2,500-4,999",
    StockBand.FROM_5000: "5,000-9,999",
    StockBand.OVER_10000: "10,000+",
    OptionKind.IN_HOUSE: "In-house (status quo)",
    OptionKind.IMPROVED_IN_HOUSE: "Improved in-house",
    OptionKind.EXTERNAL: "External contract",
    OptionKind.PARTIAL_MARKET_TEST: "Partial market test",
    OptionKind.PARTNERSHIP: "Partnership / joint venture / subsidiary",
    OptionKind.CEASE: "Cease the service",
    CostCategory.VEHICLES_PREMISES: "Vehicles and premises",
    CostCategory.OVERHEADS_AVOIDABLE: "Allocated overheads (avoidable)",
    CostCategory.OVERHEADS_STRANDED: "Overheads (stranded)",
    CostCategory.CLIENT_SIDE: "Client-side contract management",
    CostCategory.STAFF_TRANSFER: "Staff transfer and pensions",
    CostCategory.MOBILISATION: "Mobilisation and dual running",
    CostCategory.IMPROVEMENT_INVESTMENT: "Improvement investment",
    VatTreatment.IRRECOVERABLE: "Irrecoverable",
    Stage.SELF_ASSESSMENT: "Self-assessment",
    Stage.SIGN_OFF: "Sign-off",
    Edition.REGULATOR: "Regulator submission",
    Edition.BOARD: "Board paper",
    Edition.TENANT: "Tenant summary",
    PriceSource.QUOTE: "Quotation",
    PriceSource.TENDER: "Tender",
    PriceSource.SOFT_MARKET_TEST: "Soft market test",
    PriceSource.ESTIMATE: "Our own estimate",
    Rag.RED: "Red",
    Rag.AMBER: "Amber",
    Rag.GREEN: "Green",
}
