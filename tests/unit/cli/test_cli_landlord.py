"""bvdesk landlord show / set: the landlord's homes, region and contact details changed from the
command line, with the checks and messages of the app's Settings (the same operations), and
--json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import run_cli

from bvdesk.operations.landlord import get_landlord
from bvdesk.operations.profile import landlord_facts, landlord_profile
from bvdesk.store.db import Database
from bvdesk.store.models import Organisation


def _run(capsys: pytest.CaptureFixture[str], db: Path | str, *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, "--db", str(db), *args)


def _facts(db_path: Path | str) -> dict[str, object]:
    with Database.open(db_path, write=False) as db:
        return landlord_facts(db)


def test_show_gives_the_landlord_homes_and_region(demo_db_path: Path | str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = _run(capsys, demo_db_path, "landlord", "show")
    assert code == 0
    assert "Northvale Homes" in out and "5,120" in out and "Yorkshire and the Humber" in out
    with Database.open(demo_db_path, write=False) as db:
        contact = landlord_profile(db)
    assert f"\nTelephone: {' ' * 19}{contact['contact_phone']}\n" in out
    code, out, _err = _run(capsys, demo_db_path, "landlord", "show", "--json")
    assert json.loads(out) == {"landlord": "Northvale Homes", "code": "NVH", "homes": 5120,
                               "region": "Yorkshire and the Humber", **contact}


def test_set_changes_the_homes_and_region_as_settings_does(
        demo_db_path: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, demo_db_path, "landlord", "set", "--homes", "4,950",
                          "--region", "North West")
    assert code == 0, err
    assert out.strip() == ("Northvale Homes: homes owned 4,950 (was 5,120); region North West "
                           "(was Yorkshire and the Humber).")
    assert _facts(demo_db_path) == {"homes": 4950, "region": "North West"}
    with Database.open(demo_db_path, write=False) as db:
        assert get_landlord(db).homes == 4950
        with db.read() as session:
            own = session.query(Organisation).filter(Organisation.is_self).one()
            assert own.stock_band == "2500_4999"  # peer groups by size follow the homes

    code, out, _err = _run(capsys, demo_db_path, "landlord", "set", "--homes", "4950", "--json")
    assert code == 0
    said = json.loads(out)
    assert (said["landlord"], said["homes"], said["region"], said["changed"]) == (
        "Northvale Homes", 4950, "North West", [])
    code, out, _err = _run(capsys, demo_db_path, "landlord", "set", "--region", "", "--json")
    assert json.loads(out)["changed"] == ["region"]
    assert not _facts(demo_db_path)["region"]


@pytest.mark.parametrize("homes, message", [
    ("lots", "Homes owned must be a number"),
    ("-3", "Homes owned cannot be less than 0"),
    ("2.5", "Homes owned must be a whole number"),
    ("10,000,001", "Homes owned cannot be more than 10,000,000"),
])
def test_a_bad_number_of_homes_is_refused_and_nothing_is_saved(
        demo_db_path: Path | str, capsys: pytest.CaptureFixture[str], homes: str,
        message: str) -> None:
    code, out, err = _run(capsys, demo_db_path, "landlord", "set", "--homes", homes,
                          "--region", "London")
    assert code == 1 and out == ""
    assert message in err
    assert _facts(demo_db_path) == {"homes": 5120, "region": "Yorkshire and the Humber"}
    code, out, _err = _run(capsys, demo_db_path, "landlord", "set", "--homes", homes, "--json")
    assert code == 1 and message in json.loads(out)["error"]


def test_set_with_nothing_to_change_says_what_to_give(
        demo_db_path: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(capsys, demo_db_path, "landlord", "set")
    assert code == 1 and "--homes N, --region REGION or a contact detail" in err


def test_set_changes_the_contact_details_the_tenant_summary_prints(
        demo_db_path: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, demo_db_path, "landlord", "set", "--phone", " 0191 496 0000 ",
                          "--get-involved", "Join the tenants' panel: ring us.", "--homes", "5120")
    assert code == 0, err
    assert "telephone 0191 496 0000 (was " in out
    assert "homes owned 5,120 (unchanged)" in out
    with Database.open(demo_db_path, write=False) as db:
        contact = landlord_profile(db)
    assert contact["contact_phone"] == "0191 496 0000"
    assert contact["get_involved"] == "Join the tenants' panel: ring us."


def test_a_refused_field_saves_none_of_the_others(
        demo_db_path: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
    with Database.open(demo_db_path, write=False) as db:
        before = landlord_profile(db)
    code, _out, err = _run(capsys, demo_db_path, "landlord", "set", "--email", "a@b.example",
                           "--homes", "many")
    assert code == 1 and "Homes owned must be a number" in err
    with Database.open(demo_db_path, write=False) as db:
        assert landlord_profile(db) == before


@pytest.mark.sqlite_only  # creates a database file of its own
def test_init_sets_them_and_landlord_set_changes_them_afterwards(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "riverside.bvdesk"
    code, _out, err = _run(capsys, db, "init", "--org", "Riverside Homes", "--homes", "1100",
                           "--region", "North West")
    assert code == 0, err
    assert _facts(db) == {"homes": 1100, "region": "North West"}
    code, _out, err = _run(capsys, db, "landlord", "set", "--homes", "1,250")
    assert code == 0, err
    assert _facts(db) == {"homes": 1250, "region": "North West"}
