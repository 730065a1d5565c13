"""Text drawn as glyph outlines (filled paths), for marks that must not read as text.

The DRAFT watermark is drawn this way: a PDF reader shows it, but text extraction, search and
screen readers do not pick up "D", "RA", "FT" scattered over every page. The outlines are read
from the bundled TrueType font's ``glyf`` table (simple glyphs: quadratic contours).
"""

from __future__ import annotations

import struct
from functools import cache

from reportlab.pdfbase.ttfonts import TTFontFile
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject

from bvdesk.paths import resource

#: One contour: a list of (x, y, on_curve) points in font units.
Contour = list[tuple[int, int, bool]]


@cache
def _font(file: str) -> TTFontFile:
    return TTFontFile(str(resource("fonts", file)))


@cache
def glyph_contours(file: str, char: str) -> tuple[tuple[Contour, ...], int, int]:
    """The contours of ``char`` in the font ``file``, its advance width and units per em.

    Raises:
        ValueError: the font has no simple outline for ``char``.
    """
    font = _font(file)
    glyph = font.charToGlyph.get(ord(char))
    if glyph is None:
        raise ValueError(f"{file} has no glyph for {char!r}")
    advance = font.hmetrics[glyph][0] if isinstance(font.hmetrics[glyph], tuple) else \
        font.hmetrics[glyph]
    start = font.get_table_pos("glyf")[0] + font.glyphPos[glyph]
    end = font.get_table_pos("glyf")[0] + font.glyphPos[glyph + 1]
    data = font._ttf_data[start:end]
    if not data:
        return (), advance, font.unitsPerEm
    (contours,) = struct.unpack(">h", data[:2])
    if contours < 0:
        raise ValueError(f"{file}: {char!r} is a composite glyph")
    pos = 10
    ends = struct.unpack(f">{contours}H", data[pos:pos + 2 * contours])
    pos += 2 * contours
    (instructions,) = struct.unpack(">H", data[pos:pos + 2])
    pos += 2 + instructions
    count = ends[-1] + 1 if ends else 0
    flags: list[int] = []
    while len(flags) < count:
        flag = data[pos]
        pos += 1
        flags.append(flag)
        if flag & 0x08:
            repeat = data[pos]
            pos += 1
            flags.extend([flag] * repeat)
    xs, pos = _coordinates(data, pos, flags, short=0x02, same=0x10)
    ys, pos = _coordinates(data, pos, flags, short=0x04, same=0x20)
    points = [(x, y, bool(f & 0x01)) for x, y, f in zip(xs, ys, flags, strict=True)]
    shapes, first = [], 0
    for last in ends:
        shapes.append(points[first:last + 1])
        first = last + 1
    return tuple(shapes), advance, font.unitsPerEm


def _coordinates(data: bytes, pos: int, flags: list[int], *, short: int,
                 same: int) -> tuple[list[int], int]:
    values, value = [], 0
    for flag in flags:
        if flag & short:
            delta = data[pos]
            pos += 1
            value += delta if flag & same else -delta
        elif not flag & same:
            (delta,) = struct.unpack(">h", data[pos:pos + 2])
            pos += 2
            value += delta
        values.append(value)
    return values, pos


def text_width(text: str, file: str, size: float) -> float:
    """The width of ``text`` in points at ``size``."""
    total = 0.0
    for char in text:
        _, advance, units = glyph_contours(file, char)
        total += advance * size / units
    return total


def draw_outlined(canvas: Canvas, text: str, x: float, y: float, file: str,
                  size: float) -> None:
    """Fill ``text`` as paths with its baseline starting at (``x``, ``y``), in the canvas's
    current fill colour."""
    path = canvas.beginPath()
    for char in text:
        contours, advance, units = glyph_contours(file, char)
        scale = size / units
        for contour in contours:
            _add_contour(path, [(x + px * scale, y + py * scale, on) for px, py, on in contour])
        x += advance * scale
    canvas.drawPath(path, stroke=0, fill=1, fillMode=1)


def _add_contour(path: PDFPathObject, points: list[tuple[float, float, bool]]) -> None:
    """A closed TrueType contour (quadratic splines) as cubic Bezier path segments."""
    if not points:
        return
    start = next((i for i, p in enumerate(points) if p[2]), None)
    if start is None:  # all off-curve: start between the first two
        a, b = points[0], points[1 % len(points)]
        ordered = [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, True), *points[1:], points[0]]
    else:
        ordered = points[start:] + points[:start]
    current = ordered[0]
    path.moveTo(current[0], current[1])
    control: tuple[float, float, bool] | None = None
    for point in [*ordered[1:], ordered[0]]:
        if point[2]:
            if control is None:
                path.lineTo(point[0], point[1])
            else:
                _quad(path, current, control, point)
                control = None
            current = point
        else:
            if control is not None:
                middle = ((control[0] + point[0]) / 2, (control[1] + point[1]) / 2, True)
                _quad(path, current, control, middle)
                current = middle
            control = point
    if control is not None:
        _quad(path, current, control, ordered[0])
    path.close()


def _quad(path: PDFPathObject, p0: tuple[float, float, bool], c: tuple[float, float, bool],
          p1: tuple[float, float, bool]) -> None:
    c1 = (p0[0] + 2 / 3 * (c[0] - p0[0]), p0[1] + 2 / 3 * (c[1] - p0[1]))
    c2 = (p1[0] + 2 / 3 * (c[0] - p1[0]), p1[1] + 2 / 3 * (c[1] - p1[1]))
    path.curveTo(c1[0], c1[1], c2[0], c2[1], p1[0], p1[1])
