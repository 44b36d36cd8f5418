"""The importer's messages in Indonesian: every message ``data/`` can write (refusals,
rejected rows, notes) matches a translated template, and the translations read as worked
out by hand."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dashboard.components.import_text import KIND_NAMES, REASONS, kind_name, message, reason_name
from data.intake.kinds import KIND_BY_NAME

DATA = Path(__file__).resolve().parents[1] / "data"


def _skeleton(node) -> str | None:
    """A message's text with each interpolated value as ``X``; None when not a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "WARNING: " if ast.unparse(v.value) == "WARNING"
                       else "X" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _skeleton(node.left), _skeleton(node.right)
        return None if left is None or right is None else left + right
    return None


def _messages() -> list[tuple[str, int, str]]:
    """(file, line, skeleton) of every message given to RowProblem / ImportRefused or added to notes in data/."""
    found = []
    for path in sorted(DATA.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = []
            if name == "RowProblem" and len(node.args) >= 2:
                args = [node.args[1]]
            elif name == "ImportRefused" and len(node.args) >= 3:
                args = [node.args[2]]
            elif name in ("append", "insert") and "notes" in ast.unparse(node.func):
                args = node.args[-1:]
            for arg in args:
                text = _skeleton(arg)
                if text is not None and text.strip() not in ("X", ""):
                    found.append((path.name, node.lineno, text.removeprefix("WARNING: ")))
    return found


def test_the_scan_finds_the_importers_messages():
    assert len(_messages()) > 50


@pytest.mark.parametrize("where, line, text", _messages(), ids=lambda v: str(v)[:40])
def test_every_message_of_the_importer_has_an_indonesian_template(where, line, text):
    shown = message(text, "id")
    assert shown != text, f"{where}:{line}: no template in dashboard/components/import_text.py for {text!r}"


@pytest.mark.parametrize("english, indonesian", [
    ("NIP must be 18 digits 0-9, got 17 characters", "NIP harus 18 digit 0-9, berisi 17 karakter"),
    ("no NIP (empty, '-', or a guest marker such as 'tamu')", "tanpa NIP (kosong, '-', atau penanda tamu seperti 'tamu')"),
    ("3 empty row(s) skipped; CSV separated by ';'", "3 baris kosong dilewati; CSV dipisah dengan ';'"),
    ("WARNING: 5 of 7 rows rejected; this Daftar pegawai was loaded with only 2 row(s): fix the file and import it "
     "again, or undo import #26 (Data & impor page, or python -m data.undo 26)",
     "PERINGATAN: 5 dari 7 baris ditolak; Daftar pegawai ini dimuat dengan hanya 2 baris: perbaiki berkas lalu impor "
     "lagi, atau batalkan impor #26 (halaman Data & impor, atau python -m data.undo 26)"),
])
def test_messages_read_in_indonesian(english, indonesian):
    assert message(english, "id") == indonesian


def test_english_mode_keeps_the_importers_words():
    assert message("file is empty", "en") == "file is empty"


def test_every_kind_and_common_reason_has_a_name():
    assert set(KIND_NAMES) == set(KIND_BY_NAME)
    assert kind_name("access_log", "id") == "Log akses Portal KM"
    assert kind_name("access_log", "en") == "KM Portal access log"
    assert reason_name("bad_nip", "id") == "NIP tidak sah" and reason_name("bad_nip", "en") == "NIP malformed"
    assert reason_name("brand_new_code", "id") == "brand_new_code"     # a code nobody named yet stays readable
    assert {"missing_nip", "bad_nip", "bad_date", "unknown_skpd"} <= set(REASONS)
