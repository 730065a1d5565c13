"""The command line as a new user at a metropolitan association met it: the messages it gave
while a review was built row by row, read for what they said and how."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from cli_helpers import run_cli


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = str(tmp_path / "thameside.bvdesk")
    for argv in (("init", "--org", "Thameside Metropolitan Housing", "--homes", "25340"),
                 ("review", "new", "--service", "repairs", "--title", "Responsive repairs"),
                 ("review", "add", "1", "option", "name=In-house DLO",
                  "kind=in-house (status quo)")):
        code, _out, err = run_cli(capsys, "--db", path, *argv)
        assert code == 0, err
    return path


def test_evidence_given_an_option_is_refused_not_filed_under_the_review(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "tender.txt"
    report.write_text("Tender evaluation\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "--db", db, "review", "add", "1", "evidence",
                             f"file={report}", "--option", "1")
    # It was kept, as the review's, and its id printed: --option was silently ignored.
    assert (code, out) == (1, ""), err
    assert "bvdesk: An evidence file belongs to the review, not to an option: leave out " \
           "--option." in err
    code, out, _err = run_cli(capsys, "--db", db, "review", "rows", "1", "evidence")
    assert code == 0 and "has no evidence file yet" in out


@pytest.mark.parametrize(("entity", "said"), [
    ("action", "An improvement action has no field 'colour' to set."),
    ("option", "An option has no field 'colour' to set."),
    ("appraisal_settings", "The appraisal settings have no field 'colour' to set."),
    ("team_member", "A team member has no field 'colour' to set."),
])
def test_a_field_a_row_does_not_have_is_refused_in_good_english(
        db: str, capsys: pytest.CaptureFixture[str], entity: str, said: str) -> None:
    # "A improvement action has no field", "A appraisal settings has no field".
    code, _out, err = run_cli(capsys, "--db", db, "review", "add", "1", entity, "colour=red")
    assert code == 1 and said in err and "Nothing was saved." in err, err


@pytest.mark.parametrize(("entity", "said"), [
    ("option", "An option belongs to the review"),
    ("appraisal_settings", "The appraisal settings belong to the review"),
])
def test_a_review_row_given_an_option_is_refused_in_good_english(
        db: str, capsys: pytest.CaptureFixture[str], entity: str, said: str) -> None:
    for command in ("add", "rows"):
        argv = ["review", command, "1", entity, "--option", "1"]
        if command == "add":
            argv.append("name=x")
        code, _out, err = run_cli(capsys, "--db", db, *argv)
        assert code == 1 and said in err, (command, err)


def _ready_and_signed(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (("review", "set", "1", "stage", "Sign-off"),
                 ("signoff", "1", "--by", "Priya Shah", "--override-reason",
                  "Interim sign-off for the March board")):
        code, _out, err = run_cli(capsys, "--db", db, *argv)
        assert code == 0, err


def test_the_list_of_reviews_keeps_its_columns_when_a_review_is_signed_off(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "--db", db, "review", "new", "--service", "rent",
                              "--title", "Rent arrears recovery")
    assert code == 0, err
    _ready_and_signed(db, capsys)
    code, out, _err = run_cli(capsys, "--db", db, "review", "list")
    lines = out.splitlines()
    # "Sign-off (signed off)" is longer than the column was, and pushed its service along.
    assert code == 0 and len(lines) == 3, out
    starts = {line.index(service) for line, service in zip(
        lines, ("Service", "Responsive repairs", "Rent collection and arrears"), strict=True)}
    assert len(starts) == 1, out
    assert "Sign-off (signed off)  Responsive repairs" in out


def test_sign_off_times_are_written_as_the_documents_write_dates(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _ready_and_signed(db, capsys)
    _code, shown, _err = run_cli(capsys, "--db", db, "review", "show", "1")
    _code, versions, _err = run_cli(capsys, "--db", db, "review", "versions", "1")
    # "on 02 December 2026" in one, "on 2026-12-02 16:40" in the other; the submission prints
    # "2 December 2026".
    when = r"on [1-9]\d? [A-Z][a-z]+ \d{4} at \d\d:\d\d"
    assert re.search(rf"Stage: +Sign-off \(signed off by Priya Shah {when}\)", shown), shown
    assert re.fullmatch(rf"Version 1: signed off by Priya Shah {when}\n", versions), versions


def test_a_surveys_results_are_listed_with_it_a_half_rounded_up(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "--db", db, "review", "add", "1", "consultation",
                              "method=telephone survey", "issued=640", "responses=360",
                              "satisfied=195", "valid_answers=240")
    assert code == 0, err
    code, out, _err = run_cli(capsys, "--db", db, "review", "rows", "1", "consultation")
    # 360 of 640 is 56.25% and 195 of 240 is 81.25%: the submission prints 56.3% and 81.3%, and
    # so must the command line and the Consult screen, where Python's formatting rounded the
    # halves to even (56.2%, 81.2%). 81.25 +/- 4.94 points is 76.3% to 86.2%. The counts alone
    # did not give the user any of it.
    assert code == 0
    assert re.search(r"Results: +Response rate 56\.3%; +81\.3% \(95% CI 76\.3% to 86\.2%, "
                     r"n = 240\) satisfied\n", out), out


@pytest.mark.parametrize("command", [
    ("review", "show"), ("review", "set"), ("review", "link"), ("review", "rows"),
    ("review", "add"), ("review", "versions"), ("review", "submission"), ("review", "export"),
    ("review", "reopen"), ("review", "signoff"), ("signoff",), ("appraise",), ("report",),
    ("export",)])
def test_every_review_id_argument_says_what_it_is(
        capsys: pytest.CaptureFixture[str], command: tuple[str, ...]) -> None:
    code, out, _err = run_cli(capsys, *command, "--help")
    # 'review show' and 'appraise' called it "id", report and export gave it no help at all.
    assert code == 0
    assert re.search(r"^  ID +the review's ID \('bvdesk review list' shows them\)$", out,
                     re.MULTILINE), out


def test_help_says_what_every_argument_of_a_new_review_and_an_import_is(
        capsys: pytest.CaptureFixture[str]) -> None:
    _code, new, _err = run_cli(capsys, "review", "new", "--help")
    assert "prints the new review's ID" in new and "the review's title" in new, new
    _code, imported, _err = run_cli(capsys, "import", "indicators", "--help")
    assert re.search(r"^  FILE +the workbooks or text files to import", imported, re.MULTILINE)
    for words in (("review", "rows"), ("review", "add"), ("review", "edit")):
        _code, out, _err = run_cli(capsys, *words, "--help")
        assert re.search(r"^  ENTITY +the kind of row", out, re.MULTILINE), words
        # The description ran to 130 characters on one line.
        assert max(map(len, out.splitlines())) <= 80, words


def test_a_templates_base_date_is_typed_as_on_screen(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    out = tmp_path / "appraisal.xlsx"
    code, _out, err = run_cli(capsys, "template", "appraisal", "-o", str(out),
                              "--base-date", "01/04/2010")
    # Every other date is typed 31/03/2010; this one was refused unless written 2010-04-01.
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    rows = {row[0]: row[1] for row in book["Settings"].iter_rows(values_only=True) if row}
    assert rows["Base date"].date().isoformat() == "2010-04-01"
    code, _out, err = run_cli(capsys, "template", "appraisal", "-o", str(out),
                              "--base-date", "31/02/2010")
    assert code == 1 and "--base-date '31/02/2010' is not a date: write it as 01/04/2010" in err


def _peers(path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Organisation", "Indicator", "Year", "Value"])
    for name, repairs, satisfaction in (("Thameside Metropolitan Housing", 96.5, 80),
                                        ("Riverside Gate HA", 97.1, 84),
                                        ("Northbank Homes Ltd", 95.4, 80),
                                        ("Wandle Homes", 93.3, None)):  # a gap
        sheet.append([name, "BV72", "2008/09", repairs])
        if satisfaction is not None:
            sheet.append([name, "SAT-REP", "2008/09", satisfaction])
    book.save(path)


def test_benchmark_says_which_indicator_a_landlord_has_no_value_for(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _peers(tmp_path / "peers.xlsx")
    code, _out, err = run_cli(capsys, "--db", db, "import", "indicators",
                              str(tmp_path / "peers.xlsx"))
    assert code == 0, err
    code, out, err = run_cli(capsys, "--db", db, "benchmark", "--org", "Wandle Homes",
                             "--indicators", "SAT-REP")
    # "Wandle Homes has no indicator values yet: import some first", of a landlord with BV72.
    assert (code, out) == (1, ""), out
    assert err == ("bvdesk: Wandle Homes has no value for SAT-REP yet. 'bvdesk import "
                   "indicators FILE' imports them.\n"), err
    code, _out, err = run_cli(capsys, "--db", db, "benchmark", "--org", "Wandle Homes",
                              "--indicators", "SAT-REP", "--year", "2008/09")
    assert code == 1 and "Wandle Homes has no value for SAT-REP in 2008/09." in err, err
    # Codes in any case, as review new and review link take them.
    code, out, err = run_cli(capsys, "--db", db, "benchmark", "--indicators", "bv72,sat-rep")
    assert code == 0, err
    # By hand: 93.3, 95.4, 96.5, 97.1 give P25 94.875, median 95.95, P75 96.65 (half up);
    # 80 ties the median of 80, 80, 84 and takes the better quartile and the shared rank.
    assert re.search(r"^BV72 +96\.5 +4 +94\.9 +96\.0 +96\.7 +2 +2 +0\.2 ", out, re.MULTILINE)
    assert re.search(r"^SAT-REP +80\.0 +3 +80\.0 +80\.0 +82\.0 +2 +2 +2\.0 ", out,
                     re.MULTILINE), out


def test_a_service_not_known_is_answered_with_the_names_as_well_as_the_codes(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--db", db, "review", "new", "--service",
                             "Rent arrears recovery", "--title", "Rent arrears recovery")
    # "Services: asb, corporate, customer, ..." left a user who typed a name to guess which
    # code is the rent service.
    assert (code, out) == (1, "")
    assert "There is no service 'Rent arrears recovery'. Give a service's code or name: " in err
    assert "rent (Rent collection and arrears); repairs (Responsive repairs)" in err


def test_peers_create_help_says_what_each_rule_takes(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = run_cli(capsys, "peers", "create", "--help")
    text = re.sub(r"\s+", " ", out)
    # --org-type TYPE and --stock-band BAND gave no help: the values they take were nowhere.
    assert "NAME the group's name, as --peer-group gives it" in text
    assert "--org-type TYPE landlords of this kind (repeatable): housing_association, lsvt, " \
           "almo, council, other" in text
    assert "--stock-band BAND landlords owning this many homes (repeatable): under_1000, " \
           "1000_2499, 2500_4999, 5000_9999, 10000_plus" in text
    assert "--region REGION landlords in this region" in text


@pytest.mark.parametrize(("argv", "said"), [
    (("report", "1", "--edition", "board", "-o", "board.xlsx"),
     "the board edition is written as a .pdf file; give a name ending .pdf."),
    (("export", "1", "-o", "figures.pdf"),
     "the review's workbook is written as a .xlsx file; give a name ending .xlsx."),
    (("review", "submission", "1", "-o", "submission"),
     "the regulator edition is written as a .pdf file; give a name ending .pdf."),
])
def test_an_output_named_for_another_kind_of_file_is_refused(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...],
        said: str) -> None:
    named = str(tmp_path / argv[-1])
    code, out, err = run_cli(capsys, "--db", db, *argv[:-1], named)
    # A PDF was written as board.xlsx and a workbook as figures.pdf: files that open nowhere.
    assert (code, out) == (2, ""), err
    assert f"-o '{argv[-1]}': {said} Nothing was written." in err, err
    assert not Path(named).exists()


def test_rows_print_counts_and_numbers_as_the_documents_do(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (("appraisal_settings", "base_date=01/04/2009", "homes_served=25340"),
                 ("consultation", "method=postal survey", "population=6420", "issued=1200"),
                 ("action", "title=Raise the repairs budget", "target_value=1250000"),
                 ("quality_criterion", "name=Local employment", "weight=12.5")):
        code, _out, err = run_cli(capsys, "--db", db, "review", "add", "1", *argv)
        assert code == 0, err
    said = {}
    for entity in ("appraisal_settings", "consultation", "action", "quality_criterion"):
        _code, said[entity], _err = run_cli(capsys, "--db", db, "review", "rows", "1", entity)
    # "Homes served: 25340", "Population surveyed from (N): 6420" and "Target: 1.25e+06".
    assert re.search(r"Homes served: +25,340\n", said["appraisal_settings"])
    assert re.search(r"Population surveyed from \(N\): +6,420\n", said["consultation"])
    assert re.search(r"Issued: +1,200\n", said["consultation"])
    assert re.search(r"Target: +1,250,000\n", said["action"]), said["action"]
    assert re.search(r"Weight: +12\.5\n", said["quality_criterion"])


def test_appraise_says_what_its_figures_were_worked_out_with(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "--db", db, "review", "new", "--service", "rent",
                              "--title", "Rent arrears recovery")
    assert code == 0, err
    _code, before, _err = run_cli(capsys, "--db", db, "appraise", "2")
    # No options yet: a table heading over nothing.
    assert "Rank  Option" not in before and "\nNo options have been appraised.\n" in before
    for argv in (("appraisal_settings", "base_date=01/04/2009", "period_years=5",
                  "discount_rate=3.5", "price_weight=62.5", "homes_served=25340"),
                 ("cost_line", "--option", "1", "category=materials", "vat=irrecoverable",
                  "amounts=0;1000;1000;1000;1000;1000")):
        code, _out, err = run_cli(capsys, "--db", db, "review", "add", "1", *argv)
        assert code == 0, err
    code, out, _err = run_cli(capsys, "--db", db, "appraise", "1")
    # The NPC could not be checked without the rate and the VAT it was worked out at; the
    # submission states them, the command line did not. VAT on 1 April 2009 was 15%.
    assert code == 0
    assert out.startswith("Base date 1 April 2009, 5 years; discount rate 3.50%; VAT 15.0%; "
                          "price : quality 62.5 : 37.5; quality threshold 50% of the quality "
                          "marks; 25,340 homes served.\n"), out
    # 1,150 a year for years 1 to 5 at 3.5%: 1,150 x 4.515052 = 5,192.31.
    assert re.search(r"In-house DLO +5,192 +1,150 ", out), out


def test_a_decision_without_benchmarking_does_not_say_competition_does_not_apply(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run_cli(capsys, "--db", db, "appraise", "1")
    decision = out[out.index("Decision:"):]
    # The decision said "Compulsory competition does not apply: no indicator linked to this
    # service is in the bottom quartile" while the warnings said it could not be checked.
    assert code == 0
    assert "does not apply" not in decision and decision.count("could not be checked") == 1
    assert re.search(r"\n  Whether compulsory competition applies could not be checked: "
                     r"Thameside Metropolitan Housing has no value for [A-Z0-9, -]+ yet\.\n",
                     decision), decision


def test_benchmark_calls_persistence_without_a_run_persistent(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Organisation", "Indicator", "Year", "Value"])
    for year, ours in zip(("2004/05", "2005/06", "2006/07", "2007/08", "2008/09"),
                          (15, 9.5, 15, 9.5, 15), strict=True):
        sheet.append(["Thameside Metropolitan Housing", "BV73", year, ours])
        for number in range(5):
            sheet.append([f"Peer {number}", "BV73", year, 8 + number])
    book.save(tmp_path / "bv73.xlsx")
    code, _out, err = run_cli(capsys, "--db", db, "import", "indicators",
                              str(tmp_path / "bv73.xlsx"))
    assert code == 0, err
    code, out, _err = run_cli(capsys, "--db", db, "benchmark")
    # Bottom in 3 of the 5 years but not in the year before: "persistent (1 yr)".
    assert code == 0 and "(1 yr)" not in out
    assert re.search(r"^BV73 .* 4 +6 +5\.8  persistent, small sample$", out, re.MULTILINE), out


def test_counts_in_messages_are_said_in_words(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # "Unknown indicator code(s): BV99, BV98" and "(1 evidence file(s))".
    code, _out, err = run_cli(capsys, "--db", db, "review", "new", "--service", "rent",
                              "--title", "Rent", "--indicators", "BV99,BV98")
    assert code == 1 and "Unknown indicator codes: BV99, BV98." in err, err
    code, _out, err = run_cli(capsys, "--db", db, "review", "link", "1", "BV99")
    assert code == 1 and "Unknown indicator code: BV99." in err, err
    code, out, err = run_cli(capsys, "--db", db, "review", "export", "1", "-o",
                             str(tmp_path / "repairs.bvreview"))
    assert code == 0 and out.endswith("repairs.bvreview (0 evidence files).\n"), out


def test_a_probability_and_an_option_out_of_reach_are_refused_as_typed(
        db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(capsys, "--db", db, "review", "add", "1", "risk", "--option", "1",
                              "description=Contractor failure", "probability=150%")
    # Typed as a percentage, limited as a fraction: "cannot be more than 1".
    assert code == 1 and "probability='150%': Probability cannot be more than 100%." in err
    code, _out, err = run_cli(capsys, "--db", db, "review", "add", "1", "risk", "--option", "9",
                              "description=Contractor failure")
    # "The option 9 no longer exists; it may have been deleted. ... Refresh to see the current
    # records.", of a number that never was an option, to a user with nothing to refresh.
    assert code == 1 and err == ("bvdesk: Option 9 is not one of review 1's options. 'bvdesk "
                                 "review rows 1 option' lists them.\n"), err


def test_a_group_given_no_command_lists_what_it_can_do(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "review")
    # "bvdesk: the following arguments are required: SUBCOMMAND", and no more.
    assert (code, out) == (2, "")
    assert re.search(r"^    new +Start a review of a service", err, re.MULTILINE), err
    assert err.endswith("bvdesk: 'bvdesk review' needs one of the commands listed above.\n")


def _parsers() -> list[tuple[str, argparse.ArgumentParser]]:
    import importlib

    from bvdesk.cli import command_modules
    from bvdesk.cli._framework import Commands

    commands = Commands()
    for name in command_modules():
        importlib.import_module(name).register(commands)
    found, waiting = [], [("bvdesk", commands.parser)]
    while waiting:
        name, parser = waiting.pop()
        found.append((name, parser))
        for action in parser._actions:  # argparse keeps its subcommands there
            if isinstance(action, argparse._SubParsersAction):
                waiting += [(f"{name} {sub}", child) for sub, child in action.choices.items()]
    return found


def test_every_argument_of_every_command_says_what_it_takes() -> None:
    # A new user met FILE, ENTITY, NAME, --by, --reason and -o with nothing beside them.
    silent = [f"{name}: {'/'.join(action.option_strings) or action.metavar or action.dest}"
              for name, parser in _parsers() for action in parser._actions
              if not isinstance(action, argparse._SubParsersAction) and not action.help]
    assert silent == []
