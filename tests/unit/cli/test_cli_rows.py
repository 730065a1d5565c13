"""bvdesk review rows / add / edit / delete: a review's records from the command line.

A new user found that a review could not be finished from the command line: nothing added its
team, answered its Challenge questions, recorded consultation, options, costs, actions or
judgements. These commands are the command-line face of the app's editing operations."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from engines import raw_sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlalchemy.orm import Session

from bvdesk.cli import main
from bvdesk.operations import editing
from bvdesk.store.db import Database
from bvdesk.store.models import Risk


def _run(capsys: pytest.CaptureFixture[str], db: Path | str, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["--db", str(db), *args])
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _ok(capsys: pytest.CaptureFixture[str], db: Path | str, *args: str) -> str:
    code, out, err = _run(capsys, db, *args)
    assert code == 0, (args, err)
    return out


def _add(capsys: pytest.CaptureFixture[str], db: Path | str, *args: str) -> int:
    return int(_ok(capsys, db, "review", "add", *args))


def _rows(capsys: pytest.CaptureFixture[str], db: Path | str, review: int, entity: str,
          *more: str) -> list[dict[str, Any]]:
    document = json.loads(_ok(capsys, db, "--json", "review", "rows", str(review), entity, *more))
    assert document["entity"] == entity
    rows: list[dict[str, Any]] = document["rows"]
    return rows


def _outstanding(capsys: pytest.CaptureFixture[str], db: Path | str, review: int) -> list[str]:
    _code, out, _err = _run(capsys, db, "--json", "check", "--review", str(review))
    return [f"{item['stage']}: {item['text']}" if isinstance(item, dict) else str(item)
            for key in ("contradictions", "missing") for item in json.loads(out)[key]]


def test_a_new_review_is_made_ready_to_sign_off_from_the_command_line(
        capsys: pytest.CaptureFixture[str], tmp_db_path: Path | str, tmp_path: Path) -> None:
    db = tmp_db_path
    review = int(_ok(capsys, db, "review", "new", "--service", "repairs", "--title",
                     "Repairs review", "--indicators", "BV212"))
    for field, value in (("scope", "Responsive repairs to 3,400 homes"),
                         ("objectives", "Repairs right first time"),
                         ("start_date", "01/04/2009"), ("end_date", "31/03/2010"),
                         ("board_approval_date", "20/04/2010"), ("board_minute_ref", "B/10/17"),
                         ("vfm_statement", "The service is value for money."),
                         ("stage", "sign_off")):
        _ok(capsys, db, "review", "set", str(review), field, value)

    # Scope: the team, with a tenant
    chair = _add(capsys, db, str(review), "team_member", "name=Helen Ashworth", "role=Chair")
    _add(capsys, db, str(review), "team_member", "name=Margaret Lewis",
         "role=Tenants' Forum", "is_tenant=yes")
    assert _rows(capsys, db, review, "team_member")[0] == {
        "id": chair, "name": "Helen Ashworth", "role": "Chair", "is_tenant": False}

    # Challenge: every question answered, and one of our own
    own = _add(capsys, db, str(review), "challenge_item", "question=Why so many recalls?")
    for item in _rows(capsys, db, review, "challenge_item"):
        _ok(capsys, db, "review", "edit", "challenge_item", str(item["id"]),
            f"answer=Answered for {item['id']}:\nsee the evidence pack.")
    assert _rows(capsys, db, review, "challenge_item")[-1]["id"] == own

    # Consult: a survey with its counts (issued before responses, whatever the order typed)
    survey = _add(capsys, db, str(review), "consultation", "method=postal survey",
                  "held_on=14/09/2009", "findings=Appointments missed")
    out = _ok(capsys, db, "review", "edit", "consultation", str(survey), "satisfied=301",
              "valid_answers=398", "responses=412", "issued=1,200", "population=3400",
              "changes=Appointments kept is now a criterion")
    assert "Issued changed from (empty) to 1,200." in out
    listed = _ok(capsys, db, "review", "rows", str(review), "consultation")
    assert "Method:" in listed and "Postal survey" in listed and "14/09/2009" in listed

    # Compete: three options with costs, settings and a criterion
    _add(capsys, db, str(review), "appraisal_settings", "base_date=01/04/2010",
         "period_years=10")
    options = [_add(capsys, db, str(review), "option", f"name={name}", f"kind={kind}", *more)
               for name, kind, *more in (("In-house", "in house"),
                                         ("Improved in-house", "improved in-house"),
                                         ("Contract", "external", "price_source=tender"))]
    for option in options:
        _add(capsys, db, str(review), "cost_line", "--option", str(option),
             "category=contract price" if option == options[2] else "category=staff",
             "amounts=0;2,300,000;2,300,000")
    assert _rows(capsys, db, review, "cost_line", "--option", str(options[0]))[0]["amounts"] == [
        0.0, 2300000.0, 2300000.0]
    _add(capsys, db, str(review), "risk", "--option", str(options[2]),
         "description=Contractor insolvency", "probability=5%", "impact=900000", "year=4")
    assert _rows(capsys, db, review, "risk")[0]["probability"] == pytest.approx(0.05)
    _add(capsys, db, str(review), "quality_criterion", "name=Appointments kept", "weight=25")

    # Improvement plan and self-assessment
    _add(capsys, db, str(review), "action", "title=Appointments by text", "owner=Tom Okafor",
         "due_date=31/03/2011", "deliverable=A text reminder service", "status=amber")
    _add(capsys, db, str(review), "judgement", "kloe=Responsive repairs and maintenance",
         "stars=1", "rationale=A fair service")
    _add(capsys, db, str(review), "judgement", "kloe=Prospects for improvement",
         "prospects=promising", "rationale=The plan is resourced")

    paper = tmp_path / "Repairs survey 2009.pdf"
    paper.write_bytes(b"%PDF-1.4 survey results")
    for number in (1, 2):
        _add(capsys, db, str(review), "evidence", f"file={paper}", "source=Survey team",
             "dated=30/09/2009", f"supports=judgement {number}")
    assert _rows(capsys, db, review, "evidence")[0]["title"] == "Repairs survey 2009"

    assert len(_outstanding(capsys, db, review)) == 3, "each option's quality score"
    for option, score in zip(options, ("6", "7.5", "8"), strict=True):
        _ok(capsys, db, "review", "add", str(review), "quality_score",
            "criterion=appointments KEPT", f"option={option}", f"score={score}")
    assert [row["score"] for row in _rows(capsys, db, review, "quality_score")] == [6, 7.5, 8]

    assert _outstanding(capsys, db, review) == []
    code, out, err = _run(capsys, db, "check", "--review", str(review))
    assert code == 0 and out.startswith(f"Review {review} is ready to sign off"), out + err


def test_every_entity_is_listed_added_edited_and_deleted(
        capsys: pytest.CaptureFixture[str], demo_db_path: Path | str) -> None:
    db = demo_db_path
    option = _rows(capsys, db, 1, "option")[0]["id"]
    examples = {
        "team_member": (["name=Sam"], ["role=Treasurer"], "Role:", "Treasurer"),
        "challenge_item": (["question=Why?"], ["answer=Because"], "Answer", "Because"),
        "consultation": (["method=focus group"], ["held_on=2009-10-07"], "Date:", "07/10/2009"),
        "option": (["name=Shared"], ["kind=shared service"], "Kind:", "Shared service"),
        "cost_line": (["category=materials"], ["vat=irrecoverable"], "VAT:", "Irrecoverable"),
        "risk": (["description=Strike"], ["probability=20%"], "Probability:", "20%"),
        "quality_criterion": (["name=Speed"], ["weight=1,250"], "Weight:", "1,250"),
        "action": (["title=Train staff"], ["status=red"], "Status:", "Red"),
        "judgement": (["kloe=Diversity"], ["stars=3"], "Stars (0-3):", "3 stars: excellent"),
    }
    for entity, (added, edited, label, shown) in examples.items():
        under = ["--option", str(option)] if entity in ("cost_line", "risk") else []
        row = _add(capsys, db, "1", entity, *added, *under)
        out = _ok(capsys, db, "review", "edit", entity, str(row), *edited)
        assert "changed from" in out, (entity, out)
        listing = _ok(capsys, db, "review", "rows", "1", entity, *under)
        block = listing.split("\n\n")[[r["id"] for r in _rows(capsys, db, 1, entity, *under)]
                                       .index(row)]
        assert label in block and shown in block, (entity, block)
        out = _ok(capsys, db, "review", "delete", entity, str(row))
        assert out.startswith("Deleted"), out
        assert row not in [r["id"] for r in _rows(capsys, db, 1, entity, *under)]

    action = str(_rows(capsys, db, 1, "action")[0]["id"])
    out = _ok(capsys, db, "review", "edit", "action", action, "indicator_id=bv73")
    assert out == f"Improvement action {action}: Linked indicator changed from APPT to BV73.\n"
    code, _out, err = _run(capsys, db, "review", "edit", "action", action, "indicator_id=BV66a")
    assert code == 1 and "the review has no indicator 'BV66a' linked (it has APPT" in err, err
    code, _out, err = _run(capsys, db, "review", "edit", "option", str(option),
                           "optimism_bias_pct=")
    assert code == 1 and "Optimism bias (%) cannot be empty." in err, err

    before = _rows(capsys, db, 1, "action")[0]
    code, out, err = _run(capsys, db, "review", "edit", "action", action, "owner=Priya Nair",
                          "baseline_value=80")
    assert (code, out) == (1, "") and "The baseline of this action comes from the data" in err
    assert _rows(capsys, db, 1, "action")[0] == before, "the owner is not saved"

    out = _ok(capsys, db, "review", "add", "1", "quality_score", "--option", str(option),
              "criterion=1", "score=")
    assert out.endswith(": score changed from 5 to (empty).\n"), out
    assert _rows(capsys, db, 1, "quality_score")[0] == {"criterion": 1, "option": option,
                                                        "score": None}
    code, _out, err = _run(capsys, db, "review", "add", "1", "quality_score",
                           "criterion=Speed", f"option={option}", "score=11")
    assert code == 1 and "score='11': A quality score cannot be more than 10." in err, err
    code, _out, err = _run(capsys, db, "review", "add", "1", "quality_score",
                           "criterion=Speed", f"option={option}", "score=1")
    assert code == 1 and "criterion='Speed': review 1 has no criterion of that name" in err

    actions = _rows(capsys, db, 1, "action")
    code, _out, err = _run(capsys, db, "review", "add", "1", "action", "title=Faster",
                           "indicator_id=BV73", "baseline_value=20")
    assert code == 1 and "The baseline of this action comes from the data" in err, err
    assert _rows(capsys, db, 1, "action") == actions
    row = _add(capsys, db, "1", "action", "title=Faster", "baseline_value=20",
               "baseline_year=2009")
    assert _rows(capsys, db, 1, "action")[-1]["baseline_year"] == 2009
    _ok(capsys, db, "review", "delete", "action", str(row))

    settings = _rows(capsys, db, 1, "appraisal_settings")[0]
    out = _ok(capsys, db, "review", "edit", "appraisal_settings", str(settings["id"]),
              "period_years=12")
    assert "Appraisal period (years) changed from 10 to 12." in out
    code, _out, err = _run(capsys, db, "review", "add", "1", "appraisal_settings",
                           "period_years=5")
    assert code == 1 and "has its appraisal settings already" in err
    evidence = _rows(capsys, db, 1, "evidence")
    assert evidence, "the demo's review holds evidence"
    out = _ok(capsys, db, "review", "edit", "evidence", str(evidence[0]["id"]), "source=Audit")
    assert "Source changed from" in out


def test_years_and_baselines_are_shown_as_the_documents_show_them(
        capsys: pytest.CaptureFixture[str], demo_db_path: Path | str) -> None:
    """A year field refused '2008/09' ('must be a number') and was listed as 'Target year: 2011';
    a baseline the data gives was listed as '-' beside the 88.3% the documents print."""
    from bvdesk.operations.snapshot import review_snapshot

    db = demo_db_path
    action = _add(capsys, db, "1", "action", "title=Fewer recalls", "baseline_year=2008/09",
                  "target_year=2011-12")
    out = _ok(capsys, db, "review", "edit", "action", str(action), "target_year=2012/2013")
    assert out == f"Improvement action {action}: Target year changed from 2011/12 to 2012/13.\n"
    _ok(capsys, db, "review", "edit", "action", str(action), "target_year=2012")
    assert _rows(capsys, db, 1, "action")[-1]["baseline_year"] == 2008
    code, _out, err = _run(capsys, db, "review", "edit", "action", str(action),
                           "baseline_year=2013/14")
    assert err == ("bvdesk: Baseline year (2013/14) cannot be more than target year "
                   "(2012/13).\n"), err

    listing = _ok(capsys, db, "review", "rows", "1", "action").split("\n\n")
    assert "  Baseline year:          2008/09\n" in listing[-1], listing[-1]
    assert "  Target year:            2012/13\n" in listing[-1], listing[-1]
    assert "  Target year:            2011/12\n" in listing[0], listing[0]
    assert ("  Baseline:               88.3%, from the data (APPT in the review's base year)\n"
            "  Baseline year:          2009/10, from the data\n"
            "  Target:                 97.0%\n") in listing[0], listing[0]
    with Database.open(db, write=False) as desk:
        printed = [(a["baseline_value"], a["baseline_year"]) for a in
                   review_snapshot(desk, 1)["actions"] if a["baseline_source"] == "data"]
    listed = [(row["data_baseline"]["value"], row["data_baseline"]["year"])
              for row in _rows(capsys, db, 1, "action") if row["data_baseline"]]
    assert listed == printed and (88.3, 2009) in listed

    # A baseline typed before the action was linked to an indicator gives way to the data's.
    _ok(capsys, db, "review", "edit", "action", str(action), "baseline_value=80")
    _ok(capsys, db, "review", "edit", "action", str(action), "indicator_id=APPT")
    last = _ok(capsys, db, "review", "rows", "1", "action").split("\n\n")[-1]
    assert ("  Baseline:               88.3%, from the data (APPT in the review's base year); "
            "typed 80, not used\n"
            "  Baseline year:          2009/10, from the data; typed 2008/09, not used\n") in last


def test_edit_messages_end_once_and_say_an_empty_value_as_review_set_does(
        capsys: pytest.CaptureFixture[str], demo_db_path: Path | str) -> None:
    db = demo_db_path
    action = _add(capsys, db, "1", "action", "title=Talk to the contractors")
    out = _ok(capsys, db, "review", "edit", "action", str(action),
              "deliverable=Meet the contractors.", "resources_gbp=5,000")
    assert out == (f"Improvement action {action}: Deliverable changed from (empty) to Meet the "
                   "contractors.\n"
                   f"Improvement action {action}: Resources (£) changed from (empty) to "
                   "5,000.\n"), out
    out = _ok(capsys, db, "review", "edit", "action", str(action), "deliverable=")
    assert out == (f"Improvement action {action}: Deliverable changed from Meet the "
                   "contractors. to (empty).\n"), out
    out = _ok(capsys, db, "review", "set", "1", "scope", "")
    assert out.startswith("Review 1: Scope changed from ") and out.endswith(" to (empty).\n")


def _logged(db: Path | str, table: str) -> list[tuple[Any, ...]]:
    """The audit log's entries for ``table``."""
    return raw_sql(db, "SELECT action, entity_id, field, old, new FROM audit_log WHERE entity = ? "
                       "ORDER BY id", (table,))


def test_an_edit_refused_at_its_third_field_saves_nothing_and_logs_nothing(
        capsys: pytest.CaptureFixture[str], demo_db_path: Path | str) -> None:
    db = demo_db_path
    before = _rows(capsys, db, 1, "action")[0]
    logged = _logged(db, "action")
    code, out, err = _run(capsys, db, "review", "edit", "action", str(before["id"]),
                          "owner=Priya Nair", "status=red", "baseline_value=80")
    assert (code, out) == (1, "") and "The baseline of this action comes from the data" in err
    assert _rows(capsys, db, 1, "action")[0] == before
    assert _logged(db, "action") == logged, "no change and its undo in the audit log"

    out = _ok(capsys, db, "review", "edit", "action", str(before["id"]), "owner=Priya Nair",
              "status=red", "deliverable=Text reminders")
    assert out.count("changed from") == 3, out
    assert sorted(field for _action, _row, field, _old, _new
                  in _logged(db, "action")[len(logged):]) == ["deliverable", "owner", "status"]


@pytest.fixture
def colleague_between_read_and_save(tmp_db_path: Path | str) -> Iterator[Database]:
    """Bob's desk, whose ``saves`` run (once, committed) just after the next session has read
    the risk they name: between a command's read of the row and its save."""
    with Database.open(tmp_db_path, write=False) as desk:
        desk.user, desk.clock = "bob", lambda: dt.datetime(2026, 12, 2, 9, 41, 7)
        desk.saves = []  # type: ignore[attr-defined]

        def hook(_session: Session, instance: object) -> None:
            if isinstance(instance, Risk) and desk.saves:  # type: ignore[attr-defined]
                desk.saves.pop()()  # type: ignore[attr-defined]

        event.listen(Session, "loaded_as_persistent", hook)
        try:
            yield desk
        finally:
            event.remove(Session, "loaded_as_persistent", hook)


def test_an_edit_a_colleague_saved_over_since_it_was_read_is_refused_whole(
        capsys: pytest.CaptureFixture[str], tmp_db_path: Path | str,
        colleague_between_read_and_save: Database) -> None:
    db, bob = tmp_db_path, colleague_between_read_and_save
    review = int(_ok(capsys, db, "review", "new", "--service", "repairs", "--title", "Repairs"))
    option = _add(capsys, db, str(review), "option", "name=In-house")
    risk = _add(capsys, db, str(review), "risk", "--option", str(option),
                "description=Contractor fails", "probability=10%")
    bob.saves.append(  # type: ignore[attr-defined]
        lambda: editing.update_field(bob, "risk", risk, "probability", "20%"))
    code, out, err = _run(capsys, db, "review", "edit", "risk", str(risk),
                          "description=Contractor goes bust", "impact=25,000", "probability=35%")
    assert (code, out) == (1, "")
    assert err == ("bvdesk: Probability (risk 'Contractor fails', option 'In-house') was changed "
                   "by bob on 2 December 2026 at 09:41 while you were editing it: bob saved "
                   "'0.2', you typed '0.35'. Nothing of yours was saved; choose which to "
                   "keep.\n"), err
    now = _rows(capsys, db, review, "risk")[0]
    assert (now["description"], now["impact"], now["probability"]) == (
        "Contractor fails", 0.0, 0.2)


def test_bad_values_name_the_field_and_the_value_and_change_nothing(
        capsys: pytest.CaptureFixture[str], demo_db_path: Path | str) -> None:
    db = demo_db_path
    before = _rows(capsys, db, 1, "consultation")[0]
    row = str(before["id"])
    for assignment, message in (("issued=lots", "issued='lots': Issued must be a number"),
                                ("held_on=31/02/2009", "held_on='31/02/2009': Date must be a date"),
                                ("method=carrier pigeon", "'carrier pigeon' is not one of"),
                                ("population=0", "population='0': Population surveyed from (N) "
                                                 "cannot be less than 1")):
        code, out, err = _run(capsys, db, "review", "edit", "consultation", row,
                              "findings=Changed", assignment)
        assert (code, out) == (1, ""), (assignment, err)
        assert message in err and "Nothing was saved." in err, err
    code, _out, err = _run(capsys, db, "review", "edit", "consultation", row,
                           "findings=Changed", "responses=5000")
    assert code == 1 and "Responses (5000) cannot be more than issued (1200)" in err, err
    assert _rows(capsys, db, 1, "consultation")[0] == before

    code, _out, err = _run(capsys, db, "review", "add", "1", "judgement", "stars=7")
    assert code == 1 and "stars='7': Stars (0-3) cannot be more than 3." in err, err
    code, _out, err = _run(capsys, db, "review", "edit", "team_member", "1", "colour=red")
    assert code == 1 and "A team member has no field 'colour' to set" in err
    assert "The fields are: name, role, is_tenant." in err
    code, _out, err = _run(capsys, db, "review", "edit", "team_member", "1", "role")
    assert code == 2 and "'role' is not FIELD=VALUE" in err
    code, _out, err = _run(capsys, db, "review", "rows", "1", "teams")
    assert code == 1 and "'teams' is not something a review holds" in err
    assert "team_member          team member" in err and "cost_line" in err
    code, out, _err = _run(capsys, db, "review", "rows", "1", "--help")
    assert code == 0 and "team_member          team member\n" in out
    assert "kloe, stars, prospects, rationale" in out
    code, _out, err = _run(capsys, db, "review", "edit", "team_member", "999", "role=X")
    # "The team member 999 no longer exists ... Refresh to see the current records." of a
    # number that never was a row, to a user at the command line with nothing to refresh.
    assert code == 1 and "There is no team member 999. Nothing was saved." in err, err
    assert "Refresh" not in err
    code, _out, err = _run(capsys, db, "review", "add", "1", "risk", "description=Fire")
    assert code == 1 and "A risk belongs to an option: name it with --option N" in err
    option = _rows(capsys, db, 1, "option")[0]["id"]
    code, _out, err = _run(capsys, db, "review", "add", "2", "risk", "--option", str(option),
                           "description=Fire")
    assert code == 1 and f"Option {option} is not one of review 2's options" in err, err


def test_a_signed_off_review_is_refused(capsys: pytest.CaptureFixture[str],
                                        demo_db_path: Path | str) -> None:
    db = demo_db_path
    signed = 3
    _ok(capsys, db, "signoff", str(signed), "--by", "Chair", "--override-reason",
        "Board asked for it today")
    member = _rows(capsys, db, signed, "team_member")[0]
    for argv in (["review", "add", str(signed), "team_member", "name=Late"],
                 ["review", "edit", "team_member", str(member["id"]), "role=Changed"],
                 ["review", "delete", "team_member", str(member["id"])]):
        code, out, err = _run(capsys, db, *argv)
        assert (code, out) == (1, ""), (argv, err)
        assert "signed off" in err and f"bvdesk review reopen {signed}" in err, err
    assert _rows(capsys, db, signed, "team_member")[0] == member


def test_json_output_is_one_document(capsys: pytest.CaptureFixture[str],
                                     demo_db_path: Path | str) -> None:
    db = demo_db_path
    code, out, _err = _run(capsys, db, "--json", "review", "add", "1", "action",
                           "title=Text reminders", "due_date=31/03/2011")
    added = json.loads(out)
    assert code == 0 and added["title"] == "Text reminders" and added["due_date"] == "2011-03-31"
    code, out, _err = _run(capsys, db, "--json", "review", "edit", "action", str(added["id"]),
                           "owner=Tom", "status=amber")
    assert json.loads(out)["changed"] == {"owner": {"old": "", "new": "Tom"},
                                          "status": {"old": "green", "new": "amber"}}
    code, out, _err = _run(capsys, db, "--json", "review", "delete", "action", str(added["id"]))
    assert json.loads(out) == {"entity": "action", "deleted": added["id"], "with": 0}
    for argv in (["review", "rows", "1", "nope"], ["review", "edit", "action", "1", "stars=1"],
                 ["review", "edit", "action", "1", "nonsense"]):
        _code, out, _err = _run(capsys, db, "--json", *argv)
        assert set(json.loads(out)) == {"error"}, (argv, out)


_EDITED = {"team_member": 1, "consultation": 1, "action": 1, "judgement": 1, "option": 1,
           "cost_line": 1, "risk": 1}


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
@pytest.mark.sqlite_only
def test_any_value_for_any_field_is_kept_or_refused_plainly(
        capsys: pytest.CaptureFixture[str], demo_db_path: Path | str,
        data: st.DataObject) -> None:
    from bvdesk.operations.editing import ENTITIES

    entity = data.draw(st.sampled_from(sorted(_EDITED)))
    fields = [name for name, spec in ENTITIES[entity].fields.items() if not spec.read_only]
    field = data.draw(st.sampled_from(fields))
    value = data.draw(st.one_of(st.text(st.characters(blacklist_categories=["Cs", "Cc"]),
                                        max_size=30),
                                st.integers().map(str), st.floats().map(str),
                                st.sampled_from(["", "-1", "1e400", "(300)", "25%", "31/02/2009",
                                                 "yes", "0;1,000;x", "nan", "inf"])))
    row = str(_EDITED[entity])
    before = _ok(capsys, demo_db_path, "--json", "review", "rows", "1", entity)
    code, out, err = _run(capsys, demo_db_path, "review", "edit", entity, row, f"{field}={value}")
    assert code in (0, 1) and "Traceback" not in err, (entity, field, value, err)
    if code == 1:
        assert out == "" and err.startswith("bvdesk: "), err
        assert _ok(capsys, demo_db_path, "--json", "review", "rows", "1", entity) == before
