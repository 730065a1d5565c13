"""The regulator submission: the full self-assessment, following domain.md section 6."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from bvdesk.domain.review_document import (
    CompetePart,
    OptionPart,
)
from bvdesk.domain.vocabulary import VatTreatment
from bvdesk.domain.wording import count
from bvdesk.reports import charts, markdown, parts
from bvdesk.reports.base import CONDENSED, CONDENSED_BOLD, NAVY, ReportRenderer
from bvdesk.reports.text import entered, financial_year, long_date, money, number, pct

#: The VAT column of the cost model in words: a bare "None" reads as a missing value.
_VAT_WORDS = {VatTreatment.NONE.value: "No VAT"}

#: The tornado chart shows the largest effects only.
TORNADO_BARS = 10

GLOSSARY = (
    ("Best Value", "Continuous improvement in the way a service is provided, having regard "
                   "to economy, efficiency and effectiveness. For a housing association it is "
                   "the Housing Corporation's regulatory expectation (the Regulatory Code and "
                   "its Best Value guidance); the statutory duty of the Local Government Act "
                   "1999 binds local authorities, and is followed here as good practice."),
    ("4 Cs", "Challenge, Compare, Consult and Compete: the four tests of a Best Value review."),
    ("KLOE", "Key line of enquiry: a question inspectors use to judge a service."),
    ("Quartile", "A quarter of the peer group, ranked from best to worst. The top quartile is "
                 "the best quarter whatever the indicator's polarity."),
    ("Peer median", "The middle value of the peer group."),
    ("Gap to top quartile", "How far the landlord's value is from the threshold of the best "
                            "quarter of peers; nil when already in the top quartile."),
    ("Net present cost (NPC)", "The sum of an option's costs over the appraisal period, each "
                               "discounted to the base date at the appraisal's discount "
                               "rate (section 6)."),
    ("Equivalent annual cost (EAC)", "The level yearly cost with the same net present cost."),
    ("Optimism bias", "An uplift on costs for the tendency of appraisals to underestimate them."),
    ("Switching value", "The change in the contract price of the best externally tested "
                        "option at which it would score the same as the best in-house option "
                        "(Appendix A, 8.1)."),
    ("TUPE", "Transfer of Undertakings (Protection of Employment) Regulations: staff transfer "
             "to a new provider on their existing terms."),
    ("95% confidence interval", "The range within which the true satisfaction of all tenants "
                                "lies, 19 times out of 20, given the sample surveyed."),
    ("SMART", "Specific, measurable, achievable, relevant and time-bound."),
)


class RegulatorSubmission(ReportRenderer):
    edition = "regulator"
    edition_label = "Best Value review submission"
    two_pass = True

    def _get_story(self) -> list[Flowable]:
        story: list[Flowable] = []
        for section in (self._governance, self._summary, self._context, self._challenge,
                        self._compare, self._consult, self._compete, self._plan, self._vfm,
                        self._involvement, self._capacity, self._appendices):
            story.extend(section())
        return story

    # --- 1. cover and governance -----------------------------------------------------------

    def _governance(self) -> list[Flowable]:
        s = self.snapshot
        review = s["review"]
        approval = self.missing("Not yet approved by the board")
        if review.get("board_approval_date"):
            approval = f"Approved by the board on {long_date(review['board_approval_date'])}"
            if review.get("board_minute_ref"):
                approval += f", minute {review['board_minute_ref']}"
        team = [[m["name"], m["role"], "Tenant member" if m["is_tenant"] else "Staff"]
                for m in s["team"]]
        tenants = sum(1 for m in s["team"] if m["is_tenant"])
        return [
            self.heading("Governance", 0),
            self.facts([
                ("Landlord", s["landlord"]["name"]),
                ("Service reviewed", s["service"]["name"]),
                ("Review period", parts.period_text(review)),
                ("Scope", review.get("scope") or self.missing("Not yet described.")),
                ("Board approval", approval),
                ("Status", parts.status_text(s)),
            ]),
            *self.outstanding_box(),
            self.heading(f"Review team ({count(len(team), 'member')}, "
                         f"{count(tenants, 'tenant') if tenants else 'no tenant'})"
                         if team else "Review team", 1),
            self.table(["Name", "Role", "Member"], team, [0.3, 0.5, 0.2]) if team else
            self.markup(f"<i>{self.missing('No review team members recorded yet.')}</i>"),
            PageBreak(),
            *self.contents(),
        ]

    # --- 2. executive summary --------------------------------------------------------------

    def _summary(self) -> list[Flowable]:
        s = self.snapshot
        story: list[Flowable] = [self.heading("1. Executive summary", 0)]
        story += [self.markup(sentence, "Lead") for sentence in parts.headline(s)]
        story.append(self.heading("Self-assessed judgements", 1))
        if s["judgements"]:
            story.append(parts.judgement_table(self, s["judgements"]))
        else:
            story.append(self.markup(f"<i>{self.missing('No judgements have been recorded yet.')}"
                                     "</i>"))
        return story

    # --- 3. context ------------------------------------------------------------------------

    def _context(self) -> list[Flowable]:
        s = self.snapshot
        landlord = s["landlord"]
        context = s["context"]
        pairs: list[tuple[str, Any]] = []
        if "homes" not in context and landlord.get("homes") is not None:
            pairs.append(("Homes owned", number(landlord["homes"])))
        if "region" not in context and landlord.get("region"):
            pairs.append(("Region", landlord["region"]))
        pairs += [(parts.context_label(key), parts.context_value(key, value))
                  for key, value in context.items()]
        return [self.heading("2. Context", 0),
                *self.paras(s["service"].get("description")),
                *([self.facts(pairs)] if pairs else [])]

    # --- 4. challenge ----------------------------------------------------------------------

    def _challenge(self) -> list[Flowable]:
        s = self.snapshot
        story: list[Flowable] = [self.heading("3. Challenge", 0), self.heading("Objectives", 1)]
        story += self.paras(s["review"].get("objectives"),
                            empty=self.missing("No objectives recorded yet."))
        story.append(self.heading("Fundamental questions", 1))
        for number_, item in enumerate(s["challenge"], start=1):
            story.append(self.markup(f"<b>Q{number_}.</b> " + parts.safe_text(item["question"]),
                                     "H3"))
            story += self.paras(item.get("answer"), empty=self.missing("Not yet answered."))
        return story

    # --- 5. compare ------------------------------------------------------------------------

    def _compare(self) -> list[Flowable]:
        compare = self.snapshot["compare"]
        story: list[Flowable] = [self.section_break(), self.heading("4. Compare", 0)]
        rows = compare["indicators"]
        if not rows:
            return story + self.paras(compare.get("message"), empty="No benchmarking data.")
        group = compare.get("peer_group") or "all landlords with data"
        story.append(self.para(
            f"Performance in {financial_year(compare['year'])} against {group}. Quartiles are "
            "ranked best first whatever the polarity; the trend shows our own values in each "
            "year with data, up to the last five."))
        definition = parts.peer_group_text(compare)
        if definition:
            story.append(self.para(definition, "BodySmall"))
        story.append(parts.indicator_table(self, rows, self.snapshot["actions"]))
        missing = compare.get("not_benchmarked") or []
        if missing:
            story.append(self.para(
                f"Linked to this review but not benchmarked for {financial_year(compare['year'])}"
                ", which needs a value of ours and of at least one peer for that year: "
                + "; ".join(f"{m['code']} {m['name']}" for m in missing) + ".", "BodySmall"))
        if compare.get("compete_trigger"):
            story.append(self.para(
                "Bottom quartile: " + ", ".join(compare["compete_trigger"]) + ". A service in "
                "the bottom quartile must be tested against the market.", "Callout"))
        charted = [row for row in rows if row["linked"]]
        if charted:
            story.append(CondPageBreak(240))
            story.append(self.heading("Where we stand among our peers", 1))
        for row in charted:
            half = self.width / 2 - 6
            pair = parts.chart_pair(self, parts.peer_chart(self, row, half),
                                    parts.trend_chart(self, row, half))
            story.append(CondPageBreak(200))
            story.append(self.heading(f"{row['code']} {row['name']}", 2))
            story.append(self.figure(pair, parts.chart_caption(row, compare["year"])))
        return story

    # --- 6. consult ------------------------------------------------------------------------

    def _consult(self) -> list[Flowable]:
        activities = self.snapshot["consult"]
        story: list[Flowable] = [self.heading("5. Consult", 0)]
        if not activities:
            return story + [self.markup(
                f"<i>{self.missing('No consultation has been recorded yet.')}</i>")]
        story.append(parts.consult_table(self, activities))
        for a in activities:
            story.append(self.heading(f"{a['method_label']}, {long_date(a.get('held_on'))}", 2))
            pairs = [("What we found", a.get("findings") or "–"),
                     ("What changed as a result", a.get("changes") or "–")]
            if a.get("representativeness"):
                pairs.append(("Representativeness", a["representativeness"]))
            sat = a["satisfaction"]
            if sat is not None:
                # The margin is in percentage points, as the compare table's gaps are.
                pairs.append(("Satisfaction", f"{pct(sat['pct'])} satisfied, "
                                              f"±{number(sat['margin'], 1)} pts at 95% "
                                              f"confidence (n = {number(sat['n'])})"))
            pairs += [("Note", problem) for problem in a.get("problems", [])]
            story.append(self.facts(pairs, label_width=0.25))
        return story

    # --- 7. compete ------------------------------------------------------------------------

    def _compete(self) -> list[Flowable]:
        compete = self.snapshot.get("compete")
        story: list[Flowable] = [self.section_break(),
                                 self.heading("6. Compete: options appraisal", 0)]
        if not compete or not compete.get("options"):
            return story + [parts.no_appraisal(self, compete)]
        p = compete["parameters"]
        story.append(self.facts([
            ("Base date and period", f"{long_date(p.get('base_date'))}, "
                                     f"{count(p.get('period_years') or 0, 'year')}"),
            ("Discount rate", pct(p.get("discount_rate_pct"), 2)
             if p.get("discount_rate_pct") is not None else
             _scheduled_rates(compete["discount_factors"])),
            ("VAT rate", pct(p.get("vat_rate_pct"), 1)),
            ("Price : quality weighting", f"{entered(p.get('price_weight'))} : "
                                          f"{entered(100 - (p.get('price_weight') or 0))}"),
            ("Quality threshold", f"{entered(p.get('quality_threshold_pct'))}% of the quality "
                                  "marks"),
        ], label_width=0.3))
        story.append(self.heading("Options and results", 1))
        story.append(parts.options_table(self, compete))
        sources = parts.price_sources(self, compete)
        if sources is not None:
            story += [self.heading("Where the external prices come from", 2), sources]
        if any(o["npc"] for o in compete["options"]):
            story.append(parts.npc_chart(self, compete))
            story.append(self.heading("Cost breakdown (net present cost by category)", 1))
            story.append(self._category_table(compete))
            story.append(self.heading("Yearly costs (base-year prices, before discounting)", 1))
            story.append(self.para("Each year's cost includes irrecoverable VAT, optimism bias "
                                   "and the expected cost of risks; the net present cost is the "
                                   "sum of each year's cost times its discount factor.",
                                   "BodySmall"))
            story.append(self._yearly_table(compete))
        story.append(self.heading("Quality scoring", 1))
        story.append(self._quality_table(compete))
        story.append(self.heading("Sensitivity", 1))
        story += self._sensitivity(compete)
        story.append(self.heading("Decision", 1))
        story += [self.para(line, "Callout") for line in compete.get("decision", [])]
        story += self.bullets(compete.get("warnings", []))
        return story

    def _category_table(self, compete: CompetePart) -> Flowable:
        """The categories and the risk add up to the net present cost; irrecoverable VAT and
        optimism bias are already inside the categories, so they follow as "of which" lines."""
        options = compete["options"]
        lines = parts.cost_breakdown(compete)
        rows = [[line.label, *[money(v) for v in line.amounts]] for line in lines]
        total = next(i for i, line in enumerate(lines, start=1) if line.kind == "total")
        style: list[tuple[Any, ...]] = [
            ("LINEABOVE", (0, total), (-1, total), 0.8, NAVY),
            ("FONT", (0, total), (-1, total), CONDENSED_BOLD, self.base_size - 1.5)]
        style += [("FONT", (0, i), (-1, i), CONDENSED, self.base_size - 2.5)
                  for i, line in enumerate(lines, start=1) if line.kind == "of_which"]
        style += [("LEFTPADDING", (0, i), (0, i), 12)
                  for i, line in enumerate(lines, start=1) if line.kind == "of_which"]
        col = 0.72 / len(options)
        return self.table(["Category", *[o["name"] for o in options]], rows,
                          [0.28] + [col] * len(options), align="L" + "R" * len(options),
                          extra_style=style)

    def _yearly_table(self, compete: CompetePart) -> Flowable:
        options = compete["options"]
        factors = compete["discount_factors"]
        years = max(len(o["yearly_costs"]) for o in options)
        rows = [[f"Year {t}", f"{factors[t]:.6f}" if t < len(factors) else "–",
                 *[money(o["yearly_costs"][t]) if t < len(o["yearly_costs"]) else "–"
                   for o in options]] for t in range(years)]
        rows.append(["Net present cost", "", *[money(o["npc"]) for o in options]])
        col = 0.72 / len(options)
        return self.table(["Year", "Discount factor", *[o["name"] for o in options]], rows,
                          [0.17, 0.11] + [col] * len(options), align="LR" + "R" * len(options),
                          total_row=True)

    def _quality_table(self, compete: CompetePart) -> Flowable:
        options = compete["options"]
        criteria = compete.get("criteria", [])
        if not criteria:
            return self.markup("<i>No quality criteria have been set.</i>")
        rows = [[c["name"], entered(c["weight"]),
                 *[entered(c["scores"].get(o["name"])) for o in options]] for c in criteria]
        rows.append(["Quality score (weighted)", "",
                     *[number(o["quality_score"], 1) for o in options]])
        col = 0.62 / len(options)
        return self.table(["Criterion (score 0-10)", "Weight", *[o["name"] for o in options]],
                          rows, [0.3, 0.08] + [col] * len(options),
                          align="LR" + "R" * len(options), total_row=True)

    def _sensitivity(self, compete: CompetePart) -> list[Flowable]:
        story: list[Flowable] = [self.para(parts.switching_text(compete))]
        bars = compete.get("tornado", [])[:TORNADO_BARS]
        if bars:
            drawing = charts.tornado(
                [charts.TornadoBar(b["label"], b["low"], b["high"]) for b in bars], 0.0,
                lambda v, d: f"{v:+.{d}f}" if v else "0", width=self.width,
                label_width=self.width * 0.38,
                axis_title="Change in the recommended option's lead (score points)")
            story.append(self.figure(drawing, "Tornado: change in the recommended option's "
                                              "lead, in score points, when each cost is 20% "
                                              "lower (green) or 20% higher (brown), the "
                                              f"{len(bars)} largest effects. The grey line is "
                                              "no change."))
        return story

    # --- 8. improvement plan ---------------------------------------------------------------

    def _plan(self) -> list[Flowable]:
        actions = self.snapshot["actions"]
        story: list[Flowable] = [self.section_break(), self.heading("7. Improvement plan", 0)]
        if not actions:
            return story + [self.markup(f"<i>{self.missing('No improvement actions yet.')}</i>")]
        story.append(parts.actions_table(self, actions))
        trajectories = [a for a in actions if a.get("trajectory")]
        if trajectories:
            story.append(self.heading("Trajectory to the top quartile", 1))
            story.append(parts.trajectory_table(self, trajectories))
        return story

    # --- 9. value for money ----------------------------------------------------------------

    def _vfm(self) -> list[Flowable]:
        return [self.heading("8. Value for money statement", 0),
                *self.paras(self.snapshot["review"].get("vfm_statement"),
                            empty=self.missing("The value for money statement has not been "
                                               "written yet."))]

    # --- 10. involvement, 11. capacity ------------------------------------------------------

    def _kloe_rationale(self, *words: str) -> list[Flowable]:
        """The rationale of judgements whose key line of enquiry names any of ``words``."""
        story: list[Flowable] = []
        for j in self.snapshot["judgements"]:
            if any(word in j["kloe"].lower() for word in words):
                verdict = parts.verdict(j)
                story.append(self.markup(f"<b>{parts.safe_text(j['kloe'])}</b>: "
                                         f"{parts.safe_text(verdict)}"))
                story += self.paras(j.get("rationale"))
        return story

    def _involvement(self) -> list[Flowable]:
        s = self.snapshot
        tenants = [m for m in s["team"] if m["is_tenant"]]
        counted = [n for a in s["consult"] if (n := a.get("responses")) is not None]
        changed = sum(1 for a in s["consult"] if a.get("changes"))
        activities = len(s["consult"])
        if activities and changed == activities:
            outcome = ("; each records" if activities > 1 else "; it records") + \
                " what changed as a result (section 5)."
        elif activities:
            outcome = f"; {changed} of {activities} record what changed as a result (section 5)."
        else:
            outcome = "."
        held = count(activities, "consultation activity", "consultation activities")
        # Responses are counted only where they were recorded: a focus group with no count
        # is not "0 responses".
        if not counted:
            heard = ""
        elif len(counted) == activities:
            heard = f" with {count(sum(counted), 'response')}"
        else:
            heard = (f" with {count(sum(counted), 'response')} at the "
                     f"{count(len(counted), 'activity', 'activities')} that counted them")
        story: list[Flowable] = [
            self.heading("9. Resident involvement, diversity and access", 0),
            self.para((f"Tenants on the review team: {len(tenants)} of {len(s['team'])}. "
                       if s["team"] else "No review team members are recorded. ") +
                      (f"Consultation: {held}{heard}{outcome}"
                       if activities else "No consultation is recorded."))]
        # Each check under the activity it was made for, as section 5 heads them.
        notes = [f"{a['method_label']}, {long_date(a.get('held_on'))}: {a['representativeness']}"
                 for a in s["consult"] if a.get("representativeness")]
        if notes:
            story.append(self.para("How representative those who answered were:"))
            story += self.bullets(notes)
        return story + self._kloe_rationale("involvement", "diversity", "access")

    def _capacity(self) -> list[Flowable]:
        s = self.snapshot
        counts = {status: sum(1 for a in s["actions"] if a.get("status") == status)
                  for status in ("complete", "green", "amber", "red")}
        flagged = [r["code"] for r in s["compare"]["indicators"]
                   if r.get("quality_note") or r.get("small_sample")]
        story: list[Flowable] = [
            self.heading("10. Performance management and capacity to improve", 0),
            self.heading("Track record of the improvement plan", 1),
            self.table(["Complete", "On track (green)", "At risk (amber)", "Off track (red)"],
                       [[str(counts[k]) for k in ("complete", "green", "amber", "red")]],
                       [0.25] * 4, align="RRRR") if s["actions"] else
            self.para("There are no improvement actions to track."),
            self.heading("Data quality", 1),
            self.para(f"{len(flagged)} of {len(s['compare']['indicators'])} indicators carry a "
                      f"data-quality note or a small peer sample: {', '.join(flagged)}."
                      if flagged else "No indicator carries a data-quality note or a small "
                      "peer sample." if s["compare"]["indicators"] else
                      "No indicator was benchmarked (section 4), so there is no data quality "
                      "to report.")]
        judged = self._kloe_rationale("prospects", "performance management", "capacity")
        if judged:
            story += [self.heading("Self-assessment", 1), *judged]
        return story

    # --- appendices ------------------------------------------------------------------------

    def _cost_model(self) -> list[Flowable]:
        """Every cost line of every option, year by year in £ thousands, with the option's
        optimism bias and its risks: all that its net present cost is worked out from."""
        compete = self.snapshot["compete"]
        options = [o for o in (compete["options"] if compete else [])
                   if o["cost_lines"] or o["risks"]]
        if not options:
            return []
        story: list[Flowable] = [CondPageBreak(160),
                                 self.heading("Appendix A2. Cost model by option", 1),
                                 self.para("Amounts in £ thousands at base-year prices, "
                                           "excluding VAT, before discounting.", "BodySmall")]
        years = max([len(line["amounts"]) for o in options for line in o["cost_lines"]] or [1])
        col = 0.63 / years
        for option in options:  # VAT column wide enough for "Irrecoverable" on one line
            # The description with its category, or the category alone: never one word twice.
            rows = [[f"{line['description']} ({line['label']})" if line["description"] and
                     line["description"] != line["label"] else line["label"],
                     _VAT_WORDS.get(line["vat"]) or VatTreatment(line["vat"]).label,
                     *[number(a / 1000) if a else "–" for a in line["amounts"]],
                     *["–"] * (years - len(line["amounts"]))]
                    for line in option["cost_lines"]]
            story.append(self.heading(option["name"], 2))
            if rows:
                story.append(self.table(["Cost line", "VAT",
                                         *[f"Y{t}" for t in range(years)]], rows,
                                        [0.25, 0.12] + [col] * years,
                                        align="LL" + "R" * years,
                                        extra_style=[("LEFTPADDING", (2, 0), (-1, -1), 2),
                                                     ("RIGHTPADDING", (2, 0), (-1, -1), 2)]))
            story += self._bias_and_risks(option)
        return story

    def _bias_and_risks(self, option: OptionPart) -> list[Flowable]:
        """The option's optimism bias and risk register, in pounds, as the NPC counts them."""
        bias = option["optimism_bias_pct"]
        story: list[Flowable] = [self.para(
            f"Optimism bias: {number(bias, 1).removesuffix('.0')}% on every cost line, after "
            "VAT." if bias else "No optimism bias.", "BodySmall")]
        if option["risks"]:
            rows = [[r["description"], pct(r["probability"] * 100, 0), money(r["impact"]),
                     f"Y{r['year']}", money(r["probability"] * r["impact"])]
                    for r in option["risks"]]
            story.append(self.table(["Risk", "Probability", "Impact", "Year",
                                     "Expected cost"], rows, [0.44, 0.14, 0.16, 0.1, 0.16],
                                    align="LRRRR"))
        return story

    def _appendices(self) -> list[Flowable]:
        s = self.snapshot
        story: list[Flowable] = [self.section_break(), self.heading("Appendix A. Methodology", 0)]
        if s.get("methodology"):
            story += markdown.flowables(self, s["methodology"], top_level=1)
        else:
            story.append(self.markup("<i>The methodology note is not available.</i>"))
        story += self._cost_model()
        story += [CondPageBreak(120), self.heading("Appendix B. Evidence index", 0)]
        if s["evidence"]:
            rows = [[e.get("title") or e["file_name"], e["file_name"],
                     long_date(e.get("dated")), self.para(e["sha256"], "Mono")]
                    for e in s["evidence"]]
            story.append(self.table(["Document", "File", "Dated", "SHA-256"], rows,
                                    [0.26, 0.24, 0.13, 0.37]))
        else:
            story.append(self.markup("<i>No evidence files are attached.</i>"))
        story += [CondPageBreak(120), self.heading("Appendix C. Glossary", 0),
                  self.table(["Term", "Meaning"], [list(g) for g in GLOSSARY], [0.25, 0.75])]
        return story


def _scheduled_rates(factors: list[float]) -> str:
    """The rates of the Treasury schedule the discount factors were worked out with:
    ``3.50%``, or ``3.50% in years 1–30, 3.00% in years 31–40`` when it declines within the
    period, with where they come from."""
    rates = [round((factors[t - 1] / factors[t] - 1) * 100, 6) for t in range(1, len(factors))]
    bands: list[tuple[float, int, int]] = []
    for year, rate in enumerate(rates, start=1):
        if bands and bands[-1][0] == rate:
            bands[-1] = (rate, bands[-1][1], year)
        else:
            bands.append((rate, year, year))
    used = (pct(bands[0][0], 2) if len(bands) == 1 else
            ", ".join(f"{pct(rate, 2)} in years {first}–{last}" if first != last else
                      f"{pct(rate, 2)} in year {first}" for rate, first, last in bands))
    return f"{used}: the Treasury schedule for the base date" if used else \
        "The Treasury schedule for the base date"
