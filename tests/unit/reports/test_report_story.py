"""Issue 12: every document reads as one. Each test pins a defect found reading the demo's
documents as an inspector, a board member and a tenant would."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from bvdesk.operations.snapshot import review_snapshot
from bvdesk.reports import charts, parts, render
from bvdesk.store.db import Database


@pytest.fixture(scope="module")
def demo_snapshots(tmp_path_factory, _demo_template):
    """The live snapshots of the demo's three reviews."""
    db = Database.open(_demo_template, write=False)
    try:
        return {review: review_snapshot(db, review) for review in (1, 2, 3)}
    finally:
        db.close()


def _lines(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [line for page in reader.pages for line in page.extract_text().splitlines()]


# --- cost tables add up --------------------------------------------------------------------------


@pytest.mark.parametrize("review", [1, 2, 3])
def test_cost_breakdown_parts_add_up_to_the_net_present_cost(demo_snapshots, review):
    compete = demo_snapshots[review]["compete"]
    if not compete or not compete["options"]:
        pytest.skip("no appraisal")
    rows = parts.cost_breakdown(compete)
    total = next(row for row in rows if row.kind == "total")
    for i, option in enumerate(compete["options"]):
        summed = sum(row.amounts[i] for row in rows if row.kind == "part")
        assert summed == pytest.approx(total.amounts[i], abs=0.5), option["name"]
    of_which = [row.label for row in rows if row.kind == "of_which"]
    assert all(label.startswith("of which") for label in of_which)


def test_vat_and_optimism_bias_print_as_of_which_lines(snapshot, pdf_text):
    text = pdf_text(render(snapshot, "regulator")[0])
    assert "of which irrecoverable VAT £1,000,000" in text
    assert "Irrecoverable VAT £1,000,000" not in text.replace("of which irrecoverable", "")


# --- charts --------------------------------------------------------------------------------------


def _strings(drawing) -> list:
    from reportlab.graphics.shapes import Group, String

    found, stack = [], list(drawing.contents)
    while stack:
        item = stack.pop()
        if isinstance(item, Group):
            stack.extend(item.contents)
        elif isinstance(item, String):
            found.append(item)
    return found


def _percent(value, decimals):
    return f"{value:.{decimals}f}%"


def test_axis_ticks_have_enough_decimals_to_be_distinct_and_true():
    # Values 0.21%..0.29%: one-decimal labels repeated ("0.2%, 0.2%, 0.3%, 0.3%").
    peers = [charts.Peer(f"P{i}", 0.21 + 0.01 * i, i == 3) for i in range(9)]
    drawing = charts.peer_distribution(peers, _percent, 2, width=300, height=150)
    ticks = charts.nice_ticks(*charts._bar_range([p.value for p in peers]))
    texts = [s.text for s in _strings(drawing)]
    labels = [t for t in texts if t.endswith("%") and not t.startswith("Us")]
    assert len(labels) == len(set(labels)) == len(ticks)
    for label, tick in zip(sorted(labels, key=lambda t: float(t[:-1])), ticks, strict=True):
        assert float(label[:-1]) == pytest.approx(tick, abs=1e-9), label
    assert "Us: 0.24%" in texts


@pytest.mark.parametrize(("higher", "top_line"), [(True, "p75"), (False, "p25")])
def test_quartile_lines_are_named_by_what_they_mean_for_the_polarity(higher, top_line):
    peers = [charts.Peer(f"P{i}", 10.0 + 5 * i) for i in range(8)]
    labels = charts.QuartileLabels.for_polarity(higher)
    drawing = charts.peer_distribution(peers, _percent, 1, width=300, height=150, p25=15.0,
                                       median=27.5, p75=40.0, labels=labels)
    y = {s.text: s.y for s in _strings(drawing)}
    assert not {"Q1", "Q3"} & set(y)
    top_above = y["Top quartile"] > y["Bottom quartile"]
    assert top_above is (top_line == "p75")


def test_tenant_chart_keeps_every_quartile_label_when_the_lines_are_close(snapshot):
    row = snapshot["compare"]["indicators"][0]
    row = {**row, "p25": 25.9, "median": 26.1, "p75": 26.4}
    from bvdesk.reports.tenant import TenantSummary

    chart = parts.peer_chart(TenantSummary(snapshot), row, 300, anonymise=True, enlarge=1.35)
    texts = {s.text for s in _strings(chart)}
    assert {"Best quarter", "Worst quarter", "Middle"} <= texts


def test_tornado_labels_both_ends_and_its_axis_and_keeps_long_labels_whole():
    label = "Improved in-house: Allocated overheads (avoidable)"
    bars = [charts.TornadoBar(label, -3.2, 2.9), charts.TornadoBar("Contract: Price", 1.0, -1.2)]
    drawing = charts.tornado(bars, 0.0, lambda v, d: f"{v:+.{d}f}", width=480,
                             label_width=150, axis_title="Change in lead (score points)")
    texts = [s.text for s in _strings(drawing)]
    assert texts.count("-20%") == 2 and texts.count("+20%") == 2
    assert "Change in lead (score points)" in texts
    assert not any(t.endswith("…") for t in texts)
    assert any("(avoidable)" in t for t in texts)


# --- furniture: watermark, bookmarks -------------------------------------------------------------


def _alphas(page) -> set[float]:
    states = page["/Resources"].get("/ExtGState", {})
    return {float(s.get_object().get("/ca", 1)) for s in states.values()}


def test_draft_watermark_is_drawn_on_every_page_but_is_not_text(snapshot):
    pdf, pages = render(snapshot, "regulator")
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        text = page.extract_text()
        assert "DRAFT" not in text and "RA" not in text.split() and "FT" not in text.split()
        assert 0.09 in _alphas(page)
    snapshot["signoff"] = {"by": "Jane Chair", "at": "2010-06-15T10:00:00", "version": 1,
                           "note": ""}
    signed = PdfReader(io.BytesIO(render(snapshot, "regulator")[0]))
    assert all(0.09 not in _alphas(page) for page in signed.pages)


@pytest.mark.parametrize("edition", ["regulator", "board", "tenant"])
def test_bookmarks_open_with_the_document_and_nest_like_the_headings(snapshot, edition):
    reader = PdfReader(io.BytesIO(render(snapshot, edition)[0]))
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    outline = reader.outline
    assert outline and not isinstance(outline[0], list)
    if edition == "regulator":
        top = [item.title for item in outline if not isinstance(item, list)]
        assert "Governance" in top and "4. Compare" in top
        nested = outline[top.index("Governance") + 1]
        assert isinstance(nested, list) and nested[0].title.startswith("Review team")


# --- wording -------------------------------------------------------------------------------------


def test_counts_agree_with_their_nouns(snapshot, pdf_text):
    text = pdf_text(render(snapshot, "regulator")[0])
    assert "1 activities" not in text
    assert "1 consultation activity with 412 responses" in text


def test_what_changed_is_not_claimed_for_activities_that_record_none(snapshot, pdf_text):
    snapshot["consult"].append({**snapshot["consult"][0], "changes": "", "method_label":
                                "Focus group", "method": "focus_group"})
    text = pdf_text(render(snapshot, "regulator")[0])
    assert "each with what changed" not in text
    assert "1 of 2 record what changed as a result" in text


def test_no_switching_sentence_about_external_options_when_there_are_none(snapshot, pdf_text):
    compete = snapshot["compete"]
    compete["options"] = [o for o in compete["options"] if o["kind"] != "external"]
    compete["switching_between"] = None
    compete["switching_value_pct"] = None
    text = pdf_text(render(snapshot, "regulator")[0])
    assert "contract price of the external options" not in text
    assert "No external option was appraised" in text


def test_data_quality_column_holds_only_data_quality(snapshot):
    row = {**snapshot["compare"]["indicators"][0], "persistent": True,
           "years_in_bottom_quartile": 5, "quartile": 4}
    assert "Bottom quartile" not in parts.data_notes(row)
    assert parts.quartile_text(row) == "Bottom quartile (5 years running)"


def test_prospects_judgement_is_not_called_not_assessed(snapshot, pdf_text):
    snapshot["judgements"].append({"kloe": "Prospects for improvement", "stars": None,
                                   "prospects": "excellent", "rationale": "Strong plan."})
    text = pdf_text(render(snapshot, "regulator")[0])
    assert "Not assessed; prospects" not in text
    assert "Prospects for improvement: prospects excellent." in text


def test_an_open_review_period_is_not_printed_as_to_dash(snapshot, pdf_text):
    snapshot["review"]["end_date"] = None
    for edition in ("regulator", "board", "tenant"):
        text = pdf_text(render(snapshot, edition)[0])
        assert "to –" not in text, edition
    assert "Review period from 1 June 2009" in pdf_text(render(snapshot, "regulator")[0])


def test_vat_treatment_is_not_split_across_lines(snapshot):
    option = snapshot["compete"]["options"][2]
    option["cost_lines"].append({"category": "contract_price", "label": "Contract price",
                                 "vat": "irrecoverable", "description": "Schedule of rates",
                                 "amounts": [100_000.0] * 11})
    lines = _lines(render(snapshot, "regulator")[0])
    assert any("Irrecoverable" in line for line in lines)
    assert not any(line.rstrip().endswith("Irrecover") for line in lines)


def test_standard_challenge_questions_fit_any_service():
    from bvdesk.domain.review_content import CHALLENGE_QUESTIONS

    text = " ".join(CHALLENGE_QUESTIONS).lower()
    for specific in ("repairing covenant", "right to repair", "voids"):
        assert specific not in text


# --- tenant summary ------------------------------------------------------------------------------


def _tenant_prose(snapshot) -> str:
    """The tenant summary's own sentences (paragraphs outside tables and charts)."""
    from reportlab.platypus import KeepTogether, Paragraph

    from bvdesk.reports.tenant import TenantSummary

    flowables, prose = list(TenantSummary(snapshot)._get_story()), []
    while flowables:
        item = flowables.pop(0)
        if isinstance(item, KeepTogether):
            flowables[:0] = item._content
        elif isinstance(item, Paragraph):
            prose.append(item.getPlainText())
    return " ".join(prose)


@pytest.mark.parametrize("review", [1, 2, 3])
def test_tenant_summary_is_plain_english(demo_snapshots, review, pdf_text):
    from bvdesk.reports.readability import flesch_reading_ease

    snapshot = demo_snapshots[review]
    assert flesch_reading_ease(_tenant_prose(snapshot)) >= 60
    text = pdf_text(render(snapshot, "tenant")[0]).lower()
    for jargon in ("void", "quartile", "q1", "q3", "vacant", "dwelling", "sustainment",
                   "retender", "arrears"):
        assert jargon not in text.split() and f" {jargon}" not in text, jargon


def test_reading_ease_counts_syllables_by_hand():
    from bvdesk.reports.readability import flesch_reading_ease, syllables

    assert [syllables(w) for w in ("home", "homes", "repairs", "satisfaction", "landlord",
                                   "asked", "wanted", "money")] == [1, 1, 2, 4, 2, 1, 2, 2]
    # "We fixed the roof. It took two days.": 8 words, 2 sentences, 8 syllables:
    # 206.835 - 1.015 x 4 - 84.6 x 1 = 118.175
    assert flesch_reading_ease("We fixed the roof. It took two days.") == pytest.approx(118.175)


def test_tenant_money_is_rounded_as_people_say_it(snapshot, pdf_text):
    from bvdesk.reports.tenant import spoken_money

    assert spoken_money(36_138_866) == "about £36 million"
    assert spoken_money(4_407_250) == "about £4.4 million"
    assert spoken_money(610_400) == "about £610,000"
    text = pdf_text(render(snapshot, "tenant")[0])
    assert "costs about £36 million in today's money" in text
    assert "36,138,866" not in text


def test_tenant_summary_counts_only_our_tenants_and_the_methods_used(snapshot, pdf_text):
    snapshot["consult"].append({**snapshot["consult"][0], "method": "mystery_shopping",
                                "method_label": "Mystery shopping", "responses": 30,
                                "findings": "21 of 30 calls got an appointment."})
    text = pdf_text(render(snapshot, "tenant")[0])
    assert "412 of you told us what you think, in a postal survey." in text
    assert "groups and panels" not in text and "442" not in text


def test_tenant_summary_says_how_to_get_in_touch_and_involved(snapshot, pdf_text):
    snapshot["landlord"].update({"phone": "0113 496 0000", "email": "talk@northvale.org.uk",
                                 "address": "1 Mill Street, Leeds LS1 4AB", "website": "",
                                 "get_involved": "Join our repairs panel: we meet monthly."})
    text = pdf_text(render(snapshot, "tenant")[0])
    for expected in ("Get in touch and get involved", "0113 496 0000", "talk@northvale.org.uk",
                     "1 Mill Street, Leeds LS1 4AB", "Join our repairs panel"):
        assert expected in text, expected
    assert "Website" not in text


# --- board paper ---------------------------------------------------------------------------------


def test_board_paper_names_its_meeting_saving_staffing_and_risks(snapshot, pdf_text):
    snapshot["review"].update({"board_meeting_date": "2010-07-20", "board_agenda_ref": "7",
                               "board_paper_author": "Helen Ashworth, Director"})
    options = snapshot["compete"]["options"]
    options[0]["eac"], options[1]["eac"] = 4_407_250.0, 4_300_000.0  # status quo, recommended
    options[1]["cost_lines"].append({"category": "redundancy", "label": "Redundancy",
                                     "vat": "none", "description": "", "amounts": [92_700.0]})
    options[1]["risks"] = [{"description": "Scheduling software slips", "probability": 0.2,
                            "impact": 150_000.0, "year": 1}]
    text = pdf_text(render(snapshot, "board")[0])
    for expected in ("Board meeting 20 July 2010 Agenda item 7",
                     "Author Helen Ashworth, Director",
                     "an annual saving of £107,250 against the status quo",
                     "Improved in-house includes £92,700 of redundancy costs",
                     "Scheduling software slips (probability 20%, impact £150,000 in year 1)"):
        assert expected in text, expected


def test_board_paper_reports_progress_when_there_is_no_decision_to_take(snapshot, pdf_text):
    snapshot["compete"]["recommended"] = None
    text = pdf_text(render(snapshot, "board")[0])
    assert "Decision asked of the board" not in text and "approve" not in text
    assert "Progress report" in text and "no decision is asked of the board" in text


# --- the submission says where things come from --------------------------------------------------


def test_each_action_states_its_cost_or_no_extra_cost(snapshot, pdf_text):
    snapshot["actions"].append({**snapshot["actions"][0], "title": "Publish the repairs promise",
                                "resources_gbp": None, "resources_fte": None})
    text = pdf_text(render(snapshot, "regulator")[0])
    assert "£250,000 1.5 FTE" in text and "No extra cost" in text
    assert "Within budget" not in text


def test_each_external_price_says_where_it_came_from(snapshot, pdf_text):
    snapshot["compete"]["options"][2].update({"price_source": "tender",
                                              "price_source_note": "Three bids, March 2010",
                                              "market_tested_share_pct": 100.0})
    text = pdf_text(render(snapshot, "regulator")[0])
    assert "Where the external prices come from" in text
    assert "External contract Tender 100% Three bids, March 2010" in text
    snapshot["compete"]["options"][2].update({"price_source": "",
                                              "market_tested_share_pct": None})
    # A contract for the whole service unless a share is given.
    assert "External contract Not recorded The whole service Three bids" in \
        pdf_text(render(snapshot, "regulator")[0])


def test_each_judgement_shows_the_evidence_it_rests_on(snapshot, pdf_text):
    snapshot["judgements"][0]["evidence"] = ["Tenant survey 2009"]
    snapshot["judgements"].append({"kloe": "Value for money", "stars": 1, "prospects": None,
                                   "rationale": "Costs high.", "evidence": []})
    text = pdf_text(render(snapshot, "regulator")[0])
    assert "Tenant survey 2009" in text and "No evidence file recorded" in text


def test_demo_snapshot_links_evidence_to_judgements_and_defines_its_peer_group(demo_snapshots):
    compare = demo_snapshots[1]["compare"]
    group = compare["peer_group_definition"]
    assert group["name"] == "All landlords in the benchmarking data"
    assert "Northvale Homes" not in group["members"]
    assert len(group["members"]) >= max(row["n"] for row in compare["indicators"]) - 1
    assert parts.peer_group_text(compare).startswith(
        "Peer group: All landlords in the benchmarking data, defined as every landlord")
    for number, judgement in enumerate(demo_snapshots[1]["judgements"], start=1):
        supporting = [e["title"] or e["file_name"] for e in demo_snapshots[1]["evidence"]
                      if e["supports"].casefold() in (f"judgement {number}",
                                                      judgement["kloe"].casefold())]
        assert judgement["evidence"] == supporting


# --- contents page -------------------------------------------------------------------------------


def test_contents_page_lists_the_sections_with_their_page_numbers(demo_snapshots):
    import re

    pdf, _ = render(demo_snapshots[1], "regulator")
    reader = PdfReader(io.BytesIO(pdf))
    contents = reader.pages[1].extract_text()
    assert "Contents" in contents.splitlines()
    top = [item for item in reader.outline if not isinstance(item, list)]
    listed = 0
    for item in top:
        if item.title == "Contents":
            continue
        page = reader.get_destination_page_number(item) + 1
        # Each entry reads back as its dot leader and page number, then its title.
        pattern = rf"\. (\d+)\n{re.escape(item.title)}$"
        match = re.search(pattern, contents, re.MULTILINE)
        if match is None:  # a long contents list runs on to the next page
            following = reader.pages[2].extract_text()
            match = re.search(pattern, following, re.MULTILINE)
        assert match is not None, item.title
        assert int(match.group(1)) == page, item.title
        listed += 1
    assert listed >= 10
    assert render(demo_snapshots[1], "regulator")[0] == pdf


# --- appendix ------------------------------------------------------------------------------------


def test_appendix_typesets_formulas_and_has_no_raw_settings(demo_snapshots, pdf_text):
    text = pdf_text(render(demo_snapshots[1], "regulator")[0])
    appendix = text[text.index("Appendix A. Methodology"):]
    assert "[[" not in appendix and "blank for the default" not in appendix
    assert "DF_t" not in appendix and "^-" not in appendix and "W_p" not in appendix
    assert "£1,000 × 1.20 = £1,200" in appendix
    assert "4 January 2011 20%" in appendix
    from bvdesk.reports.markdown import inline

    assert inline("DF_t = (1 + r)^-t") == "DF<sub>t</sub> = (1 + r)<super>−t</super>"


def test_glossary_does_not_cite_local_government_law_as_binding_a_housing_association(
        snapshot, pdf_text):
    text = pdf_text(render(snapshot, "regulator")[0])
    assert "(Local Government Act 1999, section 3)" not in text
    assert "binds local authorities" in text


@pytest.mark.parametrize("review", [1, 2, 3])
@pytest.mark.parametrize("edition", ["regulator", "board", "tenant"])
def test_no_heading_is_stranded_at_the_foot_of_a_page(demo_snapshots, review, edition):
    pdf, _ = render(demo_snapshots[review], edition)
    reader = PdfReader(io.BytesIO(pdf))

    def titles(items) -> set[str]:
        found = set()
        for item in items:
            found |= titles(item) if isinstance(item, list) else {item.title}
        return found

    headings = titles(reader.outline) - {"Contents"}
    for number, page in enumerate(reader.pages, start=1):
        lines = [line.strip() for line in page.extract_text().splitlines() if line.strip()]
        if "Contents" in lines:
            continue  # the contents page lists the headings
        assert lines and lines[-1] not in headings, (number, lines[-1])


def test_board_paper_seeks_no_decision_before_compete(snapshot, pdf_text):
    snapshot["review"]["stage"] = "consult"
    text = pdf_text(render(snapshot, "board")[0])
    assert "Decision asked of the board" not in text
    assert "not yet been tested through the Compete stage" in text
    assert "5. The options appraisal so far" in text and "5. Recommendation" not in text
    assert "Recommended option" not in text
    assert "Provisional result of the options appraisal: Improved in-house" in text


# --- signed off: no placeholders, the outstanding items once ------------------------------------


PLACEHOLDERS = ("not yet", "has not been written", "have been recorded yet", "yet.")


def _empty(snapshot):
    snapshot["judgements"] = []
    snapshot["challenge"][0]["answer"] = ""
    snapshot["review"].update({"objectives": "", "vfm_statement": "",
                               "board_approval_date": None})
    snapshot["consult"] = []
    snapshot["actions"] = []
    snapshot["compete"] = None
    return snapshot


def test_a_signed_off_document_prints_no_placeholder_text(snapshot, pdf_text):
    draft = pdf_text(render(_empty(snapshot), "regulator")[0]).lower()
    assert "not yet answered" in draft  # the draft still says what is missing
    snapshot["signoff"] = {"by": "Jane Chair", "at": "2010-06-15T10:00:00", "version": 1,
                           "note": "", "override_reason": "Board deadline",
                           "outstanding": ["Challenge: question 1 has no answer.",
                                           "Compete: no options have been appraised."]}
    for edition in ("regulator", "board", "tenant"):
        text = pdf_text(render(snapshot, edition)[0]).lower()
        for phrase in PLACEHOLDERS:
            assert phrase not in text, (edition, phrase)
    text = pdf_text(render(snapshot, "regulator")[0])
    assert text.count("Signed off by Jane Chair with 2 items outstanding.") == 1
    assert "Reason given: Board deadline" in text
    assert text.count("Challenge: question 1 has no answer.") == 1


@pytest.mark.slow
def test_every_edition_of_every_signed_off_demo_review_is_free_of_placeholders(
        demo_db_path, pdf_text):
    from bvdesk.operations.reports import render_bytes
    from bvdesk.operations.signoff import sign_off

    db = Database.open(demo_db_path, write=True)
    try:
        for review in (1, 2, 3):
            with db.read() as session:
                from bvdesk.store.models import Review

                locked = session.get(Review, review).locked
            if not locked:
                sign_off(db, review, "Jane Chair", override_reason="Board deadline")
            for edition in ("regulator", "board", "tenant"):
                text = pdf_text(render_bytes(db, review, edition)[0]).lower()
                for phrase in ("not yet", "has not been written", "yet."):
                    assert phrase not in text, (review, edition, phrase)
                assert "draft: not signed off" not in text, (review, edition)
    finally:
        db.close()


def test_methodology_bookmarks_nest_like_its_headings(demo_snapshots):
    outline = PdfReader(io.BytesIO(render(demo_snapshots[1], "regulator")[0])).outline

    def path_to(title, items, trail=()):
        for i, item in enumerate(items):
            if isinstance(item, list):
                continue
            if item.title == title:
                return trail
            children = items[i + 1] if i + 1 < len(items) and isinstance(items[i + 1],
                                                                          list) else []
            found = path_to(title, children, (*trail, item.title))
            if found is not None:
                return found
        return None

    assert path_to("2.1 Irrecoverable VAT", outline) == (
        "Appendix A. Methodology", "Options appraisal: methodology", "2. The cost of each year")


def test_board_paper_states_each_actions_cost(snapshot, pdf_text):
    snapshot["actions"].append({**snapshot["actions"][0], "title": "Publish the repairs promise",
                                "resources_gbp": None, "resources_fte": None})
    text = pdf_text(render(snapshot, "board")[0])
    assert "£250,000 1.5 FTE" in text and "No extra cost" in text


@pytest.mark.parametrize("higher", [True, False])
def test_quartile_labels_on_one_line_stack_in_their_order(higher):
    # Gas safety: 19 of 21 landlords at 100%, so both quartiles and the median are 100%. The
    # labels printed "Bottom quartile" above "Top quartile" above "Median" for a higher-is-better
    # indicator; stacked, they read in order: the better quartile on top for higher-is-better,
    # p25 lowest and p75 highest always.
    peers = [charts.Peer(f"P{i}", 100.0) for i in range(19)] + [charts.Peer("Us", 97.7, True)]
    labels = charts.QuartileLabels.for_polarity(higher)
    drawing = charts.peer_distribution(peers, _percent, 1, width=300, height=150, p25=100.0,
                                       median=100.0, p75=100.0, labels=labels)
    y = {s.text: s.y for s in _strings(drawing)}
    assert y[labels.p25] < y["Median"] < y[labels.p75]
