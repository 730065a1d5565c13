"""Hostile and wrong files are refused before any parser reads them, quickly and plainly."""

import zipfile

import pytest
from openpyxl import Workbook

from bvdesk.errors import FileProblem
from bvdesk.excel.indicator_reader import parse
from bvdesk.excel.safety import MAX_MEMBERS, OLE_MAGIC, inspect_file
from bvdesk.operations.indicator_import import shipped_catalogue


def _workbook(tmp_path, name="good.xlsx"):
    book = Workbook()
    book.active.append(["Organisation", "BV212"])
    book.active.append(["North HA", 25])
    path = tmp_path / name
    book.save(path)
    return path


def _rewrite(source, target, replace):
    """Copy a workbook zip, passing each part's bytes through ``replace(name, data)``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, replace(item.filename, old.read(item.filename)))
    return target


def _refused(path, *words):
    with pytest.raises(FileProblem) as caught:
        parse([path], shipped_catalogue())
    for word in words:
        assert word in caught.value.message
    return caught.value.message


def test_password_protected_workbook(tmp_path):
    # An encrypted .xlsx is an OLE compound file holding an "EncryptedPackage" stream.
    path = tmp_path / "secret.xlsx"
    path.write_bytes(OLE_MAGIC + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
                     + b"\x00" * 1024)
    _refused(path, "password-protected", "Remove the password")


def test_renamed_non_workbooks(tmp_path):
    pdf = tmp_path / "report.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n% fake\n")
    _refused(pdf, "not an Excel workbook", "PDF")
    text = tmp_path / "notes.xlsx"
    text.write_text("just some notes\n")
    _refused(text, "not an Excel workbook", "plain text")
    docx = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    _refused(docx, "Word document")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    _refused(empty, "empty")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    _refused(broken, "damaged")


def test_zip_bomb_refused_from_the_central_directory(tmp_path):
    path = _workbook(tmp_path)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            if item.filename != "xl/styles.xml":
                new.writestr(item.filename, old.read(item.filename))
        # 64 MB of zeros compress to about 64 KB: a ratio of about 1,000.
        with new.open("xl/styles.xml", "w") as handle:
            for _ in range(64):
                handle.write(b"\x00" * (1024 * 1024))
    message = _refused(bomb, "decompression bomb", "xl/styles.xml")
    assert "refused unread" in message


def test_too_many_parts(tmp_path):
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for index in range(MAX_MEMBERS + 1):
            archive.writestr(f"x/{index}.xml", "")
    _refused(path, "parts")


def test_xml_entity_attack(tmp_path):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')

    def attack(name, data):
        if name in ("xl/workbook.xml", "xl/worksheets/sheet1.xml"):
            return laughs + data.split(b"?>", 1)[-1]
        return data

    path = _rewrite(_workbook(tmp_path), tmp_path / "laughs.xlsx", attack)
    _refused(path, "XML")


def test_enormous_sheet_declared_rows(tmp_path):
    def huge(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return data.replace(b'<dimension ref="A1:B2"', b'<dimension ref="A1:B5000000"')
        return data

    path = _rewrite(_workbook(tmp_path), tmp_path / "huge.xlsx", huge)
    _refused(path, "5,000,000 rows")


def test_a_good_workbook_passes(tmp_path):
    assert inspect_file(_workbook(tmp_path)).kind == "xlsx"
    missing = tmp_path / "nowhere.xlsx"
    _refused(missing, "does not exist")
