"""What the command line says agrees in number: '1 activity', never '1 activities'."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bvdesk.operations import editing
from bvdesk.operations.reviews import create_review
from bvdesk.store.db import Database


def test_review_show_says_1_activity_1_option_1_action_1_file(tmp_db_path: Path,
                                                              tmp_path: Path) -> None:
    db = Database.open(tmp_db_path, write=True, user="tester")
    review_id = create_review(db, "repairs", "Repairs review")
    for entity in ("consultation", "option", "action"):
        editing.add_row(db, entity, review_id)
    (tmp_path / "minutes.txt").write_text("Board minutes", encoding="utf-8")
    editing.attach_evidence(db, review_id, tmp_path / "minutes.txt")
    db.close()
    shown = subprocess.run([sys.executable, "-m", "bvdesk", "review", "show", str(review_id),
                            "--db", str(tmp_db_path)], capture_output=True, text=True,
                           timeout=120)
    assert shown.returncode == 0, shown.stderr
    for noun in ("activity", "option", "action", "file"):
        assert re.search(rf"\b1 {noun}$", shown.stdout, re.MULTILINE), shown.stdout
    assert not re.search(r"\b1 \w+s$", shown.stdout, re.MULTILINE), shown.stdout
