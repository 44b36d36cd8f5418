"""The importer's messages in Indonesian: every message ``data/`` can write (refusals,
rejected rows, notes) matches a translated template, and the translations read as worked
out by hand."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dashboard.components.import_text import COLUMN_NAMES, KIND_NAMES, REASONS, column_name, kind_name, message, reason_name
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


def _list_items(node):
    """The elements of a list display or the element of a comprehension, through ``a if c else b``."""
    if isinstance(node, ast.IfExp):
        yield from _list_items(node.body)
        yield from _list_items(node.orelse)
    elif isinstance(node, ast.List):
        yield from node.elts
    elif isinstance(node, ast.ListComp):
        yield node.elt


def _note_functions(trees) -> set[str]:
    """Names of the functions whose returned list ends up in notes: called inside a
    ``notes.extend(...)`` or ``notes += ...``, directly or through a dict of functions
    (``check = _CONSISTENCY.get(kind)``; ``table.notes.extend(check(...))``)."""
    names = set()
    for tree in trees:
        dicts = {t.id: {ast.unparse(v) for v in node.value.values} for node in ast.walk(tree)
                 if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) for t in node.targets
                 if isinstance(t, ast.Name)}
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                value = node.value
                base = (value.func.value if isinstance(value, ast.Call) and getattr(value.func, "attr", None) == "get"
                        else value.value if isinstance(value, ast.Subscript) else None)
                if isinstance(base, ast.Name) and base.id in dicts:
                    aliases[node.targets[0].id] = dicts[base.id]
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "extend" and "notes" in ast.unparse(node.func):
                feeding = node.args
            elif isinstance(node, ast.AugAssign) and "notes" in ast.unparse(node.target):
                feeding = [node.value]
            else:
                continue
            for arg in feeding:
                for call in (n for n in ast.walk(arg) if isinstance(n, ast.Call)):
                    name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
                    names |= aliases.get(name, {name})
    return names


def _messages() -> list[tuple[str, int, str]]:
    """(file, line, skeleton) of every message of data/: given to RowProblem / ImportRefused,
    added to notes (``append`` / ``insert``), a list given as notes (``notes = [...]``,
    ``notes=[...]``), or returned in a list by a function whose result goes into notes."""
    parsed = [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(DATA.rglob("*.py"))]
    feeding = _note_functions(tree for _, tree in parsed)
    found = []
    for path, tree in parsed:
        for node in ast.walk(tree):
            args = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name == "RowProblem" and len(node.args) >= 2:
                    args = [node.args[1]]
                elif name == "ImportRefused" and len(node.args) >= 3:
                    args = [node.args[2]]
                elif name in ("append", "insert") and "notes" in ast.unparse(node.func):
                    args = node.args[-1:]
                args += [e for k in node.keywords if k.arg == "notes" for e in _list_items(k.value)]
            elif isinstance(node, ast.Assign) and any("notes" in ast.unparse(t) for t in node.targets):
                args = list(_list_items(node.value))
            elif isinstance(node, ast.FunctionDef) and node.name in feeding:
                args = [e for r in ast.walk(node) if isinstance(r, ast.Return) and r.value is not None
                        for e in _list_items(r.value)]
            for arg in args:
                text = _skeleton(arg)
                if text is not None and text.strip() not in ("X", ""):
                    found.append((path.name, getattr(arg, "lineno", node.lineno), text.removeprefix("WARNING: ")))
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
    # counts the Indonesian way (2.801, not 2,801 or 2801); cell names, ids and years as written
    ("sheet 'Aset Pengetahuan' holds 2,801 cell(s) spread up to row 1,048,576, column XFD: read cell by cell",
     "lembar 'Aset Pengetahuan' berisi 2.801 sel tersebar sampai baris 1.048.576, kolom XFD: dibaca sel demi sel"),
    ("1048257 empty row(s) skipped", "1.048.257 baris kosong dilewati"),
    ("1 row(s) hold values right of the header's last column (I), not read: row 1048576 (XFD1048576 'x')",
     "1 baris berisi nilai di kanan kolom terakhir judul tabel (I), tidak dibaca: baris 1.048.576 (XFD1048576 'x')"),
    ("2 row(s) whose total differs from PNS + PPPK (the total is used): row 4 (Dinas Sosial: 120 vs 100 + 10), "
     "row 1200 (Inspektorat: 5 vs 1 + 1)",
     "2 baris yang jumlahnya berbeda dari PNS + PPPK (jumlah yang dipakai): baris 4 (Dinas Sosial: 120 vs 100 + 10), "
     "baris 1.200 (Inspektorat: 5 vs 1 + 1)"),
    ("import #1234 does not exist", "impor #1234 tidak ada"),
    ("year 2150 is outside 2000-2100", "tahun 2150 di luar 2000-2100"),
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


def test_every_column_of_every_kind_has_words():
    from data.intake.kinds import KINDS
    assert set(COLUMN_NAMES) == {c.name for spec in KINDS for c in spec.columns}
    assert column_name("event_time", "id") == "Waktu akses" and column_name("event_time", "en") == "Access time"
    assert column_name("brand_new_column", "id") == "brand_new_column"


def test_the_previews_column_mapping_shows_words_not_field_names(field_samples):
    from data.ingest import preview_file
    from dashboard.components.import_view import mapping_table
    preview = preview_file(field_samples / "log_akses_portal_km_2026-01.csv")
    table = mapping_table(preview, "id")
    # the file's header: Waktu Akses,NIP,ID Aset,Aktivitas
    assert dict(zip(table["Kolom"], table["Judul di berkas"])) == {
        "Waktu akses": "Waktu Akses", "NIP": "NIP", "ID aset": "ID Aset", "Aksi": "Aktivitas"}
