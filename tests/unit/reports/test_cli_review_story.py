"""A review taken from `review new` to sign-off with the command line alone, its documents read
back: every figure must tell the same story in the submission, the board paper and the tenant
summary.

A rural North East association of 2,300 homes, ten peers over three years (one peer missing a
year), re-let time in the bottom quartile; three options costed over five years at 3.5% and VAT
of 15%, worked by hand: the improved in-house team costs £2,175,162 (EAC £481,758).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from bvdesk.cli import main

OWN = ("Tyne Dales Rural Housing", "TDRH")
YEARS = ("2006/07", "2007/08", "2008/09")
KEEP, IMPROVE, CONTRACT = ("Keep the in-house voids team", "Improved in-house voids team",
                           "Voids contract")


def _cli(*argv: str) -> None:
    assert main(list(argv)) == 0, argv


def _out(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, (argv, out, err)
    return out


def _indicators(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Org Code", "Landlord", "PI", "Financial year", "Result"])
    for i in range(10):
        for y, year in enumerate(YEARS):
            if i == 3 and y == 0:
                continue  # one peer with no return that year
            ws.append([f"NE{i:03d}", f"Dales Peer {i} Homes", "BV212", year, 22 + 2 * i - y])
            ws.append([f"NE{i:03d}", f"Dales Peer {i} Homes", "BV72", year, 0.9 + i / 120])
            ws.cell(ws.max_row, 5).number_format = "0.0%"
            ws.append([f"NE{i:03d}", f"Dales Peer {i} Homes", "CPP-RR", year, 600 + 20 * i])
    for year, days, urgent, cost in zip(YEARS, (46, 47, 49), (0.93, 0.94, 0.95),
                                        (905.1, 921.4, 972.3), strict=True):
        ws.append([OWN[1], OWN[0], "CPP-RR", year, cost])
        ws.append([OWN[1], OWN[0], "HC-VAC", year, 0.9])  # the service's, not linked
        if year == YEARS[0]:  # linked, but ours is two years old
            ws.append([OWN[1], OWN[0], "SUST", year, 88.0])
        for i in range(10):
            ws.append([f"NE{i:03d}", f"Dales Peer {i} Homes", "HC-VAC", year, 0.5 + 0.1 * i])
        ws.append([OWN[1], OWN[0], "BV212", year, days])
        ws.append([OWN[1], OWN[0], "BV72", year, urgent])
        ws.cell(ws.max_row, 5).number_format = "0.0%"
    wb.save(path)


def _review(db: str, tmp: Path) -> None:
    def add(*args: str, option: str | None = None) -> None:
        _cli("--db", db, "review", "add", "1", *args,
             *(("--option", option) if option else ()))

    def put(field: str, value: str) -> None:
        _cli("--db", db, "review", "set", "1", field, value)

    _cli("--db", db, "review", "new", "--service", "Voids and lettings", "--title",
         "Voids review 2009/10", "--indicators", "BV212,BV72,CPP-RR,SUST")
    put("scope", "Empty homes, from the end of one tenancy to the start of the next.")
    put("objectives", "Re-let empty homes within 28 days.")
    put("start_date", "01/04/2009")
    put("end_date", "31/03/2010")
    add("team_member", "name=Margaret Robson", "role=Head of Housing", "is_tenant=no")
    add("team_member", "name=Alan Dodds", "role=Tenant panel chair", "is_tenant=yes")
    for item in range(1, 7):
        _cli("--db", db, "review", "edit", "challenge_item", str(item),
             f"answer=Answer {item}, from the voids file.")
    add("consultation", "method=postal survey", "held_on=14/09/2009", "sample_frame=New tenants",
        "population=310", "issued=310", "responses=124", "satisfied=87", "valid_answers=118",
        "findings=Gardens overgrown at letting.", "changes=Void standard rewritten.")
    add("consultation", "method=focus group", "held_on=03/03/2010", "sample_frame=New tenants",
        "findings=Keys took too long to collect.", "changes=Keys at the local office.")
    add("appraisal_settings", "base_date=01/04/2009", "period_years=5", "discount_rate=3.5",
        "vat_rate=15", "price_weight=40", "homes_served=2300")
    add("option", f"name={KEEP}", "kind=In-house (status quo)", "optimism_bias_pct=0")
    add("option", f"name={IMPROVE}", "kind=Improved in-house", "optimism_bias_pct=10")
    add("option", f"name={CONTRACT}", "kind=External contract", "optimism_bias_pct=15",
        "market_tested_share_pct=100", "price_source=Soft market test",
        "price_source_note=Three contractors, August 2009")
    for option, category, vat, year_0, yearly in (
            ("1", "Staff", "none", 0, 310000), ("1", "Materials", "irrecoverable", 0, 120000),
            ("2", "Staff", "none", 0, 300000), ("2", "Materials", "irrecoverable", 0, 110000),
            ("2", "Improvement investment", "irrecoverable", 45000, 0),
            ("3", "Contract price", "irrecoverable", 0, 355000),
            ("3", "Client-side contract management", "none", 0, 18000),
            ("3", "Procurement", "none", 25000, 0),
            ("3", "Staff transfer and pensions", "none", 40000, 0)):
        add("cost_line", f"category={category}", f"vat={vat}",
            "amounts=" + ";".join([str(year_0)] + [str(yearly)] * 5), option=option)
    add("risk", "description=Long-term sickness", "probability=0.25", "impact=20000", "year=1",
        option="1")
    add("risk", "description=Contractor fails", "probability=0.1", "impact=80000", "year=2",
        option="3")
    for name, weight, scores in (("Speed of re-letting", "40", ("4", "7", "8")),
                                 ("Quality of the home", "35", ("6", "8", "6")),
                                 ("Local jobs", "25", ("9", "9", "5"))):
        add("quality_criterion", f"name={name}", f"weight={weight}")
        for option, score in zip((KEEP, IMPROVE, CONTRACT), scores, strict=True):
            add("quality_score", f"criterion={name}", f"option={option}", f"score={score}")
    add("action", "title=Second voids gang", "owner=Margaret Robson", "start_date=01/04/2010",
        "due_date=31/03/2011", "resources_gbp=45000", "indicator_id=BV212", "target_value=30",
        "target_year=2011", "deliverable=Re-let time down to 30 days", "status=green")
    add("action", "title=Cheaper void works", "owner=Priya Shah", "start_date=01/04/2010",
        "due_date=31/03/2012", "indicator_id=CPP-RR", "target_value=700", "target_year=2011",
        "status=amber")
    add("judgement", "kloe=How good is the service?", "stars=1", "prospects=promising",
        "rationale=Re-let times are in the bottom quartile.")
    evidence = tmp / "New tenant survey 2009.pdf"
    evidence.write_bytes(b"%PDF-1.4 survey")
    add("evidence", f"file={evidence}", "supports=judgement 1")
    put("board_approval_date", "25/03/2010")
    put("board_minute_ref", "B/2010/031")
    put("board_meeting_date", "25/03/2010")
    put("vfm_statement", "The improved in-house team is the best value.")


@pytest.fixture(scope="module")
def landlord(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp("cli-story")
    db = str(tmp / "tyne.bvdesk")
    _cli("--db", db, "init", "--org", OWN[0], "--code", OWN[1], "--homes", "2300")
    _indicators(tmp / "peers.xlsx")
    _cli("--db", db, "import", "indicators", str(tmp / "peers.xlsx"))
    _review(db, tmp)
    return db, tmp


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)


def _report(db: str, edition: str = "regulator") -> str:
    """The edition of review 1 rendered with bvdesk report, its text on one line."""
    pdf = Path(db).with_name(f"{Path(db).stem}-{edition}.pdf")
    _cli("--db", db, "report", "1", "--edition", edition, "-o", str(pdf))
    return " ".join(_text(pdf).split())


def _copy(landlord: tuple[str, Path], name: str) -> str:
    """A copy of the landlord's database, for a test that changes it."""
    original, tmp = landlord
    db = str(tmp / f"{name}.bvdesk")
    shutil.copyfile(original, db)
    return db


@pytest.fixture(scope="module")
def submission(landlord: tuple[str, Path]) -> str:
    return _report(landlord[0])


@pytest.fixture(scope="module")
def board(landlord: tuple[str, Path]) -> str:
    return _report(landlord[0], "board")


def test_a_finished_review_still_at_scope_is_not_ready_until_its_stage_moves_on(
        landlord: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db = _copy(landlord, "stage")
    code = main(["--db", db, "check", "--review", "1"])
    out = capsys.readouterr().out
    assert code == 1, out
    assert ("Compete: The options appraisal is finished and recommends “Improved in-house voids "
            "team”, but the review is still at the Scope stage, so the board paper asks no "
            "decision") in " ".join(out.split())
    assert "The review has reached the scope stage" in _report(db, "board")

    assert _out(capsys, "--db", db, "review", "set", "1", "stage", "compete") == \
        "Review 1: Stage changed from Scope to Compete.\n"
    assert _out(capsys, "--db", db, "check", "--review", "1").startswith(
        "Review 1 is ready to sign off")
    board = _report(db, "board")
    assert "Decision asked of the board" in board
    assert "approve Improved in-house voids team as the way the service is provided, at a net " \
           "present cost of £2,175,162" in board
    assert "not yet been tested" not in board


def test_the_sensitivity_is_said_alike_by_appraise_the_submission_and_the_board_paper(
        landlord: tuple[str, Path], submission: str, board: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    switching = (f"Switching value: {CONTRACT} would score as well as {IMPROVE} if its contract "
                 "price fell by 25.7%.")
    flip = ("The recommendation would change at a price : quality weighting of 73.7 : 26.3 (it "
            "is 40 : 60).")
    appraisal = _out(capsys, "--db", landlord[0], "appraise", "1")
    assert switching in appraisal and flip in appraisal, appraisal
    assert f"{switching} {flip}" in submission
    assert f"{switching} {flip}" in board


def test_the_submission_shows_the_optimism_bias_and_risks_its_costs_are_worked_from(
        submission: str) -> None:
    # NPC by category: 0.25 x £20,000 in year 1 at 3.5% is £4,831; 0.1 x £80,000 in year 2, £7,468
    assert "Risks (expected cost) £4,831 £0 £7,468" in submission
    model = submission[submission.index("Appendix A2. Cost model by option"):]
    assert f"{KEEP} Cost line" in model and "No optimism bias." in model
    assert "Long-term sickness 25% £20,000 Y1 £5,000" in model
    assert "Optimism bias: 10% on every cost line, after VAT." in model
    assert "Optimism bias: 15% on every cost line, after VAT." in model
    assert "Contractor fails 10% £80,000 Y2 £8,000" in model


def test_the_trend_speaks_only_of_the_years_with_data(submission: str) -> None:
    compare = submission[submission.rindex("4. Compare"):submission.rindex("5. Consult")]
    assert "Right: our value from 2006/07 to 2008/09 against the middle half of peers." in compare
    assert "five years" not in compare and "(5 years)" not in compare
    assert "2004/05" not in compare and "2005/06" not in compare  # no year drawn without data


def test_an_action_on_a_cost_in_pounds_is_measured_as_the_compare_table_prints_it(
        submission: str) -> None:
    assert "CPP-RR Cost per property: responsive repairs and voids Lower is better £905 → £921 " \
           "→ £972" in submission
    plan = submission[submission.rindex("7. Improvement plan"):
                      submission.rindex("8. Value for money")]
    assert "CPP-RR: £972 (2008/09) → £700 (2011/12)" in plan
    # A straight line from £972.30 to £700 over three years; the top quartile is £650 (P25 of
    # £600, £620 ... £780 and our £972).
    assert "£972 £882 £791 £700 £650 No" in plan


def test_a_scheduled_discount_rate_is_printed_as_the_rates_used(
        landlord: tuple[str, Path]) -> None:
    db = _copy(landlord, "schedule")
    _cli("--db", db, "review", "edit", "appraisal_settings", "1", "discount_rate=",
         "period_years=35")
    assert ("Discount rate 3.50% in years 1–30, 3.00% in years 31–35: the Treasury schedule for "
            "the base date") in _report(db)


def test_a_consultation_with_no_count_of_responses_is_not_said_to_have_none(
        submission: str) -> None:
    assert ("Tenants on the review team: 1 of 2. Consultation: 2 consultation activities with "
            "124 responses at the 1 activity that counted them; each records what changed as a "
            "result (section 5).") in submission


def test_the_board_paper_shows_every_indicator_its_position_counts(board: str) -> None:
    assert "Of 4 indicators benchmarked for 2008/09, none is in the top quartile and 2 in the " \
           "bottom quartile (BV212, CPP-RR)." in board
    table = board[board.index("Performance against peers"):board.index("3. Costs of the options")]
    for code in ("BV212", "CPP-RR", "BV72", "HC-VAC"):
        assert f"{code} " in table, code


def test_a_team_with_no_tenant_is_said_in_words(
        landlord: tuple[str, Path]) -> None:
    db = _copy(landlord, "no-tenant")
    _cli("--db", db, "review", "delete", "team_member", "2")
    assert "Presented for the review team of 1 (no tenant member) by Margaret Robson." in \
        _report(db, "board")
    assert "Review team (1 member, no tenant)" in _report(db)


def test_a_linked_indicator_with_no_value_in_the_year_is_named_not_dropped(
        submission: str) -> None:
    assert ("Linked to this review but not benchmarked for 2008/09, which needs a value of ours "
            "and of at least one peer for that year: SUST Tenancy sustainment.") in submission


def test_the_yearly_costs_add_up_to_the_net_present_cost_on_the_page(submission: str) -> None:
    yearly = submission[submission.rindex("Yearly costs (base-year prices"):
                        submission.rindex("Quality scoring")]
    # Year 1 of keeping the team: £310,000 staff + £120,000 materials with 15% VAT + 25% of a
    # £20,000 risk = £453,000; 1 / 1.035 = 0.966184. The contract's year is £355,000 x 1.15 x
    # 1.15 + £18,000 x 1.15 = £490,187.50, a half rounded up as a spreadsheet rounds it.
    assert "Year 1 0.966184 £453,000 £469,150 £490,188" in yearly
    assert "Year 5 0.841973 £448,000 £469,150 £490,188" in yearly
    assert "Net present cost £2,027,574 £2,175,162 £2,295,440" in yearly


def test_the_share_of_the_service_put_to_the_market_is_stated(submission: str) -> None:
    assert f"{CONTRACT} Soft market test 100% Three contractors, August 2009" in submission


def test_a_unit_typed_after_a_live_figure_is_caught_before_it_prints_twice(
        landlord: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db = _copy(landlord, "doubled")
    _cli("--db", db, "review", "set", "1", "stage", "sign_off")
    _cli("--db", db, "review", "set", "1", "vfm_statement",
         "Re-lets take {{BV212}} days, {{BV212:quartile}} quartile among our peers.")
    assert "Re-lets take 49.0 days days, bottom quartile quartile among our peers." in \
        _report(db)
    capsys.readouterr()
    assert main(["--db", db, "check", "--review", "1"]) == 1
    out = " ".join(capsys.readouterr().out.split())
    assert ("Sign-off: Value for money statement: the live figure {{BV212}} prints “49.0 days”, so "
            "the “days” typed after it is printed twice. Remove it.") in out
    assert "{{BV212:quartile}} prints “bottom quartile”, so the “quartile” typed" in out


def test_a_half_is_rounded_up_in_the_documents_and_the_command_line_alike(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Re-let days of 10.0 and 10.5 for two peers and 11.5 for us: P25 = 10.25 (h = 0.5), a gap
    # to the top quartile of 11.5 - 10.25 = 1.25 days. Exact halves at one decimal, which a
    # spreadsheet shows as 10.3 and 1.3; Python's own rounding gave 10.2 and 1.2.
    db = str(tmp_path / "halves.bvdesk")
    (tmp_path / "days.csv").write_text(
        "Organisation,Indicator,Year,Value\n"
        "Fellside Homes,BV212,2008/09,10.0\nMoorland HA,BV212,2008/09,10.5\n"
        f"{OWN[0]},BV212,2008/09,11.5\n", encoding="utf-8")
    _cli("--db", db, "init", "--org", OWN[0], "--homes", "2300")
    _cli("--db", db, "import", "indicators", str(tmp_path / "days.csv"))
    out = _out(capsys, "--db", db, "benchmark")
    assert "BV212            11.5    3      10.3      10.5      11.0  4     3       1.3" in out, out
    _cli("--db", db, "review", "new", "--service", "voids", "--title", "Voids",
         "--indicators", "BV212")
    assert "Bottom quartile +1.3 days" in _report(db)
    _cli("--db", db, "export", "1", "-o", str(tmp_path / "halves.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "halves.xlsx")["Indicators"]
    header = [cell.value for cell in sheet[1]]
    row = {name: cell.value for name, cell in zip(header, sheet[2], strict=True)}
    assert (row["Lower quartile"], row["Gap to top quartile"]) == (10.3, 1.3)


def test_the_board_paper_is_presented_by_the_author_its_head_names(
        landlord: tuple[str, Path]) -> None:
    db = _copy(landlord, "author")
    _cli("--db", db, "review", "set", "1", "board_paper_author", "Priya Shah")
    board = _report(db, "board")
    assert "Author Priya Shah" in board
    assert "Presented for the review team of 2 (1 tenant member) by Priya Shah." in board


def test_the_compare_table_shows_the_targets_the_improvement_plan_sets(submission: str) -> None:
    compare = submission[submission.rindex("4. Compare"):submission.rindex("Bottom quartile: ")]
    assert "49.0 days 30.0 days by 2011/12 " in compare  # BV212: the second voids gang
    assert "→ £972 £700 by 2011/12 " in compare          # CPP-RR: cheaper void works
    assert "95.0% – " in compare                          # BV72: no action aims at it
