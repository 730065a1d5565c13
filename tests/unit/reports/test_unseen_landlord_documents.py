"""Documents of a landlord nobody on the project has seen, built through the command line only.

A small Welsh association (accents in every name), four peers, two years, one indicator every
landlord has at zero (no evictions), one with a single peer, a review with no team, no
consultation and only the status quo appraised, signed off with an override. Every edition is
rendered draft and signed off, and read back for the defects such data showed.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from bvdesk.cli import main

OWN = ("Cymdeithas Tai Dyffryn Tâf", "CTDT")
PEERS = [("Tai Ceredigion", "TCER"), ("Grŵp Cynefin", "GCYN"), ("Tai Gwynedd Môn", "TGMN"),
         ("Clwyd Alyn", "CALY")]
SQ = "Cadw'r gwasanaeth yn fewnol (status quo)"


def _cli(*argv: str) -> None:
    assert main(list(argv)) == 0, argv


def _indicators(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Organisation", "Organisation code", "Indicator", "Year", "Value"])
    for i, (name, code) in enumerate([OWN, *PEERS]):
        for year in ("2008/09", "2009/10"):
            ws.append([name, code, "BV212", year, 50.0 if i == 0 else 34.0 + i])
            ws.append([name, code, "BV66d", year, 0])
    for name, code, value in ((*OWN, 71.5), (*PEERS[0], 74.0)):
        ws.append([name, code, "EST-SAT", "2009/10", value])
    wb.save(path)


def _status_quo_only(path: Path) -> None:
    wb = openpyxl.load_workbook(path)
    options, costs, quality = wb["Options"], wb["Costs"], wb["Quality"]
    options.delete_rows(2, 10)
    costs.delete_rows(2, 600)
    quality.delete_rows(1, 10)
    options.append([SQ, "In-house (status quo)", 0, None, None])
    costs.append([SQ, "Staff", "None", 0, 210000, 210000, 210000])
    costs.append([SQ, "Client-side contract management", "None", 0, 12000, 12000, 12000])
    quality.append(["Criterion", "Weight", SQ])
    quality.append(["Quality of void works", 1, 6])
    wb.save(path)


def _text(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages]


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    tmp = tmp_path_factory.mktemp("unseen")
    db = str(tmp / "dyffryn.db")
    _cli("--db", db, "init", "--org", OWN[0], "--code", OWN[1], "--homes", "800")
    _indicators(tmp / "ind.xlsx")
    _cli("--db", db, "import", "indicators", str(tmp / "ind.xlsx"))
    _cli("--db", db, "review", "new", "--service", "voids", "--title", "Adolygiad tai gwag 2010",
         "--indicators", "BV212,BV66d,EST-SAT")
    docs = {}
    for edition in ("regulator", "board", "tenant"):
        _cli("--db", db, "report", "1", "--edition", edition, "-o", str(tmp / f"0-{edition}.pdf"))
        docs[f"draft {edition}"] = _text(tmp / f"0-{edition}.pdf")
    _cli("--db", db, "template", "appraisal", "-o", str(tmp / "app.xlsx"), "--review", "1",
         "--years", "3", "--base-date", "2010-04-01")
    _status_quo_only(tmp / "app.xlsx")
    _cli("--db", db, "import", "appraisal", "--review", "1", str(tmp / "app.xlsx"))
    _cli("--db", db, "signoff", "1", "--by", "Eleri Jones", "--override-reason",
         "Interim sign-off for the spring board")
    for edition in ("regulator", "board", "tenant"):
        _cli("--db", db, "report", "1", "--edition", edition, "-o", str(tmp / f"1-{edition}.pdf"))
        docs[f"signed {edition}"] = _text(tmp / f"1-{edition}.pdf")
    _cli("--db", db, "export", "1", "-o", str(tmp / "review.xlsx"))
    docs["export"] = [str(cell.value) for sheet in openpyxl.load_workbook(tmp / "review.xlsx")
                      for row in sheet.iter_rows() for cell in row if cell.value is not None]
    return docs


def test_no_document_prints_an_empty_team_as_numbers(documents):
    for name, pages in documents.items():
        text = " ".join(pages)
        assert "team of 0" not in text, name
        assert "0 of 0" not in text, name
        assert "0 members" not in text, name
        assert "0 consultation activities" not in text, name


def test_the_empty_review_team_is_said_in_words_not_shown_as_an_empty_table(documents):
    first = documents["draft regulator"][0]
    assert "Review team" in first
    assert "No review team members recorded yet." in first
    assert not re.search(r"Name\s*Role\s*Member", first)


def test_the_compare_table_heading_target_is_not_split(documents):
    text = "\n".join(documents["draft regulator"])
    assert "Targe\nt" not in text
    assert re.search(r"\bTarget\b", text)


def test_the_tenant_summary_counts_one_option_in_words(documents):
    text = " ".join(documents["signed tenant"])
    assert "1 ways" not in text
    assert "We looked at one way of running the service." in text
    # Signed off with no actions: no promise of a plan still to come.
    assert "when the review is finished" not in text


def test_the_export_holds_no_unrounded_or_missing_figures(documents):
    cells = documents["export"]
    assert "Cymdeithas Tai Dyffryn Tâf" in cells
    assert not [c for c in cells if c.lower() in ("nan", "inf", "none") and c != "None"]
    assert not [c for c in cells if re.fullmatch(r"-?\d+\.\d*(9999|0000)\d", c)]


def test_no_software_wording_in_any_document(documents):
    for name, pages in documents.items():
        if name == "export":
            continue
        text = " ".join(pages)
        for bad in ("None", "nan", "{{", "[figure not available", "[[", "1 options",
                    "1 activities"):
            # "None recorded at sign-off." is the signed-off wording for an empty part.
            assert not re.search(rf"(?<![\w-]){re.escape(bad)}(?![\w]| recorded)", text), \
                (name, bad)
        if name.startswith("signed"):
            assert "not yet" not in text.lower(), name
            assert "has not been written" not in text, name


def test_a_plan_with_no_actions_has_no_table_of_zeros(documents):
    for name in ("draft regulator", "signed regulator"):
        text = " ".join(documents[name])
        assert not re.search(r"Off track \(red\)\s*0\s*0\s*0\s*0", text), name
        assert "There are no improvement actions to track." in text, name


def test_tenants_are_not_told_of_quarters_among_two_landlords(documents):
    # Estate services: only one other landlord reported it.
    text = " ".join(" ".join(documents[name]) for name in ("draft tenant", "signed tenant"))
    assert "quarter of the 2 landlords" not in text
    assert "we came second of the 2 landlords" in re.sub(r"\s+", " ", text)


def test_the_cost_model_names_each_line_once_and_splits_no_word(documents):
    text = "\n".join(documents["signed regulator"])
    model = text[text.rindex("Cost model by option"):]  # the appendix, not Contents
    # A line without a description printed its category twice ("Staff Staff No VAT"), and the
    # narrow category column split "contract ma / nagement".
    assert not re.search(r"Staff\s+Staff", model)
    assert "ma\nnagement" not in model
    assert re.search(r"Client-side\s+contract\s+management", model)


def test_outstanding_questions_are_cut_at_a_word(documents):
    # The sign-off box quoted 'Is it a statutory, r…' and "service's o…".
    text = re.sub(r"\s+", " ", " ".join(documents["signed regulator"]))
    assert "Outstanding" in text or "outstanding" in text
    assert "statutory, r…" not in text
    assert not re.search(r"\s\w…", text)


def test_tenant_words_for_cost_per_dwelling_and_the_status_quo():
    # A landlord benchmarking management costs, and an option named as the status quo: both
    # reached tenants as written ("Management cost per dwelling", "(status quo)").
    from bvdesk.reports.tenant import plain

    assert plain("Management cost per dwelling") == "Management cost per home"
    assert plain("Cadw'r gwasanaeth yn fewnol (status quo)") == \
        "Cadw'r gwasanaeth yn fewnol (as now)"
    assert plain("Every dwelling") == "Every home"


def test_facts_with_no_value_are_not_printed_as_a_dash(documents):
    # No region was given and the scope was never written: "Region –" and "Scope –".
    for name in ("draft regulator", "signed regulator"):
        text = re.sub(r"\s+", " ", " ".join(documents[name]))
        assert "Region –" not in text, name
        assert "Scope –" not in text, name


def test_the_tenant_summary_says_who_was_on_the_team_in_a_sentence(snapshot, pdf_text):
    # "Tenants on the review team: 1, alongside 1 member of staff." read as a form.
    from bvdesk.reports import render

    text = pdf_text(render(snapshot, "tenant")[0])
    assert "The review team had 1 tenant and 1 member of staff." in text
    assert "Tenants on the review team:" not in text
