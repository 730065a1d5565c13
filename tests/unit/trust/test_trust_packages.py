"""Review packages: lossless round trip, three-way merge with conflicts, tamper refusal."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import text

from bvdesk.cli import main
from bvdesk.errors import FileProblem, ReviewLocked
from bvdesk.operations.packages import (
    DOCUMENT,
    MANIFEST,
    export_review,
    import_review,
    read_package,
)
from bvdesk.operations.signoff import sign_off, signed_off_pdf
from bvdesk.paths import resource
from bvdesk.store.db import Database
from bvdesk.store.models import (
    Action,
    AppraisalSettings,
    ChallengeItem,
    ConsultationActivity,
    CostLine,
    Evidence,
    Indicator,
    Judgement,
    Option,
    QualityCriterion,
    Review,
    ReviewIndicator,
    Risk,
    ServiceArea,
    SignOff,
    TeamMember,
)

#: Demo reviews are not complete: sign-off needs a reason to override the readiness check.
INTERIM = "Interim sign-off for the test"

REVIEW = 1


def _export(path: Path, target: Path, review_id: int = REVIEW) -> Path:
    with Database.open(path, user="exporter") as db:
        export_review(db, review_id, target)
    return target


def _import(path: Path, package: Path, **kwargs: object):
    with Database.open(path, user="importer") as db:
        return import_review(db, package, **kwargs)


def _document(package: Path) -> dict:
    return read_package(package).document


def _edit(path: Path, uid: str, change) -> None:
    with Database.open(path) as db, db.session() as session:
        review = session.query(Review).filter_by(uid=uid).one()
        change(review)


@pytest.fixture
def shared(demo_db_path: Path, tmp_db_path: Path, tmp_path: Path) -> tuple[Path, Path, str]:
    """Review 1 of the demo database, exported and imported into a colleague's database."""
    package = _export(demo_db_path, tmp_path / "first.bvreview")
    result = _import(tmp_db_path, package)
    assert result.created and result.applied
    return demo_db_path, tmp_db_path, result.uid


def test_round_trip_is_lossless(shared: tuple[Path, Path, str], tmp_path: Path) -> None:
    mine, theirs, _uid = shared
    first = _document(tmp_path / "first.bvreview")
    again = _export(theirs, tmp_path / "again.bvreview")
    assert _document(again)["review"] == first["review"]
    assert read_package(again).files == read_package(tmp_path / "first.bvreview").files
    assert first["review"]["evidence"], "the demo review should carry evidence"


def test_the_document_carries_every_column_of_every_table() -> None:
    schema = json.loads(resource("schema", "review-package.schema.json").read_text("utf-8"))
    # Ids, the evidence bytes (carried as files), each database's own row versions and the
    # submission kept at sign-off (a package's sign-off renders from its snapshot).
    local = {"id", "review_id", "option_id", "criterion_id", "indicator_id", "service_id",
             "content", "row_version", "submission", "submission_pages"}
    tables = {"review": Review, "service": ServiceArea, "indicator": Indicator,
              "team_member": TeamMember, "challenge": ChallengeItem,
              "consultation": ConsultationActivity, "judgement": Judgement, "signoff": SignOff,
              "review_indicator": ReviewIndicator, "appraisal": AppraisalSettings,
              "cost_line": CostLine, "risk": Risk, "option": Option,
              "criterion": QualityCriterion, "action": Action, "evidence": Evidence}
    for name, model in tables.items():
        columns = {a.key for a in model.__mapper__.column_attrs} - local
        assert columns <= set(schema["$defs"][name]["properties"]), name


def test_the_document_follows_its_published_schema(demo_db_path: Path, tmp_path: Path) -> None:
    schema = json.loads(resource("schema", "review-package.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for review_id in (1, 2, 3):
        package = _export(demo_db_path, tmp_path / f"{review_id}.bvreview", review_id)
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()) \
            .validate(_document(package))


def test_changes_on_one_side_are_taken_without_asking(shared: tuple[Path, Path, str],
                                                      tmp_path: Path) -> None:
    mine, theirs, uid = shared
    _edit(theirs, uid, lambda r: setattr(r.challenges[0], "answer", "Colleague's answer"))
    _edit(mine, uid, lambda r: setattr(r, "scope", "My scope"))
    result = _import(mine, _export(theirs, tmp_path / "back.bvreview"))
    assert result.applied and result.conflicts == ()
    assert result.taken == ("challenges[0].answer",)
    with Database.open(mine) as db, db.read() as session:
        review = session.get(Review, REVIEW)
        assert (review.scope, review.challenges[0].answer) == ("My scope", "Colleague's answer")


def test_a_field_changed_on_both_sides_is_a_conflict_and_nothing_is_written(
        shared: tuple[Path, Path, str], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    mine, theirs, uid = shared
    _edit(theirs, uid, lambda r: setattr(r, "title", "Their title"))
    _edit(theirs, uid, lambda r: setattr(r.options[0].cost_lines[0], "amounts", [1.0, 2.0]))
    _edit(mine, uid, lambda r: setattr(r, "title", "My title"))
    package = _export(theirs, tmp_path / "back.bvreview")
    before = hashlib.sha256(mine.read_bytes()).hexdigest()

    assert main(["review", "import", str(package), "--db", str(mine)]) == 1
    out = capsys.readouterr().out
    assert "title\n    mine:   My title\n    theirs: Their title" in out
    assert "cost_lines" not in out  # changed on their side only: not a conflict
    assert hashlib.sha256(mine.read_bytes()).hexdigest() == before

    result = _import(mine, package)
    assert not result.applied
    assert [(c.path, c.mine, c.theirs) for c in result.conflicts] == [
        ("title", "My title", "Their title")]

    assert main(["review", "import", str(package), "--choose", "title=theirs",
                 "--db", str(mine)]) == 0
    with Database.open(mine) as db, db.read() as session:
        review = session.get(Review, REVIEW)
        assert review.title == "Their title"
        assert review.options[0].cost_lines[0].amounts == [1.0, 2.0]


def test_keep_mine_settles_every_conflict(shared: tuple[Path, Path, str],
                                         tmp_path: Path) -> None:
    mine, theirs, uid = shared
    _edit(theirs, uid, lambda r: setattr(r, "objectives", "Theirs"))
    _edit(mine, uid, lambda r: setattr(r, "objectives", "Mine"))
    result = _import(mine, _export(theirs, tmp_path / "back.bvreview"), keep="mine")
    assert result.applied and [c.path for c in result.conflicts] == ["objectives"]
    with Database.open(mine) as db, db.read() as session:
        assert session.get(Review, REVIEW).objectives == "Mine"


def test_without_a_common_base_every_difference_is_a_conflict(
        demo_db_path: Path, tmp_db_path: Path, tmp_path: Path) -> None:
    package = _export(demo_db_path, tmp_path / "p.bvreview")
    _import(tmp_db_path, package)
    # A database that got the same review without a package exchange (a copied file):
    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(tmp_db_path.read_bytes())
    with Database.open(copy) as db, db.session() as session:
        session.execute(text("DELETE FROM setting WHERE key LIKE 'review_package_base:%'"))
    _edit(copy, _document(package)["review"]["uid"],
          lambda r: setattr(r, "board_minute_ref", "B/99"))
    result = _import(copy, package)
    assert not result.applied and [c.path for c in result.conflicts] == ["board_minute_ref"]


def test_a_signed_off_review_is_not_changed_by_an_import(shared: tuple[Path, Path, str],
                                                         tmp_path: Path) -> None:
    mine, theirs, uid = shared
    _edit(theirs, uid, lambda r: setattr(r, "title", "Their title"))
    package = _export(theirs, tmp_path / "back.bvreview")
    with Database.open(mine) as db:
        sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
    with pytest.raises(ReviewLocked, match="signed off and read-only"):
        _import(mine, package, keep="theirs")
    same = _export(mine, tmp_path / "same.bvreview")
    assert _import(mine, same).applied  # nothing to change: no refusal


def _rewrite(package: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(package) as source:
        members = {i.filename: source.read(i) for i in source.infolist()}
    change(members)
    with zipfile.ZipFile(target, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    return target


def _tamper_document(members: dict[str, bytes]) -> None:
    members[DOCUMENT] = members[DOCUMENT].replace(b"Responsive repairs", b"Responsive rePairs")


def _tamper_evidence(members: dict[str, bytes]) -> None:
    name = next(n for n in members if n.startswith("evidence/"))
    members[name] = members[name] + b" (edited)"


def _add_member(members: dict[str, bytes]) -> None:
    members["evidence/extra.txt"] = b"not in the manifest"


def _drop_evidence_and_reseal(members: dict[str, bytes]) -> None:
    name = next(n for n in members if n.startswith("evidence/"))
    del members[name]
    manifest = json.loads(members[MANIFEST])
    del manifest["files"][name]
    members[MANIFEST] = json.dumps(manifest).encode()


@pytest.mark.parametrize("tamper", [_tamper_document, _tamper_evidence, _add_member,
                                    _drop_evidence_and_reseal])
def test_a_tampered_package_is_refused(demo_db_path: Path, tmp_db_path: Path, tmp_path: Path,
                                       tamper, capsys: pytest.CaptureFixture[str]) -> None:
    package = _export(demo_db_path, tmp_path / "p.bvreview")
    bad = _rewrite(package, tmp_path / "bad.bvreview", tamper)
    with pytest.raises(FileProblem, match="was not imported"):
        read_package(bad)
    assert main(["review", "import", str(bad), "--db", str(tmp_db_path)]) == 2
    assert "bvdesk:" in capsys.readouterr().err
    with Database.open(tmp_db_path) as db, db.read() as session:
        assert session.query(Review).count() == 0


def test_something_that_is_not_a_package_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.bvreview"
    text.write_text("hello")
    with pytest.raises(FileProblem, match="not a bvdesk review package"):
        read_package(text)
    other = tmp_path / "other.bvreview"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(FileProblem, match="not a bvdesk review package"):
        read_package(other)


def test_a_signed_off_review_arrives_signed_off_with_the_same_submission(
        demo_db_path: Path, tmp_db_path: Path, tmp_path: Path) -> None:
    with Database.open(demo_db_path) as db:
        sign_off(db, REVIEW, "Jo Chair", override_reason=INTERIM)
        submission, _ = signed_off_pdf(db, REVIEW)
    result = _import(tmp_db_path, _export(demo_db_path, tmp_path / "signed.bvreview"))
    with Database.open(tmp_db_path) as db:
        with db.read() as session:
            assert session.get(Review, result.review_id).locked
        assert signed_off_pdf(db, result.review_id)[0] == submission


def _resealed(change):
    """Edit review.json, then recompute the manifest, as a careful forger would."""
    def tamper(members: dict[str, bytes]) -> None:
        document = json.loads(members[DOCUMENT])
        change(document["review"])
        members[DOCUMENT] = json.dumps(document).encode()
        manifest = json.loads(members[MANIFEST])
        manifest["files"][DOCUMENT] = hashlib.sha256(members[DOCUMENT]).hexdigest()
        members[MANIFEST] = json.dumps(manifest).encode()
    return tamper


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: r.pop("service"), "at review, 'service' is a required property"),
    (lambda r: r.update(team="nobody"), "at review/team"),
    (lambda r: r["criteria"][0]["scores"][0].update(score=11), "11 is greater than the maximum"),
    (lambda r: r["options"][0]["risks"].append({"description": "x", "probability": 2,
                                                "impact": 1, "year": 0}),
     "2 is greater than the maximum of 1"),
    (lambda r: r.update(start_date="31/12/2009"), "start_date as 31/12/2009, which is not a date"),
    (lambda r: r["criteria"][0]["scores"][0].update(option=99), "an option it does not contain"),
], ids=["missing service", "wrong type", "score out of range", "probability out of range",
        "not a date", "score of a missing option"])
def test_a_well_sealed_but_malformed_package_is_refused(
        demo_db_path: Path, tmp_db_path: Path, tmp_path: Path, change, message: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    package = _export(demo_db_path, tmp_path / "p.bvreview")
    bad = _rewrite(package, tmp_path / "bad.bvreview", _resealed(change))
    assert main(["review", "import", str(bad), "--db", str(tmp_db_path)]) in (1, 2)
    err = capsys.readouterr().err
    assert err.startswith("bvdesk: ") and message in err and "Traceback" not in err
    with Database.open(tmp_db_path) as db, db.read() as session:
        assert session.query(Review).count() == 0


def test_a_package_that_would_inflate_a_thousandfold_is_refused_unread(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.bvreview"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(MANIFEST, "{}")
        with archive.open(DOCUMENT, "w") as handle:
            for _ in range(20):
                handle.write(b" " * (1024 * 1024))
    with pytest.raises(FileProblem, match="too large or too compressed"):
        read_package(bomb)
