"""The tenant summary: plain English in large type, other landlords anonymised, and
"you said, we did"."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether
from reportlab.platypus.flowables import _Container, _listWrapOn

from bvdesk.domain.livefigures import fixed, half_up, trimmed
from bvdesk.domain.quartiles import rank
from bvdesk.domain.review_document import (
    IndicatorRow,
)
from bvdesk.domain.vocabulary import Polarity
from bvdesk.domain.wording import count
from bvdesk.reports import parts
from bvdesk.reports.base import ReportRenderer
from bvdesk.reports.text import financial_year, long_date, safe

#: Chart lettering in the tenant summary is this much larger than in the other editions.
CHART_ENLARGEMENT = 1.35
#: A peer chart's height, and the shorter heights it may take to stay on a page with its heading
#: rather than move on and leave the rest of the page blank (its lettering keeps its size).
CHART_HEIGHTS = (150.0, 135.0, 120.0, 105.0)

_QUARTER_WORDS = {1: "among the best quarter", 2: "in the better half",
                  3: "in the worse half", 4: "among the worst quarter"}
_PLACES = {1: "first", 2: "second", 3: "third"}

#: Housing jargon and the words tenants use for it (longest first; matched whole-word, any case).
PLAIN_WORDS = (
    ("notices of seeking possession served", "warning notices that we may take a home back"),
    ("former tenant arrears written off", "rent owed by former tenants that we wrote off"),
    ("government time limits", "the time limits set by the government"),
    ("vacant dwellings", "empty homes"),
    ("tenancy sustainment", "tenancies that last"),
    ("customer panel", "tenants' panel"),
    ("rent collection and arrears recovery", "collecting rent and unpaid rent"),
    ("rent collection and arrears", "rent collection and unpaid rent"),
    ("rent arrears recovery", "collecting unpaid rent"),
    ("arrears recovery", "collecting unpaid rent"),
    ("rent arrears", "unpaid rent"),
    ("current tenant arrears", "rent owed by tenants"),
    ("in arrears", "behind with the rent"),
    ("cost per property", "cost per home"),
    ("cost per dwelling", "cost per home"),
    ("status quo", "as now"),
    ("retendering", "asking firms to bid again"),
    ("retender", "invite new bids for"),
    ("re-let time", "time to let a home again"),
    ("re-let", "let again"),
    ("relet", "let again"),
    ("dwellings", "homes"),
    ("dwelling", "home"),
    ("voids", "empty homes"),
    ("void", "empty home"),
    ("arrears", "unpaid rent"),
)

#: Consultation in which this landlord's own tenants tell it what they think, in plain words.
_VOICE = {"postal_survey": "a postal survey", "telephone_survey": "a telephone survey",
          "focus_group": "a focus group", "customer_panel": "our tenants' panel",
          "public_meeting": "a public meeting"}


def plain(text: str) -> str:
    """``text`` with housing jargon in the words tenants use (capital kept at the start)."""
    for jargon, words in PLAIN_WORDS:
        def swap(match: re.Match[str], words: str = words) -> str:
            return words[0].upper() + words[1:] if match.start() == 0 else words
        text = re.sub(rf"\b{re.escape(jargon)}\b", swap, text, flags=re.IGNORECASE)
    return text


def spoken_money(value: float) -> str:
    """Money as people say it: ``about £36 million``, ``about £4.4 million``, ``about £610,000``,
    ``£861``."""
    amount = abs(value)
    sign = "minus " if value < 0 else ""
    # A half rounded up, as every other figure is: £2,250,000 is about £2.3 million.
    if amount >= 9.95e5:
        millions = amount / 1e6
        shown = fixed(millions, 0) if millions >= 9.5 else trimmed(millions, 1)
        return f"about {sign}£{shown} million"
    if amount >= 10_000:
        return f"about {sign}£{fixed(half_up(amount / 1000, 0) * 1000, 0)}"
    return f"{sign}£{fixed(amount, 0)}"


def listed(items: list[str]) -> str:
    """``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def anonymous_name(index: int) -> str:
    """``Landlord A`` .. ``Landlord Z``, then ``Landlord AA``..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"Landlord {letters}"


class ShortenedToFit(_Container, Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A chart with its heading and text, kept together on one page. Where the space left on a
    page is a little short of it, it is built with a shorter chart (``CHART_HEIGHTS``) to fit
    there, rather than move on and leave the rest of the page blank; text keeps its size. Where
    even the shortest chart does not fit, it moves whole to the next page, at its full height.

    ``build(height)`` makes the flowables with a chart ``height`` points high.
    """

    def __init__(self, build: Callable[[float], list[Flowable]]) -> None:
        super().__init__()
        self._build = build
        self._content = build(CHART_HEIGHTS[0])

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        for height in CHART_HEIGHTS:
            content = self._build(height)
            width, needed = _listWrapOn(content, availWidth, self.canv)
            if needed <= availHeight:
                break
        else:
            content = self._build(CHART_HEIGHTS[0])
            width, needed = _listWrapOn(content, availWidth, self.canv)
        self._content = content
        self.width, self.height = width, needed
        return width, needed

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []


class TenantSummary(ReportRenderer):
    edition = "tenant"
    edition_label = "Summary for tenants"
    base_size = 12.5
    cover_band = 82 * mm

    @property
    def title(self) -> str:
        return plain(self.snapshot["review"]["title"])

    def _cover_lines(self) -> list[str]:
        return [f"What we found when we looked at our "
                f"{plain(self.snapshot['service']['name']).lower()} service, and what we are "
                "going to do about it."]

    def _get_story(self) -> list[Flowable]:
        story: list[Flowable] = []
        for section in (self._about, self._compare, self._you_said, self._next):
            story.extend(section())
        return story

    def _about(self) -> list[Flowable]:
        s = self.snapshot
        tenants = [m for m in s["team"] if m["is_tenant"]]
        text = (f"{s['landlord']['name']} has reviewed its "
                f"{plain(s['service']['name']).lower()} "
                "service to check that it gives good value for the rent you pay and to find "
                "out how to make it better.")
        story: list[Flowable] = [self.heading("About this review", 0), self.para(text, "Lead")]
        if tenants:
            story.append(self.para(f"The review team had {count(len(tenants), 'tenant')} and "
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
            story.append(ShortenedToFit(partial(self._indicator, row)))
        return story

    def _indicator(self, row: IndicatorRow, chart_height: float) -> list[Flowable]:
        """One indicator's heading, sentence, chart and league table, and the chart's caption."""
        chart = parts.peer_chart(self, row, self.width * 0.58, anonymise=True, own_label="Us",
                                 enlarge=CHART_ENLARGEMENT, height=chart_height)
        return [self.heading(plain(row["name"]), 1), self.para(self._sentence(row)),
                parts.chart_pair(self, chart, self._league(row), split=0.6),
                self.para("Each bar is one landlord, lowest to highest. Our bar is orange. "
                          "Other landlords are lettered by their result on this measure.",
                          "Caption")]

    def _league(self, row: IndicatorRow) -> Flowable:
        """The best three landlords, anonymised, and us; landlords with the same result share
        their place, as in the rank everywhere else."""
        peers = row.get("peers", [])
        best_first = sorted(peers, key=lambda p: p["value"], reverse=row["polarity"] == "higher")
        values = [p["value"] for p in peers]
        shown, letter = [], 0
        for position, peer in enumerate(best_first, start=1):
            place = rank(peer["value"], values, Polarity(row["polarity"]))
            if peer["is_self"]:
                shown.append((place, "Us", peer["value"]))
            elif position <= 3:
                shown.append((place, anonymous_name(letter), peer["value"]))
            if not peer["is_self"]:
                letter += 1
        table = self.table(["Place", "Landlord", "Result"],
                           [[str(place), name, parts.value_of({**row, "value": value})]
                            for place, name, value in shown], [0.09, 0.19, 0.12], align="RLR")
        return table

    def _sentence(self, row: IndicatorRow) -> str:
        better = "higher" if row["polarity"] == "higher" else "lower"
        rank = row.get("rank")
        if row["n"] < 4 and rank is not None and rank in _PLACES:
            # Quarters of two or three landlords mean nothing: say where we came.
            return (f"Our result was {parts.value_of(row)}. For this measure, {better} is "
                    f"better, and we came {_PLACES[rank]} of the {row['n']} landlords.")
        return (f"Our result was {parts.value_of(row)}. The middle landlord had "
                f"{parts.value_of(row, 'median')}. For this measure, {better} is better, so we "
                f"are {_QUARTER_WORDS.get(row['quartile'] or 0, 'not ranked')} of the "
                f"{row['n']} landlords.")

    def _you_said(self) -> list[Flowable]:
        # Only our own tenants' voice: mystery shoppers and complaints data are not "you".
        voiced = [a for a in self.snapshot["consult"] if a["method"] in _VOICE]
        activities = [a for a in voiced if a.get("findings")]
        if not activities:
            return []
        rows = [[plain(a["findings"]), plain(a.get("changes") or "We are still working on this.")]
                for a in activities]
        story: list[Flowable] = [self.heading("You said, we did", 0)]
        asked = sum(a.get("responses") or 0 for a in voiced)
        methods = listed(list(dict.fromkeys(_VOICE[a["method"]] for a in voiced)))
        if asked:
            story.append(self.para(f"{asked:,} of you told us what you think, in {methods}. "
                                   "Thank you."))
        story.append(self.table(["You said", "We did"], rows, [0.5, 0.5]))
        return story

    def _next(self) -> list[Flowable]:
        s = self.snapshot
        story: list[Flowable] = [self.heading("What happens next", 0)]
        compete = s["compete"]
        option = parts.recommended_option(compete)
        if compete is not None and option is not None and "parameters" in compete:
            looked = (f"We looked at {len(compete['options'])} ways of running the service."
                      if len(compete["options"]) > 1 else
                      "We looked at one way of running the service.")
            story.append(self.para(f"{looked} The best value for money is: "
                                   f"{plain(option['name'])}. Over "
                                   f"{count(compete['parameters']['period_years'], 'year')} "
                                   f"it costs {spoken_money(option['npc'])} in today's "
                                   "money."))
        for action in s["actions"]:
            due = long_date(action.get("due_date"))
            story.append(self.markup(f"<b>{safe(plain(action['title']))}</b>, by {due}.",
                                     "Bullet"))
        if not s["actions"]:
            story.append(self.para("The review set no further actions." if self.signoff else
                                   "We will publish our plan when the review is finished."))
        return story + self._contact()

    def _contact(self) -> list[Flowable]:
        """How to get in touch and get involved, from the landlord's profile."""
        landlord = self.snapshot["landlord"]
        story: list[Flowable] = [self.heading("Get in touch and get involved", 0)]
        story += self.paras(landlord.get("get_involved") or
                            "We want more tenants to help us check our services. Ask us how "
                            "you can join in.")
        reach = [(label, landlord.get(key) or "") for label, key in (
            ("Write to us", "address"), ("Phone", "phone"), ("Email", "email"),
            ("Website", "website"))]
        reach = [(label, value) for label, value in reach if value]
        if reach:
            story.append(self.facts(reach, label_width=0.25))
        story.append(self.para("If you would like the full report, in large print or another "
                               "language, please ask us.", "Callout"))
        return [KeepTogether(story)]
