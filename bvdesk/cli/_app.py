"""``bvdesk`` with no command: the desktop app (or its self-test)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bvdesk.paths import default_database


def launch(args: argparse.Namespace) -> int:
    """Open the app on ``--db``, ``BVDESK_DB`` or the default database; return the exit status.

    The default database's folder is created if needed; a missing file opens the welcome screen,
    from which the user creates a landlord or opens the demo.
    """
    if getattr(args, "self_test", False):
        from bvdesk.ui import selftest

        return int(selftest.run())
    import os

    named = getattr(args, "db", None) or os.environ.get("BVDESK_DB")
    if named and named.lower().startswith(("postgresql://", "postgres://")):
        from bvdesk.ui.app import run

        return run(named)  # a team server's database
    db_path = Path(args.db) if getattr(args, "db", None) else default_database()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    from bvdesk.ui.app import run

    return run(db_path)
