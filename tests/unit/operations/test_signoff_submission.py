"""The submission signed off is the one delivered later: its PDF is kept at sign-off and every
way of asking for it (the app's preview and Save PDF, bvdesk report, bvdesk review submission)
gives those bytes, whatever the report code prints by then. Older sign-offs, made before the
PDF was kept, still render from their frozen snapshot."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from engines import raw_sql
from pypdf import PdfReader

from bvdesk.cli import main
from bvdesk.operations.reports import render_bytes, render_report
from bvdesk.operations.signoff import (
    reopen,
    sign_off,
    signed_off_pdf,
    signed_off_snapshot,
)
from bvdesk.reports import render
from bvdesk.store.db import Database, alembic_config

REVIEW = 1
#: Demo reviews are not complete: sign-off needs a reason to override the readiness check.
INTERIM = "Interim sign-off for the test"


def _kept(location: Path | str, version: int = 1) -> tuple[bytes | None, int | None]:
    (pdf, pages), = raw_sql(location, "SELECT submission, submission_pages FROM signoff "
                                      "WHERE review_id = ? AND version = ?", (REVIEW, version))
    return (bytes(pdf) if pdf is not None else None), pages


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_sign_off_keeps_the_submission_and_logs_its_hash(demo_db_path: Path | str) -> None:
    with Database.open(demo_db_path) as db:
        sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
        rendered, pages = render(signed_off_snapshot(db, REVIEW), "regulator")
    kept, kept_pages = _kept(demo_db_path)
    assert kept == rendered and kept_pages == pages == _pages(rendered)
    digest = "sha256:" + hashlib.sha256(rendered).hexdigest()
    assert raw_sql(demo_db_path, "SELECT action, entity FROM audit_log WHERE field = "
                                 "'submission' AND new = ?", (digest,)) == [("insert", "signoff")]


def test_the_submission_delivered_later_is_the_one_signed_off(demo_db_path: Path | str,
                                                              tmp_path: Path) -> None:
    with Database.open(demo_db_path) as db:
        sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
        # What the version signed off printed may differ from what this bvdesk prints for the
        # same snapshot (the report code changes): here another document stands for it.
        earlier, earlier_pages = render_bytes(db, REVIEW, "board")
    raw_sql(demo_db_path, "UPDATE signoff SET submission = ?, submission_pages = ? "
                          "WHERE review_id = ?", (earlier, earlier_pages, REVIEW))

    with Database.open(demo_db_path) as db:
        assert render_bytes(db, REVIEW, "regulator") == (earlier, earlier_pages)  # the preview
        saved = render_report(db, REVIEW, "regulator", tmp_path / "saved.pdf")  # Save PDF
        assert (saved.pages, saved.version, saved.signed_off) == (earlier_pages, 1, True)
        assert signed_off_pdf(db, REVIEW) == (earlier, earlier_pages)
    assert (tmp_path / "saved.pdf").read_bytes() == earlier
    db_arg = ["--db", str(demo_db_path)]
    assert main(["review", "submission", str(REVIEW), "-o", str(tmp_path / "s.pdf"),
                 *db_arg]) == 0
    assert main(["report", str(REVIEW), "--edition", "regulator", "-o",
                 str(tmp_path / "r.pdf"), *db_arg]) == 0
    assert (tmp_path / "s.pdf").read_bytes() == (tmp_path / "r.pdf").read_bytes() == earlier


def test_each_version_keeps_its_own_submission(demo_db_path: Path | str) -> None:
    with Database.open(demo_db_path) as db:
        sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
        first = signed_off_pdf(db, REVIEW)
        reopen(db, REVIEW, "Sam Lead", "Board asked for another option")
        sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
        assert signed_off_pdf(db, REVIEW, 1) == first
        assert signed_off_pdf(db, REVIEW) != first
    assert _kept(demo_db_path, 1) == first
    assert _kept(demo_db_path, 2)[0] is not None


def test_a_sign_off_from_before_submissions_were_kept_renders_from_its_snapshot(
        demo_db_path: Path | str, tmp_path: Path) -> None:
    from alembic import command

    with Database.open(demo_db_path) as db:
        sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
        with db.engine.begin() as connection:  # back to the schema before this sign-off kept it
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0006")

    with Database.open(demo_db_path) as db:  # upgraded as it opens
        assert _kept(demo_db_path) == (None, None)
        pdf, pages = signed_off_pdf(db, REVIEW)
        assert (pdf, pages) == render(signed_off_snapshot(db, REVIEW), "regulator")
        assert render_bytes(db, REVIEW, "regulator") == (pdf, pages)
    assert _kept(demo_db_path) == (None, None)  # rendering it now keeps nothing
    assert main(["review", "submission", str(REVIEW), "-o", str(tmp_path / "old.pdf"),
                 "--db", str(demo_db_path)]) == 0
    assert (tmp_path / "old.pdf").read_bytes() == pdf


def test_the_kept_submission_moves_with_the_database(demo_db_path: Path | str,
                                                      tmp_path: Path) -> None:
    from bvdesk.operations.transfer import transfer

    with Database.open(demo_db_path) as db:
        sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
    kept = _kept(demo_db_path)
    copy = tmp_path / "copy.bvdesk"
    transfer(demo_db_path, copy)
    assert _kept(copy) == kept
    with Database.open(copy, write=False) as db:
        assert signed_off_pdf(db, REVIEW) == kept
