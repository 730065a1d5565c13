"""Rasterise the app icon resources/icons/bvdesk.svg to bvdesk.png and bvdesk.ico.

Qt's SVG renderer draws each size separately (small sizes stay crisp rather than being scaled
down from 256 px); Pillow packs the frames into one Windows ``.ico``. Run after editing the SVG:

    .venv/bin/python installer/make_icons.py
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "bvdesk.svg"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
PNG_SIZE = 256


def render_png(size: int) -> bytes:
    """The SVG drawn at ``size`` x ``size`` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    frames = [Image.open(io.BytesIO(render_png(size))) for size in ICO_SIZES]
    (ICONS / "bvdesk.png").write_bytes(render_png(PNG_SIZE))
    largest = frames[-1]
    largest.save(ICONS / "bvdesk.ico", format="ICO", sizes=[(s, s) for s in ICO_SIZES],
                 append_images=frames[:-1])
    print(f"wrote {ICONS / 'bvdesk.png'} and {ICONS / 'bvdesk.ico'} ({len(ICO_SIZES)} sizes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
