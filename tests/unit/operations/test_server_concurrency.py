"""Many desktops on one server at once, with real processes: nothing lost, the chain intact, and
a client killed mid-import leaves the import wholly there or wholly absent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from engines import raw_sql
from openpyxl import Workbook

from bvdesk.operations.check import check_database
from bvdesk.operations.indicator_import import import_files
from bvdesk.operations.landlord import init_database
from bvdesk.operations.reviews import create_review
from bvdesk.store.db import Database

pytestmark = pytest.mark.slow

CLIENTS = 8
PEERS = 60


def _book(path: Path, client: int, peers: int = PEERS) -> Path:
    """Client ``client``'s own peers, two indicators, one year."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{2000 + client}-{(client + 1) % 100:02d}")
    sheet.append(["Organisation", "BV212", "BV66a"])
    for peer in range(peers):
        sheet.append([f"Client {client} Peer {peer} Homes", 20 + peer % 17, 90 + peer % 9])
    book.save(path)
    return path


_CLIENT = textwrap.dedent("""
    import sys
    from bvdesk.operations import editing
    from bvdesk.operations.indicator_import import import_files
    from bvdesk.store.db import Database

    url, review_id, book = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with Database.open(url) as db:
        for n in range(5):
            editing.update_field(db, "review", review_id, "scope", f"Scope draft {n}")
            if n == 2:
                report = import_files(db, [book])
                assert report.written, report.summary()
        editing.update_field(db, "review", review_id, "title", f"Review {review_id} done")
    print("done", flush=True)
""")


def test_eight_clients_import_and_edit_at_once_and_nothing_is_lost(
        empty_server_db: str, tmp_path: Path) -> None:
    url = empty_server_db
    with init_database(url, "Test Homes", "TST") as db:
        reviews = [create_review(db, "repairs", f"Review {n}") for n in range(CLIENTS)]
    books = [_book(tmp_path / f"client{n}.xlsx", n) for n in range(CLIENTS)]
    clients = [subprocess.Popen([sys.executable, "-c", _CLIENT, url, str(review), str(book)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for review, book in zip(reviews, books, strict=True)]
    for client in clients:
        out, err = client.communicate(timeout=300)
        assert client.returncode == 0 and out.strip() == "done", err[-2000:]
    assert raw_sql(url, "SELECT count(*) FROM indicator_value") == [(CLIENTS * PEERS * 2,)]
    assert raw_sql(url, "SELECT count(*) FROM import_run") == [(CLIENTS,)]
    titles = raw_sql(url, "SELECT id, title, scope FROM review ORDER BY id")
    assert titles == [(r, f"Review {r} done", "Scope draft 4") for r in reviews]
    assert check_database(url) == []


_KILLED = textwrap.dedent("""
    import sys
    from bvdesk.operations.indicator_import import import_files
    from bvdesk.store.db import Database

    told = []

    def progress(fraction):
        if fraction > 0.3 and not told:
            told.append(True)
            print("writing", flush=True)

    with Database.open(sys.argv[1]) as db:
        import_files(db, [sys.argv[2]], progress=progress)
    print("finished", flush=True)
""")


def test_a_client_killed_mid_import_leaves_it_wholly_absent_and_the_server_sound(
        empty_server_db: str, tmp_path: Path) -> None:
    url = empty_server_db
    init_database(url, "Test Homes", "TST").close()
    book = _book(tmp_path / "big.xlsx", 1, peers=6000)
    with subprocess.Popen([sys.executable, "-c", _KILLED, url, str(book)],
                          stdout=subprocess.PIPE, text=True) as client:
        assert client.stdout is not None
        assert client.stdout.readline().strip() == "writing"
        os.kill(client.pid, signal.SIGKILL)
        client.wait(timeout=30)
    assert client.returncode == -signal.SIGKILL
    values = raw_sql(url, "SELECT count(*) FROM indicator_value")[0][0]
    runs = raw_sql(url, "SELECT count(*) FROM import_run")[0][0]
    assert (values, runs) in ((0, 0), (12000, 1))
    assert check_database(url) == []
    # The killed client held no lock that stops the next one.
    with Database.open(url) as db:
        assert import_files(db, [_book(tmp_path / "small.xlsx", 2)]).written


_SAME_PEERS = textwrap.dedent("""
    import sys
    from bvdesk.operations.indicator_import import import_files
    from bvdesk.store.db import Database

    with Database.open(sys.argv[1]) as db:
        report = import_files(db, [sys.argv[2]])
    print(report.imported, report.updated, report.unchanged, flush=True)
""")


def test_clients_importing_the_same_new_peers_at_once_create_each_once(
        empty_server_db: str, tmp_path: Path) -> None:
    url = empty_server_db
    init_database(url, "Test Homes", "TST").close()
    book = _book(tmp_path / "shared.xlsx", 3)
    clients = [subprocess.Popen([sys.executable, "-c", _SAME_PEERS, url, str(book)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(3)]
    results = []
    for client in clients:
        out, err = client.communicate(timeout=300)
        assert client.returncode == 0, err[-2000:]
        results.append(tuple(int(n) for n in out.split()))
    assert sorted(results) == [(0, 0, PEERS * 2)] * 2 + [(PEERS * 2, 0, 0)]
    assert raw_sql(url, "SELECT count(*) FROM organisation WHERE NOT is_self") == [(PEERS,)]
    assert raw_sql(url, "SELECT count(*) FROM indicator_value") == [(PEERS * 2,)]
    assert check_database(url) == []
