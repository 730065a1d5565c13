"""The three editions, rendered from a hand-made snapshot and read back with pypdf."""

from __future__ import annotations

import copy
import io
import re

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from bvdesk.reports import render
from bvdesk.reports.tenant import anonymous_name


def _outline_titles(pdf: bytes) -> list[str]:
    def walk(items: list) -> list[str]:
        titles = []
        for item in items:
            titles.extend(walk(item) if isinstance(item, list) else [item.title])
        return titles

    return walk(PdfReader(io.BytesIO(pdf)).outline)


def _fonts(pdf: bytes) -> dict[str, dict]:
    """Every font used on any page, by base name, with its descriptor."""
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page["/Resources"]
        objects = [resources]
        while objects:
            res = objects.pop()
            res = res.get_object() if isinstance(res, IndirectObject) else res
            for font in res.get("/Font", {}).values():
                font = font.get_object()
                found[str(font["/BaseFont"])] = font
            for xobject in res.get("/XObject", {}).values():
                xobject = xobject.get_object()
                if "/Resources" in xobject:
                    objects.append(xobject["/Resources"])
    return found


def test_regulator_submission_prints_the_key_figures(snapshot, pdf_text):
    pdf, pages = render(snapshot, "regulator")
    text = pdf_text(pdf)
    for expected in ("Northvale Homes", "Repairs Best Value review 2009/10", "29.38%",
                     "26.10%", "£861", "+7.28 pts", "Stock condition survey 2004 uplifted",
                     "75.6%", "71.6% to 79.6%", "£36,138,866", "Improved in-house",
                     "Approved by the board on 15 June 2010, minute B/2010/41",
                     "Margaret Lewis", "Costs are at the median"):
        assert expected in text, expected
    assert "ab" * 32 in text.replace(" ", ""), "the evidence SHA-256 (wrapped over two lines)"
    assert f"Page 1 of {pages}" in text
    assert f"Page {pages} of {pages}" in text


def test_regulator_submission_has_outline_and_metadata(snapshot):
    pdf, _ = render(snapshot, "regulator")
    titles = _outline_titles(pdf)
    for section in ("Governance", "1. Executive summary", "2. Context", "3. Challenge",
                    "4. Compare", "5. Consult", "6. Compete: options appraisal",
                    "7. Improvement plan", "8. Value for money statement",
                    "Appendix A. Methodology", "Method", "Appendix B. Evidence index",
                    "Appendix C. Glossary"):
        assert section in titles
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == "Repairs Best Value review 2009/10: Best Value review submission"
    assert meta.author == "Northvale Homes"


def test_same_snapshot_gives_byte_identical_pdfs(snapshot):
    for edition in ("regulator", "board", "tenant"):
        first, _ = render(snapshot, edition)
        second, _ = render(copy.deepcopy(snapshot), edition)
        assert first == second, edition


def test_draft_watermark_until_signed_off_then_the_approver(snapshot, pdf_text):
    draft = pdf_text(render(snapshot, "board")[0])
    assert "Draft: not signed off" in draft
    # The watermark is drawn as outlines: it is on every page but is not text.
    assert "DRAFT" not in draft and " RA " not in draft and " FT " not in draft
    snapshot["signoff"] = {"by": "Jane Chair", "at": "2010-06-15T10:00:00", "version": 1,
                           "note": ""}
    signed = pdf_text(render(snapshot, "board")[0])
    assert "Signed off by Jane Chair on 15 June 2010 (version 1)" in signed
    assert "DRAFT" not in signed


def test_charts_are_vector_graphics_not_images(snapshot):
    pdf, _ = render(snapshot, "regulator")
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for xobject in page["/Resources"].get("/XObject", {}).values():
            assert xobject.get_object()["/Subtype"] != "/Image"


def test_welsh_and_accented_names_render_in_the_embedded_font(snapshot, pdf_text):
    snapshot["landlord"]["name"] = "Cymdeithas Tai Ŵyl Dŵr"
    snapshot["service"]["description"] = "Contract let in Łódź, paid in € and £."
    snapshot["team"][1]["name"] = "Siân Gwenllïan ap Dafydd"
    for edition in ("regulator", "board", "tenant"):
        pdf, _ = render(snapshot, edition)
        text = pdf_text(pdf)
        assert "Cymdeithas Tai Ŵyl Dŵr" in text
        fonts = _fonts(pdf)
        assert fonts, edition
        for name, font in fonts.items():
            assert "DejaVu" in name, f"{edition} uses a font that is not bundled: {name}"
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] \
                if "/DescendantFonts" in font else font["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), f"{name} is not embedded"
    text = pdf_text(render(snapshot, "regulator")[0])
    assert "Łódź" in text and "€" in text and "Siân Gwenllïan" in text


@pytest.mark.slow
def test_hostile_text_prints_as_typed_and_never_breaks_the_build(snapshot, pdf_text):
    long_word = "x" * 10_000
    snapshot["review"]["title"] = "Repairs <b>&amp; gas</b> > 'review'"
    snapshot["challenge"][0]["answer"] = "Answer with a control\x00 char\x07 and " + long_word
    snapshot["actions"][0]["title"] = long_word
    snapshot["team"][0]["name"] = "<script>alert(1)</script>"
    snapshot["landlord"]["name"] = "Homes" + "y" * 3000
    snapshot["consult"][0]["findings"] = "שלום עולם and مرحبا بالعالم, right to left"
    snapshot["compare"]["indicators"][0]["peers"][0]["name"] = "<&>"
    snapshot["methodology"] = "# <Heading> & more\n\n| a | b |\n|---|---|\n| <x> | & |\n"
    pdfs = {edition: render(snapshot, edition)[0] for edition in ("regulator", "board",
                                                                   "tenant")}
    for pdf in pdfs.values():
        assert "Repairs <b>&amp; gas</b> > 'review'" in pdf_text(pdf)
    text = pdf_text(pdfs["regulator"])
    assert "<script>alert(1)</script>" in text
    assert "Homes" + "y" * 100 in text.replace(" ", "")
    assert "control char and" in text
    assert "<Heading> & more" in _outline_titles(pdfs["regulator"])


def test_board_paper_stays_within_six_pages_for_a_large_review(snapshot):
    row = snapshot["compare"]["indicators"][0]
    snapshot["compare"]["indicators"] = [dict(row, code=f"PI{i:02d}") for i in range(30)]
    snapshot["actions"] = [dict(snapshot["actions"][0], title=f"Action {i} " + "long" * 3000)
                           for i in range(40)]
    snapshot["review"]["title"] = "A very long title " * 200
    snapshot["compete"]["warnings"] = ["A warning about the appraisal. " * 4] * 12
    _, pages = render(snapshot, "board")
    assert pages <= 6


def test_tenant_summary_anonymises_peers_and_says_what_changed(snapshot, pdf_text):
    pdf, _ = render(snapshot, "tenant")
    text = pdf_text(pdf)
    for peer in snapshot["compare"]["indicators"][0]["peers"]:
        if not peer["is_self"]:
            assert peer["name"] not in text
    assert "Landlord A" in text
    assert "You said, we did" in text
    assert "Appointments kept is now a quality criterion." in text
    assert re.search(r"Our result was 29\.38%\. The middle landlord had 26\.10%", text)


def test_anonymous_names_run_past_z():
    assert [anonymous_name(i) for i in (0, 1, 25, 26, 27)] == [
        "Landlord A", "Landlord B", "Landlord Z", "Landlord AA", "Landlord AB"]


@pytest.mark.parametrize("edition", ["regulator", "board", "tenant"])
def test_a_review_with_nothing_yet_still_renders(snapshot, pdf_text, edition):
    for key in ("team", "challenge", "consult", "actions", "judgements", "evidence"):
        snapshot[key] = []
    snapshot["compete"] = None
    snapshot["context"] = {}
    snapshot["methodology"] = ""
    snapshot["compare"] = {"year": None, "peer_group": None, "indicators": [],
                           "compete_trigger": [], "persistent": [],
                           "message": "No indicators are linked to this review."}
    pdf, pages = render(snapshot, edition)
    assert pages >= 1
    assert "Northvale Homes" in pdf_text(pdf)


def test_an_appraisal_that_cannot_be_worked_out_says_why(snapshot, pdf_text):
    snapshot["compete"] = {"options": [], "message": "The appraisal cannot be worked out: "
                                                     "a score of 11 is outside 0-10."}
    for edition in ("regulator", "board"):
        assert "a score of 11 is outside 0-10" in pdf_text(render(snapshot, edition)[0])


def test_long_tables_repeat_their_header_on_every_page(snapshot):
    snapshot["actions"] = [dict(snapshot["actions"][0], title=f"Action number {i}")
                           for i in range(90)]
    pdf, _ = render(snapshot, "regulator")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    with_actions = [text for text in pages if "Action number" in text]
    assert len(with_actions) >= 2
    assert all("Measure of success" in text for text in with_actions)
