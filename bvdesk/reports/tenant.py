"""The tenant summary: plain English in large type, other landlords anonymised, and
"you said, we did"."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from bvdesk.domain.review_document import (
    IndicatorRow,
)
from bvdesk.reports import parts
from bvdesk.reports.base import ReportRenderer
from bvdesk.reports.text import count, financial_year, long_date, money, safe

#: Chart lettering in the tenant summary is this much larger than in the other editions.
CHART_ENLARGEMENT = 1.35

_QUARTER_WORDS = {1: "among the best quarter", 2: "better than average",
                  3: "below average", 4: "among the worst quarter"}


def anonymous_name(index: int) -> str:
    """``Landlord A`` .. ``Landlord Z``, then ``Landlord AA``..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"Landlord {letters}"


class TenantSummary(ReportRenderer):
    edition = "tenant"
    edition_label = "Summary for tenants"
    base_size = 12.5
    cover_band = 70 * mm

    def _cover_lines(self) -> list[str]:
        return [f"What we found when we looked at our {self.snapshot['service']['name'].lower()}"
                " service, and what we are going to do about it."]

    def _get_story(self) -> list[Flowable]:
        story: list[Flowable] = []
        for section in (self._about, self._compare, self._you_said, self._next):
            story.extend(section())
        return story

    def _about(self) -> list[Flowable]:
        s = self.snapshot
        tenants = [m for m in s["team"] if m["is_tenant"]]
        text = (f"{s['landlord']['name']} has reviewed its {s['service']['name'].lower()} "
                "service to check that it gives good value for the rent you pay and to find "
                "out how to make it better.")
        story: list[Flowable] = [self.heading("About this review", 0), self.para(text, "Lead")]
        if tenants:
            story.append(self.para(f"Tenants on the review team: {len(tenants)}, alongside "
                                   f"{count(len(s['team']) - len(tenants), 'member')} of "
                                   "staff."))
        star, prospect = parts.service_judgement(s)
        if star is not None:
            story.append(self.markup(f"We think the service is <b>{safe(parts.stars(star))}"
                                     "</b>. The inspectors will check this."))
        if prospect:
            story.append(self.para(f"We think the chances of it getting better are "
                                   f"{parts.prospects(prospect).lower()}."))
        return story

    def _compare(self) -> list[Flowable]:
        compare = self.snapshot["compare"]
        rows = [r for r in compare["indicators"] if r["linked"]]
        if not rows:
            return []
        story: list[Flowable] = [
            self.heading("How we compare with other landlords", 0),
            self.para(f"We compared our results for {financial_year(compare['year'])} with "
                      "other landlords. We do not name them: they are shown as Landlord A, "
                      "Landlord B and so on.")]
        for row in rows:
            chart = parts.peer_chart(self, row, self.width * 0.58, anonymise=True,
                                     own_label="Us", enlarge=CHART_ENLARGEMENT)
            story.append(KeepTogether([
                self.heading(row["name"], 1), self.para(self._sentence(row)),
                parts.chart_pair(self, chart, self._league(row), split=0.6),
                self.para("Each bar is one landlord, lowest to highest. Our bar is orange. "
                          "Other landlords are lettered by their result on this measure.",
                          "Caption")]))
        return story

    def _league(self, row: IndicatorRow) -> Flowable:
        """The best three landlords, anonymised, and us."""
        best_first = sorted(row.get("peers", []), key=lambda p: p["value"],
                            reverse=row["polarity"] == "higher")
        shown, letter = [], 0
        for place, peer in enumerate(best_first, start=1):
            if peer["is_self"]:
                shown.append((place, "Us", peer["value"]))
            elif place <= 3:
                shown.append((place, anonymous_name(letter), peer["value"]))
            if not peer["is_self"]:
                letter += 1
        table = self.table(["Place", "Landlord", "Result"],
                           [[str(place), name, parts.value_of({**row, "value": value})]
                            for place, name, value in shown], [0.09, 0.19, 0.12], align="RLR")
        return table

    def _sentence(self, row: IndicatorRow) -> str:
        better = "higher" if row["polarity"] == "higher" else "lower"
        return (f"Our result was {parts.value_of(row)}. The middle landlord had "
                f"{parts.value_of(row, 'median')}. For this measure, {better} is better, so we "
                f"are {_QUARTER_WORDS.get(row['quartile'] or 0, 'not ranked')} of the "
                f"{row['n']} landlords.")

    def _you_said(self) -> list[Flowable]:
        activities = [a for a in self.snapshot["consult"] if a.get("findings")]
        if not activities:
            return []
        rows = [[a["findings"], a.get("changes") or "We are still working on this."]
                for a in activities]
        story: list[Flowable] = [self.heading("You said, we did", 0)]
        asked = sum(a.get("responses") or 0 for a in self.snapshot["consult"])
        if asked:
            story.append(self.para(f"{asked:,} of you told us what you think, in surveys, "
                                   "groups and panels. Thank you."))
        story.append(self.table(["You said", "We did"], rows, [0.5, 0.5]))
        return story

    def _next(self) -> list[Flowable]:
        s = self.snapshot
        story: list[Flowable] = [self.heading("What happens next", 0)]
        compete = s["compete"]
        option = parts.recommended_option(compete)
        if compete is not None and option is not None and "parameters" in compete:
            story.append(self.para(f"We looked at {len(compete['options'])} ways of "
                                   f"running the service. The best value for money is: "
                                   f"{option['name']}. Over "
                                   f"{compete['parameters']['period_years']} years "
                                   f"it costs about {money(option['npc'])} in today's money."))
        for action in s["actions"]:
            due = long_date(action.get("due_date"))
            story.append(self.markup(f"<b>{safe(action['title'])}</b>, by {due}.", "Bullet"))
        if not s["actions"]:
            story.append(self.para("We will publish our plan when the review is finished."))
        story.append(self.para("If you would like the full report, in large print or another "
                               "language, please ask at your local office.", "Callout"))
        return story
