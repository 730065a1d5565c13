"""The board paper: the position, the decision asked for, costs and risks, the recommendation.

At most six pages: long lists are cut to their most important rows, with a pointer to the
full submission for the rest.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from bvdesk.domain.readiness import seeks_decision
from bvdesk.domain.review_document import OptionPart
from bvdesk.domain.vocabulary import Stage
from bvdesk.domain.wording import count
from bvdesk.reports import parts
from bvdesk.reports.base import ReportRenderer
from bvdesk.reports.text import brief, financial_year, long_date, money, pct

MAX_INDICATORS = 10
MAX_ACTIONS = 8
MAX_WARNINGS = 5


class BoardPaper(ReportRenderer):
    edition = "board"
    edition_label = "Board paper"
    cover_band = 62 * mm

    def _cover_lines(self) -> list[str]:
        review = self.snapshot["review"]
        stage = Stage(review["stage"]).label if review.get("stage") in set(Stage) else ""
        return [". ".join([*self._service_unless_titled(), f"Review stage: {stage}"])]

    def _meeting(self) -> list[Flowable]:
        """The meeting the paper goes to, its agenda item and author, when recorded."""
        review = self.snapshot["review"]
        pairs = [(label, value) for label, value in (
            ("Board meeting", long_date(review.get("board_meeting_date"))
             if review.get("board_meeting_date") else ""),
            ("Agenda item", review.get("board_agenda_ref") or ""),
            ("Author", review.get("board_paper_author") or "")) if value]
        return [self.facts(pairs, label_width=0.2)] if pairs else []

    def _get_story(self) -> list[Flowable]:
        story: list[Flowable] = []
        for section in (self._meeting, self._decision, self._position, self._costs,
                        self._risks, self._recommendation):
            story.extend(section())
        return story

    def _decision(self) -> list[Flowable]:
        s = self.snapshot
        option = parts.recommended_option(s.get("compete"))
        if option is None or not seeks_decision(s):
            # No decision to take yet (no recommendation, or Compete not reached): progress.
            stage = s["review"]["stage"]
            label = Stage(stage).label.lower() if stage in set(Stage) else stage
            story: list[Flowable] = [
                self.heading("1. Progress report", 0),
                self.para(f"The review has reached the {label} stage. "
                          + (("The options appraisal made no recommendation" if self.signoff
                              else "The options appraisal has not yet produced a "
                              "recommendation") if option is None else
                             ("The options were not tested through the Compete stage"
                              if self.signoff else
                              "The options have not yet been tested through the Compete stage"))
                          + ", so no decision is asked of the board at this meeting; the board "
                            "is asked to note the progress of the review.")]
        else:
            asks = [f"approve <b>{parts.safe_text(option['name'])}</b> as the way the "
                    f"service is provided, at a net present cost of {money(option['npc'])} "
                    f"over the appraisal period{self._saving_clause(option)};"]
            if s["actions"]:
                asks.append(f"approve the improvement plan of "
                            f"{count(len(s['actions']), 'action')};")
            if s["judgements"]:
                asks.append("endorse the self-assessed judgements for submission to the "
                            "inspectorate;")
            asks[-1] = asks[-1].rstrip(";") + "."
            story = [self.heading("1. Decision asked of the board", 0),
                     self.markup("The board is asked to:")]
            story += [self.markup(text, "Bullet") for text in asks]
            story += self._staffing(option)
        story.append(self.heading("2. The position", 0))
        lines = parts.headline(s, provisional=not seeks_decision(s))
        story += [self.markup(line, "Body") for line in lines]
        if not lines and not s["compare"]["indicators"]:  # else the heading stood alone
            story.append(self.markup("<i>" + self.missing(
                "Nothing has been judged, benchmarked, surveyed or appraised yet.") + "</i>"))
        return story

    def _status_quo(self) -> OptionPart | None:
        compete = self.snapshot["compete"]
        options = compete["options"] if compete else []
        return next((o for o in options if o["kind"] == "in_house"), None)

    def _saving_clause(self, option: OptionPart) -> str:
        """``, an annual saving of £X against the status quo`` (or the extra cost)."""
        base = self._status_quo()
        if base is None or base["name"] == option["name"]:
            return ""
        change = base["eac"] - option["eac"]
        what = "an annual saving" if change >= 0 else "an annual extra cost"
        return (f": {what} of {money(abs(change))} against the status quo (equivalent annual "
                f"cost {money(option['eac'])} against {money(base['eac'])})")

    def _staffing(self, option: OptionPart) -> list[Flowable]:
        """Staffing implications from the option's staff transfer and redundancy lines."""
        totals: dict[str, float] = {}
        for line in option["cost_lines"]:
            if line["category"] in ("staff_transfer", "redundancy"):
                totals[line["category"]] = totals.get(line["category"], 0.0) + sum(
                    line["amounts"])
        if not totals:
            text = (f"Staffing: {option['name']} carries no staff transfer (TUPE) or "
                    "redundancy costs.")
        else:
            said = [f"{money(amount)} of "
                    f"{'staff transfer (TUPE)' if key == 'staff_transfer' else 'redundancy'} "
                    "costs" for key, amount in sorted(totals.items())]
            text = (f"Staffing: {option['name']} includes " + " and ".join(said) +
                    " (base-year prices, before discounting).")
        return [self.para(text)]

    def _position(self) -> list[Flowable]:
        compare = self.snapshot["compare"]
        # Every indicator the position counts ("Of 4 indicators benchmarked..."), worst first.
        rows = compare["indicators"]
        if not rows:
            return []
        rows = sorted(rows, key=lambda r: (-(r["quartile"] or 0), r["code"]))
        shown = rows[:MAX_INDICATORS]
        body = [[brief(f"{r['code']} {r['name']}"), parts.value_of(r), parts.value_of(r, "median"),
                 parts.quartile_name(r["quartile"]),
                 "Yes" if r.get("persistent") else "No"] for r in shown]
        story: list[Flowable] = [
            self.heading(f"Performance against peers, {financial_year(compare['year'])}", 1),
            self.table(["Indicator", "Ours", "Peer median", "Quartile",
                        "Persistently bottom?"], body, [0.42, 0.13, 0.15, 0.16, 0.14],
                       align="LRRLL")]
        if len(rows) > len(shown):
            story.append(self.para(f"A further {count(len(rows) - len(shown), 'indicator')} "
                                   "in the full submission.", "Caption"))
        return story

    def _costs(self) -> list[Flowable]:
        compete = self.snapshot.get("compete")
        if not compete or not compete.get("options"):
            return [self.heading("3. Costs", 0),
                    parts.no_appraisal(self, compete)]
        if not any(o["npc"] for o in compete["options"]):
            return [self.heading("3. Costs", 0),
                    self.para(f"{count(len(compete['options']), 'option')} identified; "
                              + ("none was costed." if self.signoff else
                                 "none has been costed yet."))]
        return [self.heading("3. Costs of the options", 0), parts.npc_chart(self, compete),
                parts.options_table(self, compete)]

    def _risks(self) -> list[Flowable]:
        s = self.snapshot
        story: list[Flowable] = [self.heading("4. Risks", 0)]
        compete = s.get("compete")
        risks = []
        option = parts.recommended_option(compete)
        if option is not None:
            risks += [f"{option['name']}: {r['description']} (probability "
                      f"{pct(r['probability'] * 100, 0)}, impact {money(r['impact'])} in year "
                      f"{r['year']})." for r in option["risks"]]
        if compete and compete.get("options"):
            risks.append(parts.switching_text(compete))
            warnings = compete.get("warnings", [])
            risks += warnings[:MAX_WARNINGS]
            if len(warnings) > MAX_WARNINGS:
                risks.append(f"A further {count(len(warnings) - MAX_WARNINGS, 'warning')} "
                             "in the full submission.")
        persistent = s["compare"].get("persistent", [])
        if persistent:
            risks.append("Persistently in the bottom quartile (a risk of regulatory "
                         "intervention): " + ", ".join(persistent) + ".")
        late = [a for a in s["actions"] if a.get("status") == "red"]
        if late:
            risks.append(f"Off track (red): {count(len(late), 'improvement action')}.")
        if not risks:
            risks.append("No significant risks have been identified.")
        story += self.bullets([brief(risk) for risk in risks])
        return story

    def _recommendation(self) -> list[Flowable]:
        s = self.snapshot
        compete = s.get("compete")
        decision = compete.get("decision", []) if compete else []
        deciding = seeks_decision(s)
        story: list[Flowable] = [self.heading("5. Recommendation" if deciding or not decision
                                              else "5. The options appraisal so far", 0)]
        if decision and not deciding:
            story.append(self.para(
                "For information: the appraisal's provisional result. The review was signed "
                "off before its Compete stage, so the board was not asked to decide on it."
                if self.signoff else
                "For information: the appraisal's provisional result, which the board will be "
                "asked to decide on once the Compete stage is reached."))
        story += [self.para(brief(line, 800), "Callout") for line in decision] or \
            [self.markup("<i>" + self.missing("No recommendation yet: the options appraisal is "
                                              "not complete.") + "</i>")]
        if s["actions"]:
            shown = s["actions"][:MAX_ACTIONS]
            rows = [[brief(a["title"]), brief(a.get("owner", ""), 80), long_date(a.get("due_date")),
                     parts.action_cost(a), (a.get("status") or "").capitalize()] for a in shown]
            story += [self.heading("Improvement plan", 1),
                      self.table(["Action", "Owner", "Due", "Cost", "Status"], rows,
                                 [0.43, 0.17, 0.14, 0.14, 0.12])]
            if len(s["actions"]) > len(shown):
                more = count(len(s["actions"]) - len(shown), "action")
                story.append(self.para(f"A further {more} in the full submission.", "Caption"))
        team = s["team"]
        # The paper's author, as its head names them, presents it; else the first of the team.
        presenter = s["review"].get("board_paper_author") or (team[0]["name"] if team else "")
        if team:
            tenants = count(sum(1 for m in team if m["is_tenant"]), "tenant member") \
                if any(m["is_tenant"] for m in team) else "no tenant member"
            # The team before the presenter, whose name may carry a role after a comma.
            story.append(self.para(f"Presented for the review team of {len(team)} ({tenants}) "
                                   f"by {presenter}.", "BodySmall"))
        else:
            story.append(self.para(f"Presented by {presenter or 'the review team'}.",
                                   "BodySmall"))
        return story
