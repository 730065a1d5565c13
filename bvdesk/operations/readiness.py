"""Is a review ready to sign off? The one readiness check of the workspace, the CLI and sign-off.

It lists what is missing (each stage's "still needed" items, from ``operations.dashboard``) and
what contradicts itself (``domain.readiness`` run on the review document, whose baselines and live
figures ``review_snapshot`` has just read from the data). Sign-off refuses while anything is
outstanding unless the approver gives a reason for overriding it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bvdesk.domain.readiness import Finding, contradictions
from bvdesk.domain.vocabulary import Stage
from bvdesk.errors import InputRefused
from bvdesk.operations.dashboard import EARLIER_STAGES, review_needs
from bvdesk.operations.snapshot import review_snapshot
from bvdesk.store.db import Database


@dataclass(frozen=True, slots=True)
class Readiness:
    review_id: int
    missing: tuple[Finding, ...]
    contradictions: tuple[Finding, ...]

    @property
    def clean(self) -> bool:
        return not self.missing and not self.contradictions

    @property
    def outstanding(self) -> tuple[str, ...]:
        """Every finding as one line, contradictions first: what sign-off would override."""
        return tuple(f"{f.stage.label}: {f.text}" for f in (*self.contradictions, *self.missing))

    def to_json(self) -> dict[str, Any]:
        return {"review": self.review_id, "ready": self.clean,
                "contradictions": [f.to_json() for f in self.contradictions],
                "missing": [f.to_json() for f in self.missing]}

    def text(self) -> str:
        if self.clean:
            return (f"Review {self.review_id} is ready to sign off: nothing is missing and "
                    "nothing contradicts itself.")
        lines = [f"Review {self.review_id} is not ready to sign off:"]
        for title, findings in (("Contradicts itself or the data", self.contradictions),
                                ("Still needed", self.missing)):
            if findings:
                lines.append(f"{title} ({len(findings)}):")
                lines += [f"- {f.stage.label}: {f.text}" for f in findings]
        return "\n".join(lines)


class NotReady(InputRefused):
    """Sign-off refused: items are outstanding and no reason for overriding them was given."""

    def __init__(self, review_id: int, outstanding: tuple[str, ...]) -> None:
        count = "1 thing is" if len(outstanding) == 1 else f"{len(outstanding)} things are"
        self.listed = (f"Review {review_id} cannot be signed off yet: {count} outstanding.\n"
                       + "\n".join(f"- {item}" for item in outstanding))
        super().__init__(f"{self.listed}\nPut them right, or sign off with a reason for "
                         "overriding the readiness check.")
        self.outstanding = outstanding


def check_review(db: Database, review_id: int,
                 document: Mapping[str, Any] | None = None) -> Readiness:
    """What review ``review_id`` still needs and what in it contradicts itself or the data.

    ``document`` is the review's current snapshot when the caller has just built it.

    Raises:
        InputRefused: there is no such review.
    """
    if document is None:
        document = review_snapshot(db, review_id)
    needs = review_needs(db, review_id)
    missing = tuple(Finding(stage, text) for stage in Stage for text in needs.missing(stage)
                    if not text.startswith(EARLIER_STAGES))
    found = contradictions(document, compete_missing=len(needs.missing(Stage.COMPETE)))
    return Readiness(review_id, missing, tuple(found))
