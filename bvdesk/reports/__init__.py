"""PDF reports of a review, rendered from its snapshot (``bvdesk.operations.snapshot``).

Three editions: the regulator submission, the board paper and the tenant summary.
"""

from __future__ import annotations

from collections.abc import Callable

from bvdesk.domain.review_document import (
    ReviewDocument,
)
from bvdesk.domain.vocabulary import Edition
from bvdesk.reports.base import ReportRenderer
from bvdesk.reports.board import BoardPaper
from bvdesk.reports.regulator import RegulatorSubmission
from bvdesk.reports.tenant import TenantSummary

EDITIONS: dict[str, type[ReportRenderer]] = {
    Edition.REGULATOR.value: RegulatorSubmission,
    Edition.BOARD.value: BoardPaper,
    Edition.TENANT.value: TenantSummary,
}


def render(snapshot: ReviewDocument, edition: str, *,
           progress: Callable[[float], None] | None = None,
           cancelled: Callable[[], bool] | None = None) -> tuple[bytes, int]:
    """The PDF of ``edition`` and its page count.

    Raises:
        KeyError: an edition that does not exist.
        Cancelled: ``cancelled()`` became true while laying out.
    """
    renderer = EDITIONS[edition](snapshot)
    pdf = renderer.render(progress, cancelled)
    return pdf, renderer.pages
