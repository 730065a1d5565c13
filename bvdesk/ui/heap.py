"""The garbage collector and start-up."""

from __future__ import annotations

import gc

_settled = False


def settle_heap() -> None:
    """Move everything loaded so far out of the garbage collector's sight, once per process.

    A full collection scans every object; with Qt, SQLAlchemy, reportlab and openpyxl loaded
    that took about 200 ms, and when a worker thread triggered it the GUI froze for as long.
    Frozen objects (modules, classes, functions: what start-up creates) are never scanned again,
    so collections only look at what the app makes while it runs.
    """
    global _settled
    if not _settled:
        gc.collect()
        gc.freeze()
        _settled = True
