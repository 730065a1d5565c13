"""What a use case changed, read from the audit log, so that no caller has to say it.

Every write bvdesk makes is in the audit log, so the log's newest entry before and after a piece
of work tells which kinds of data it touched: the app runs each task between ``mark`` and
``topics_since`` and tells its screens, and a screen never announces a change by hand. On a
team server the answer includes what colleagues wrote in the meantime, which the screens want
to know too.
"""

from __future__ import annotations

from sqlalchemy import func, select

from bvdesk.store.db import Database
from bvdesk.store.models import AuditEntry

#: The topics a screen can listen for.
REVIEW = "review"
INDICATORS = "indicators"
SETTINGS = "settings"
PEERS = "peers"

_TOPIC_OF_TABLE = {
    **dict.fromkeys(("review", "review_indicator", "challenge_item", "consultation", "option",
                     "cost_line", "risk", "quality_criterion", "quality_score",
                     "appraisal_settings", "action", "judgement", "evidence", "team_member",
                     "signoff"), REVIEW),
    **dict.fromkeys(("indicator_value", "indicator", "organisation", "import_run",
                     "import_profile"), INDICATORS),
    **dict.fromkeys(("peer_group", "peer_group_member"), PEERS),
    "setting": SETTINGS,
}

#: Audit actions that record an event (a report or export written, with its digest) and change
#: no data.
_EVENTS = ("report", "export")


def mark(db: Database) -> int:
    """The newest audit entry's id now (0 for an empty log)."""
    with db.read() as session:
        return session.scalar(select(func.coalesce(func.max(AuditEntry.id), 0))) or 0


def topics_since(db: Database, before: int) -> frozenset[str]:
    """The topics of every data change logged after ``before``."""
    with db.read() as session:
        tables = session.scalars(select(AuditEntry.entity).distinct().where(
            AuditEntry.id > before, AuditEntry.action.not_in(_EVENTS)))
        return frozenset(_TOPIC_OF_TABLE.get(table, table) for table in tables)
