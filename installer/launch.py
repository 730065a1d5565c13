"""Entry point of the frozen app (PyInstaller runs this file as ``__main__``)."""

import os
import sys

# A windowed Windows build has no console: sys.stdout and sys.stderr are None there, and the
# first message written to them would crash the app instead of going nowhere.
for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))

from bvdesk.cli import main  # noqa: E402

raise SystemExit(main())
