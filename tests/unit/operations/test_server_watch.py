"""A desktop on a team server hears when a colleague saves (LISTEN/NOTIFY), and not its own."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time

from bvdesk.operations import editing
from bvdesk.operations.landlord import init_database
from bvdesk.operations.reviews import create_review
from bvdesk.operations.team import watch
from bvdesk.store.db import Database

_COLLEAGUE = textwrap.dedent("""
    import sys
    from bvdesk.operations import editing
    from bvdesk.store.db import Database

    with Database.open(sys.argv[1]) as db:
        editing.update_field(db, "review", int(sys.argv[2]), "title", "Renamed by a colleague")
""")


def test_a_colleagues_save_is_heard_and_our_own_is_not(empty_server_db: str) -> None:
    with init_database(empty_server_db, "Test Homes", "TST") as db:
        review_id = create_review(db, "repairs", "Repairs review")
    heard: list[frozenset[str]] = []
    stopping = threading.Event()
    with Database.open(empty_server_db) as db:
        listener = threading.Thread(target=watch, args=(db, heard.append, stopping.is_set))
        listener.start()
        try:
            time.sleep(0.5)  # listening
            editing.update_field(db, "review", review_id, "scope", "Our own change")
            subprocess.run([sys.executable, "-c", _COLLEAGUE, empty_server_db, str(review_id)],
                           check=True, timeout=60)
            deadline = time.monotonic() + 10
            while not heard and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            stopping.set()
            listener.join(timeout=5)
    assert heard[:1] == [frozenset({"review"})]
    assert len(heard) == 1 and not listener.is_alive()
