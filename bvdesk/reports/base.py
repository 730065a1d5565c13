"""The report renderer every edition subclasses: fonts, styles, page furniture, outline, output.

A renderer takes only a review snapshot (``bvdesk.operations.snapshot``), never the database, so
a signed-off review prints the same bytes every time: reportlab runs with ``invariant=1`` (fixed
creation date and document id) and the only date printed is the snapshot's own.

Pages carry the landlord and review title, "Page x of y" (the total is a form drawn once at the
end, so one layout pass suffices), the date generated, and either a DRAFT watermark or the
approver and date of the sign-off.
"""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, ClassVar

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from bvdesk.domain.review_document import (
    ReviewDocument,
    SignOffPart,
)
from bvdesk.errors import Cancelled
from bvdesk.paths import resource
from bvdesk.reports.outlines import draw_outlined, text_width
from bvdesk.reports.text import clean, long_date, safe

SANS = "BVSans"
SANS_BOLD = "BVSans-Bold"
SANS_ITALIC = "BVSans-Oblique"
SANS_BOLD_ITALIC = "BVSans-BoldOblique"
CONDENSED = "BVSansCondensed"
CONDENSED_BOLD = "BVSansCondensed-Bold"

_FONT_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
    CONDENSED: "DejaVuSansCondensed.ttf",
    CONDENSED_BOLD: "DejaVuSansCondensed-Bold.ttf",
}

NAVY = colors.HexColor("#1F3A5F")
TEAL = colors.HexColor("#2E7D7A")
TEAL_LIGHT = colors.HexColor("#D5E8E6")
ORANGE = colors.HexColor("#D9822B")
INK = colors.HexColor("#1E1E1E")
GREY = colors.HexColor("#6B7280")
RULE = colors.HexColor("#C9CED6")
ZEBRA = colors.HexColor("#F3F5F8")
RED = colors.HexColor("#B42318")
AMBER = colors.HexColor("#B7791F")
GREEN = colors.HexColor("#2F7D32")

_TOTAL_PAGES_FORM = "bvTotalPages"
#: Cover lines longer than this are cut (the full text is in the body and the metadata).
_COVER_TEXT_LIMIT = 160
#: Longest right-aligned text drawn as a plain string when it fits its column.
_PLAIN_CELL_LIMIT = 24


@cache
def register_fonts() -> None:
    """Register the bundled DejaVu fonts once per process (reportlab's registry is global)."""
    for name, file in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", file))))
    pdfmetrics.registerFontFamily(SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC,
                                  boldItalic=SANS_BOLD_ITALIC)
    pdfmetrics.registerFontFamily(CONDENSED, normal=CONDENSED, bold=CONDENSED_BOLD,
                                  italic=CONDENSED, boldItalic=CONDENSED_BOLD)


class Heading(Paragraph):  # type: ignore[misc]  # reportlab is untyped (no stubs installed)
    """A section heading that becomes a PDF bookmark at ``level`` (0 = top)."""

    def __init__(self, text: str, style: ParagraphStyle, level: int) -> None:
        super().__init__(safe(text), style)
        self.outline_title = " ".join(clean(text).split())
        self.outline_level = level


class _Canvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """Draws the total page count into a form referenced by every page's footer."""

    def save(self) -> None:
        self.showOutline()  # the bookmarks open with the document
        total = self.getPageNumber() - 1
        self.beginForm(_TOTAL_PAGES_FORM)
        self.setFont(SANS, 7.5)
        self.setFillColor(GREY)
        self.drawString(0, 0, str(total))
        self.endForm()
        super().save()


class _Document(BaseDocTemplate):  # type: ignore[misc]  # reportlab is untyped
    def __init__(self, buffer: io.BytesIO, renderer: ReportRenderer, **kwargs: Any) -> None:
        super().__init__(buffer, **kwargs)
        self.renderer = renderer
        self._bookmarks = 0
        self._outline_depth = -1
        #: Progress of the layout: flowables placed, of ``flowables`` per pass.
        self.progress: Callable[[float], None] | None = None
        self.cancelled: Callable[[], bool] | None = None
        self.flowables = 1
        self.passes = 1
        self._pass = -1
        self._placed = 0

    def handle_keepWithNext(self, flowables: list[Flowable]) -> None:  # noqa: N802
        """A heading kept with the next flowable also when that is a ``KeepTogether`` (a
        figure with its caption), which reportlab's own rule leaves out, stranding the heading
        at the foot of a page."""
        i = 0
        while i < len(flowables) and flowables[i].getKeepWithNext() \
                and not isinstance(flowables[i], KeepTogether):
            i += 1
        if i and i < len(flowables) and isinstance(flowables[i], KeepTogether):
            edits = getattr(self, "_multiBuildEdits", None)
            for flowable in flowables[:i]:
                if edits:  # restored before the next layout pass
                    if "keepWithNext" in flowable.__dict__:
                        edits((setattr, flowable, "keepWithNext", flowable.keepWithNext))
                    else:
                        edits((delattr, flowable, "keepWithNext"))
                flowable.__dict__["keepWithNext"] = 0
            merged = KeepTogether([*flowables[:i], *flowables[i]._content])
            del flowables[:i + 1]
            flowables.insert(0, merged)
            return
        super().handle_keepWithNext(flowables)

    def beforeDocument(self) -> None:  # noqa: N802 (reportlab hook, once per layout pass)
        self._bookmarks = 0
        self._outline_depth = -1
        self._pass += 1
        self._placed = 0

    def _placed_one(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled("The report was cancelled; nothing was saved.")
        self._placed += 1
        if self.progress is not None:
            done = min(self._pass + min(self._placed / self.flowables, 1.0), self.passes - 0.01)
            self.progress(done / self.passes)

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab hook)
        self._placed_one()
        if not isinstance(flowable, Heading):
            return
        # An outline entry may go at most one level deeper than the one before it.
        level = min(flowable.outline_level, self._outline_depth + 1)
        self._outline_depth = level
        self._bookmarks += 1
        key = f"s{self._bookmarks}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.outline_title, key, level=level, closed=level > 0)
        if level <= 1:
            self.notify("TOCEntry", (level, flowable.outline_title, self.page, key))


class ReportRenderer(ABC):
    """Base of the editions: subclasses set the class attributes and write ``_get_story``."""

    pagesize: ClassVar[tuple[float, float]] = A4
    left_margin: ClassVar[float] = 18 * mm
    right_margin: ClassVar[float] = 18 * mm
    top_margin: ClassVar[float] = 22 * mm
    bottom_margin: ClassVar[float] = 20 * mm
    #: Height of the coloured band on the cover page.
    cover_band: ClassVar[float] = 88 * mm
    base_size: ClassVar[float] = 9.5
    edition: ClassVar[str] = ""
    edition_label: ClassVar[str] = ""
    #: Laid out twice so a contents page (``contents()``) can carry the page numbers.
    two_pass: ClassVar[bool] = False

    def __init__(self, snapshot: ReviewDocument) -> None:
        self._register_fonts()
        self.snapshot = snapshot
        self.styles = self._get_stylesheet()
        self.pages = 0

    # --- the parts a subclass provides ------------------------------------------------------

    def _register_fonts(self) -> None:
        register_fonts()

    @abstractmethod
    def _get_story(self) -> list[Flowable]:
        """The edition's flowables, in reading order."""

    def _cover_lines(self) -> list[str]:
        """Lines printed under the title on the cover band: the service, unless the title
        already says it, and the review period."""
        return [*self._service_unless_titled(), self._period()]

    def _service_unless_titled(self) -> list[str]:
        """The service's name, or nothing when the review's title is that name: a review
        titled "Responsive repairs" of the service Responsive repairs names it once."""
        service = self.snapshot["service"]["name"]
        title = self.snapshot["review"]["title"]
        return [] if clean(service).strip().casefold() == clean(title).strip().casefold() \
            else [service]

    # --- geometry ----------------------------------------------------------------------------

    @property
    def width(self) -> float:
        """Width of the text frame."""
        return self.pagesize[0] - self.left_margin - self.right_margin

    # --- styles ------------------------------------------------------------------------------

    def _get_stylesheet(self) -> dict[str, ParagraphStyle]:
        size = self.base_size
        lead = size * 1.38
        body = ParagraphStyle("Body", fontName=SANS, fontSize=size, leading=lead, textColor=INK,
                              spaceAfter=size * 0.6, splitLongWords=1, bulletFontName=SANS)
        cell_size = size - 1.5
        cell = ParagraphStyle("Cell", parent=body, fontName=CONDENSED, fontSize=cell_size,
                              leading=cell_size * 1.25, spaceAfter=0)
        styles = {
            "Body": body,
            "BodySmall": ParagraphStyle("BodySmall", parent=body, fontSize=size - 1.5,
                                        leading=(size - 1.5) * 1.35),
            "Lead": ParagraphStyle("Lead", parent=body, fontSize=size + 1.5,
                                   leading=(size + 1.5) * 1.4, textColor=NAVY),
            "H1": ParagraphStyle("H1", parent=body, fontName=SANS_BOLD, fontSize=size + 7,
                                 leading=(size + 7) * 1.2, textColor=NAVY, spaceBefore=4,
                                 spaceAfter=size * 0.9, keepWithNext=1),
            "H2": ParagraphStyle("H2", parent=body, fontName=SANS_BOLD, fontSize=size + 3,
                                 leading=(size + 3) * 1.25, textColor=TEAL, spaceBefore=size,
                                 spaceAfter=size * 0.5, keepWithNext=1),
            "H3": ParagraphStyle("H3", parent=body, fontName=SANS_BOLD, fontSize=size + 0.5,
                                 leading=(size + 0.5) * 1.3, textColor=NAVY,
                                 spaceBefore=size * 0.7, spaceAfter=size * 0.3, keepWithNext=1),
            "Cell": cell,
            "CellRight": ParagraphStyle("CellRight", parent=cell, alignment=TA_RIGHT),
            "CellCentre": ParagraphStyle("CellCentre", parent=cell, alignment=TA_CENTER),
            "CellWhite": ParagraphStyle("CellWhite", parent=cell, fontName=CONDENSED_BOLD,
                                        textColor=colors.white),
            "CellHead": ParagraphStyle("CellHead", parent=cell, fontName=CONDENSED_BOLD,
                                       textColor=colors.white),
            "CellHeadRight": ParagraphStyle("CellHeadRight", parent=cell,
                                            fontName=CONDENSED_BOLD, textColor=colors.white,
                                            alignment=TA_RIGHT),
            "Caption": ParagraphStyle("Caption", parent=body, fontName=SANS_ITALIC,
                                      fontSize=size - 2, leading=(size - 2) * 1.3,
                                      textColor=GREY, spaceBefore=2, spaceAfter=size),
            "Callout": ParagraphStyle("Callout", parent=body, textColor=NAVY, borderPadding=6,
                                      backColor=TEAL_LIGHT, borderColor=TEAL_LIGHT,
                                      borderWidth=0.5, spaceBefore=6, spaceAfter=12,
                                      leftIndent=6, rightIndent=6),
            "Bullet": ParagraphStyle("Bullet", parent=body, leftIndent=12, bulletIndent=2,
                                     spaceAfter=size * 0.3),
            "CoverKicker": ParagraphStyle("CoverKicker", parent=body, fontName=SANS_BOLD,
                                          fontSize=10, leading=13, textColor=TEAL_LIGHT),
            "CoverTitle": ParagraphStyle("CoverTitle", parent=body, fontName=SANS_BOLD,
                                         fontSize=22, leading=27, textColor=colors.white),
            "CoverLine": ParagraphStyle("CoverLine", parent=body, fontSize=11, leading=15,
                                        textColor=colors.white),
            "Formula": ParagraphStyle("Formula", parent=body, fontName=SANS_ITALIC,
                                      fontSize=size + 0.5, leading=(size + 0.5) * 1.5,
                                      alignment=TA_CENTER, spaceBefore=2, spaceAfter=size),
            "Mono": ParagraphStyle("Mono", parent=cell, fontName=CONDENSED,
                                   fontSize=cell_size - 1, leading=(cell_size - 1) * 1.25),
        }
        return styles

    # --- flowable helpers -------------------------------------------------------------------

    def heading(self, text: str, level: int = 0) -> Heading:
        """A heading bookmarked at outline ``level``; levels below 2 print in the H3 style."""
        return Heading(text, self.styles[("H1", "H2", "H3")[min(level, 2)]], level)

    def para(self, text: object, style: str = "Body") -> Paragraph:
        """A paragraph of user text, escaped."""
        return Paragraph(safe(text), self.styles[style])

    def markup(self, markup: str, style: str = "Body") -> Paragraph:
        """A paragraph of bvdesk's own markup; any user text inside must already be ``safe``.

        The ``Bullet`` style gets a bullet.
        """
        return Paragraph(markup, self.styles[style],
                         bulletText="•" if style == "Bullet" else None)

    def paras(self, text: object, style: str = "Body", empty: str = "") -> list[Flowable]:
        """User text as paragraphs (blank lines separate them); ``empty`` when there is none."""
        from bvdesk.reports.text import plain_lines

        parts = plain_lines(text)
        if not parts:
            return [self.markup(f"<i>{empty}</i>", style)] if empty else []
        return [self.para(part, style) for part in parts]

    def bullets(self, items: Sequence[str], style: str = "Bullet") -> list[Flowable]:
        return [self.markup(safe(item), style) for item in items]

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]],
              widths: Sequence[float], *, align: str = "", total_row: bool = False,
              extra_style: Sequence[tuple[Any, ...]] = ()) -> Table:
        """A table that splits across pages (even inside a tall row) and repeats its header.

        Args:
            widths: column widths as fractions of the frame width.
            align: one letter per column, ``L`` or ``R`` (default ``L``).
            total_row: print the last row in bold above a rule.
        """
        align = align.ljust(len(header), "L")
        head = [Paragraph(safe(text), self.styles["CellHeadRight" if a == "R" else "CellHead"])
                for text, a in zip(header, align, strict=True)]
        room = [w * self.width - 8 for w in widths]
        body = [[self._cell(value, a, fit, bold=total_row and i == len(rows) - 1)
                 for value, a, fit in zip(row, align, room, strict=True)]
                for i, row in enumerate(rows)]
        style = [
            ("FONT", (0, 0), (-1, -1), CONDENSED, self.base_size - 1.5),
            ("LEADING", (0, 0), (-1, -1), self.styles["Cell"].leading),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("BACKGROUND", (0, 0), (-1, 0), NAVY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ]
        style += [("ALIGN", (col, 1), (col, -1), "RIGHT")
                  for col, a in enumerate(align) if a == "R"]
        if total_row and rows:
            style.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY))
            style.append(("FONT", (0, -1), (-1, -1), CONDENSED_BOLD, self.base_size - 1.5))
        style.extend(extra_style)
        table = Table([head, *body], colWidths=[w * self.width for w in widths], repeatRows=1,
                      splitInRow=1, style=TableStyle(style), hAlign="LEFT")
        table.spaceAfter = self.base_size
        return table

    def _cell(self, value: Any, align: str, room: float, *, bold: bool = False) -> Flowable | str:
        """A table cell: text that fits on one line stays a plain string (drawn in the table's
        font, much faster than a paragraph); anything longer becomes a wrapping paragraph."""
        if isinstance(value, Flowable):
            return value
        text = clean(value)
        font = CONDENSED_BOLD if bold else CONDENSED
        if "\n" not in text and (len(text) <= _PLAIN_CELL_LIMIT or align == "L") and \
                pdfmetrics.stringWidth(text, font, self.base_size - 1.5) <= room:
            return text
        markup = safe(text)
        if bold:
            markup = f"<b>{markup}</b>"
        return Paragraph(markup, self.styles["CellRight" if align == "R" else "Cell"])

    def facts(self, pairs: Sequence[tuple[str, Any]], label_width: float = 0.3) -> Table:
        """A two-column label/value table without a header row."""
        rows = [[Paragraph(f"<b>{safe(label)}</b>", self.styles["Cell"]),
                 value if isinstance(value, Flowable) else self.para(value, "Cell")]
                for label, value in pairs]
        table = Table(rows, colWidths=[label_width * self.width, (1 - label_width) * self.width],
                      splitInRow=1, hAlign="LEFT", style=TableStyle([
                          ("FONT", (0, 0), (-1, -1), CONDENSED, self.base_size - 1.5),
                          ("VALIGN", (0, 0), (-1, -1), "TOP"),
                          ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                          ("TOPPADDING", (0, 0), (-1, -1), 3),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                          ("LEFTPADDING", (0, 0), (-1, -1), 4),
                      ]))
        table.spaceAfter = self.base_size
        return table

    def figure(self, drawing: Flowable, caption: str) -> KeepTogether:
        return KeepTogether([drawing, self.para(caption, "Caption")])

    def contents(self) -> list[Flowable]:
        """A contents page: the top two heading levels with their page numbers (filled in on
        the second layout pass; set ``two_pass``)."""
        toc = TableOfContents(dotsMinLevel=0, tableStyle=TableStyle([
            ("FONT", (0, 0), (-1, -1), SANS, self.base_size),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        toc.levelStyles = [
            ParagraphStyle("TOC0", parent=self.styles["Body"], fontName=SANS_BOLD,
                           fontSize=self.base_size - 0.5, leading=self.base_size * 1.25,
                           leftIndent=0, firstLineIndent=0, spaceBefore=3, spaceAfter=0),
            ParagraphStyle("TOC1", parent=self.styles["Body"], fontSize=self.base_size - 1,
                           leading=self.base_size * 1.15, leftIndent=14, firstLineIndent=0,
                           spaceBefore=0, spaceAfter=0),
        ]
        toc.dotsMinLevel = 0
        return [Paragraph("Contents", self.styles["H1"]), toc, PageBreak()]

    def section_break(self) -> CondPageBreak:
        """A new page for a major section, unless most of this page is still free."""
        return CondPageBreak(0.6 * (self.pagesize[1] - self.top_margin - self.bottom_margin))

    # --- furniture ----------------------------------------------------------------------------

    @property
    def landlord(self) -> str:
        return self.snapshot["landlord"]["name"]

    @property
    def title(self) -> str:
        return self.snapshot["review"]["title"]

    @property
    def signoff(self) -> SignOffPart | None:
        return self.snapshot.get("signoff")

    def missing(self, draft: str) -> str:
        """What to print for a part with nothing in it: ``draft`` while the review is in
        progress; once signed off, a plain statement (no "not yet" in a certified document;
        what was outstanding is listed once, in the sign-off box)."""
        return "None recorded at sign-off." if self.signoff else draft

    def outstanding_box(self) -> list[Flowable]:
        """The items outstanding when the review was signed off with an override, and the
        approver's reason, in one box; nothing when it was signed off complete."""
        signoff = self.signoff
        if not signoff or not (signoff.get("outstanding") or signoff.get("override_reason")):
            return []
        items = signoff.get("outstanding") or []
        lines = [f"<b>Signed off by {safe(signoff['by'])} with "
                 f"{len(items)} item{'s' if len(items) != 1 else ''} outstanding.</b>"]
        if signoff.get("override_reason"):
            lines.append(f"Reason given: {safe(signoff['override_reason'])}")
        lines += [f"• {safe(item)}" for item in items]
        return [Paragraph("<br/>".join(lines), self.styles["Callout"])]

    def _period(self) -> str:
        start, end = self.snapshot["review"]["start_date"], self.snapshot["review"]["end_date"]
        if start and end:
            return f"Review period {long_date(start)} to {long_date(end)}"
        if start:
            return f"Review period from {long_date(start)}"
        return f"Review period to {long_date(end)}" if end else "Review period not set"

    def _page_templates(self) -> list[PageTemplate]:
        w, h = self.pagesize
        body = Frame(self.left_margin, self.bottom_margin, self.width,
                     h - self.top_margin - self.bottom_margin, id="body",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = Frame(self.left_margin, self.bottom_margin, self.width,
                      h - self.cover_band - 14 * mm - self.bottom_margin, id="cover",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        return [PageTemplate("cover", [cover], onPage=self._draw_cover_page,
                             onPageEnd=self._draw_watermark, autoNextPageTemplate="body"),
                PageTemplate("body", [body], onPage=self._draw_body_page,
                             onPageEnd=self._draw_watermark)]

    def _draw_cover_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        w, h = self.pagesize
        canvas.saveState()
        canvas.setFillColor(NAVY)
        canvas.rect(0, h - self.cover_band, w, self.cover_band, stroke=0, fill=1)
        canvas.setFillColor(TEAL)
        canvas.rect(0, h - self.cover_band - 3 * mm, w, 3 * mm, stroke=0, fill=1)
        top = h - 18 * mm
        blocks = [(self.edition_label.upper(), "CoverKicker", 4 * mm),
                  (fit_text(clean(self.landlord), SANS, 11, self.width), "CoverLine", 2 * mm),
                  (self.title, "CoverTitle", 4 * mm)]
        blocks += [(line, "CoverLine", 1 * mm) for line in self._cover_lines()]
        for text, style, after in blocks:
            if len(text) > _COVER_TEXT_LIMIT:
                text = text[:_COVER_TEXT_LIMIT] + "…"
            para = Paragraph(safe(text), self.styles[style])
            _, height = para.wrap(self.width, self.cover_band)
            if top - height < h - self.cover_band + 6 * mm:
                break
            para.drawOn(canvas, self.left_margin, top - height)
            top -= height + after
        canvas.restoreState()
        self._draw_footer(canvas, doc)

    def _draw_body_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        w, h = self.pagesize
        canvas.saveState()
        canvas.setFont(SANS, 7.5)
        canvas.setFillColor(GREY)
        y = h - self.top_margin + 8 * mm
        header = fit_text(" ".join(clean(f"{self.landlord} · {self.title}").split()), SANS, 7.5,
                          self.width * 0.72)
        canvas.drawString(self.left_margin, y, header)
        canvas.setFillColor(TEAL)
        canvas.drawRightString(w - self.right_margin, y, self.edition_label)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(self.left_margin, y - 2.5 * mm, w - self.right_margin, y - 2.5 * mm)
        canvas.restoreState()
        self._draw_footer(canvas, doc)

    def _draw_footer(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        w, _ = self.pagesize
        y = self.bottom_margin - 10 * mm
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(self.left_margin, y + 4 * mm, w - self.right_margin, y + 4 * mm)
        canvas.setFont(SANS, 7.5)
        canvas.setFillColor(GREY)
        generated = f"Generated {long_date(self.snapshot.get('generated_on'))}"
        canvas.drawString(self.left_margin, y, generated)
        page = f"Page {doc.page} of "
        slot = pdfmetrics.stringWidth("0000", SANS, 7.5)
        right = w - self.right_margin - slot
        # The status is centred in the room the texts either side leave (half the width cut a
        # sign-off's date and version after an ordinary name and title).
        gap = 4 * mm
        start = self.left_margin + pdfmetrics.stringWidth(generated, SANS, 7.5) + gap
        end = right - pdfmetrics.stringWidth(page, SANS, 7.5) - gap
        canvas.drawCentredString((start + end) / 2, y, self._status_line(end - start))
        canvas.drawRightString(right, y, page)
        canvas.translate(right, y)
        canvas.doForm(_TOTAL_PAGES_FORM)
        canvas.restoreState()
        self.pages = doc.page

    def _status_line(self, room: float) -> str:
        """The document's status in ``room`` points: a name too long for it is cut, never the
        date and version of the sign-off."""
        signoff = self.signoff
        if not signoff:
            return fit_text("Draft: not signed off", SANS, 7.5, room)
        lead = "Signed off by "
        rest = f" on {long_date(signoff['at'])} (version {signoff['version']})"
        name_room = room - pdfmetrics.stringWidth(lead + rest, SANS, 7.5)
        return lead + fit_text(clean(signoff["by"]), SANS, 7.5, name_room) + rest

    def _draw_watermark(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        if self.signoff:
            return
        w, h = self.pagesize
        canvas.saveState()
        canvas.setFillColor(RED, alpha=0.09)
        canvas.translate(w / 2, h / 2)
        canvas.rotate(50)
        # Outlines, not text: extraction and search do not find "D", "RA", "FT" on every page.
        file = _FONT_FILES[SANS_BOLD]
        draw_outlined(canvas, "DRAFT", -text_width("DRAFT", file, 120) / 2, -40, file, 120)
        canvas.restoreState()

    # --- output -------------------------------------------------------------------------------

    def render(self, progress: Callable[[float], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> bytes:
        """The PDF; ``progress`` hears how far the layout is, and ``cancelled`` is asked after
        each flowable (raising ``Cancelled`` when it says so).
        """
        buffer = io.BytesIO()
        doc = _Document(
            buffer, self, pagesize=self.pagesize, leftMargin=self.left_margin,
            rightMargin=self.right_margin, topMargin=self.top_margin,
            bottomMargin=self.bottom_margin, title=clean(f"{self.title}: {self.edition_label}"),
            author=clean(self.landlord), subject=clean(f"{self.edition_label}, {self.title}"),
            creator="bvdesk", producer="bvdesk (reportlab)",
            keywords=["Best Value", self.snapshot["service"]["name"], self.edition],
            invariant=1, displayDocTitle=1, lang="en-GB", initialFontName=SANS,
            initialFontSize=self.base_size)
        doc.addPageTemplates(self._page_templates())
        story = self._get_story()
        doc.progress, doc.cancelled = progress, cancelled
        doc.flowables, doc.passes = max(1, len(story)), 2 if self.two_pass else 1
        if self.two_pass:
            doc.multiBuild(story, canvasmaker=_Canvas)
        else:
            doc.build(story, canvasmaker=_Canvas)
        if progress is not None:
            progress(1.0)
        return buffer.getvalue()


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut with an ellipsis so it fits ``width`` points on one line."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[: max(0, len(text) - max(1, len(text) // 10))]
    return text + "…"
