"""The importer's messages in Indonesian: every message ``data/`` can write (refusals,
rejected rows, notes, held-back reasons, previews, undo refusals) matches a translated
template, and the translations read as worked out by hand."""
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


# Where a message of data/ goes to be read on a page (through ``import_text.message``):
# the message argument of these constructors (position, or keyword), and these keywords of any call
# (``FileResult(reason=...)``, ``Preview(reason=...)``, ``ImportRefused``'s ``message``).
MESSAGE_ARGS = {"RowProblem": 1, "ImportRefused": 2, "Rejection": 5, "UndoRefused": 0, "DatabaseBusy": 0}
MESSAGE_KEYWORDS = {"reason", "message", "notes", "warning"}
HOLDERS = {"reason", "notes", "warning"}      # variables and attributes that hold messages for the page


def _holds_messages(target) -> bool:
    """A variable, attribute or item named for messages: ``notes``, ``table.notes``, ``result.notes[0]``."""
    while isinstance(target, ast.Subscript):
        target = target.value
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name in HOLDERS


def _sink_args(node) -> list:
    """The expressions in ``node`` that become a message a page shows (a list of them, or one)."""
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        args = []
        if name in MESSAGE_ARGS and len(node.args) > MESSAGE_ARGS[name]:
            args.append(node.args[MESSAGE_ARGS[name]])
        elif name in ("append", "insert", "extend") and isinstance(node.func, ast.Attribute) \
                and _holds_messages(node.func.value):
            args += node.args[-1:]
        return args + [k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS]
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return [node.value] if any(_holds_messages(t) for t in targets) else []
    if isinstance(node, ast.Dict):         # {"warning": ...} handed to the page (data.undo)
        return [v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and k.value in HOLDERS]
    return []


def _scopes(tree):
    """Each function (and the module) with the assignments made in it: {name: [value, ...]}."""
    for scope in [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]:
        assigned: dict[str, list] = {}
        body = scope.body if scope is tree else [scope]
        for node in (n for b in body for n in (ast.walk(b) if scope is not tree else [b])):
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        assigned.setdefault(t.id, []).append(node.value)
        yield scope, assigned


def _wholes(expr, local: dict, module: dict, seen=frozenset()):
    """The expressions that each give a whole message (or a list of them) in ``expr``: through
    ``a if c else b``, list displays, ``+`` of lists, ``a or b``, and a variable or constant
    holding the message (``reason=held`` where ``held = ... shrink_message(...)``;
    ``reason=DEMO_REFUSAL``). A value inside a message (``{what}``) is not a message of its own."""
    if isinstance(expr, ast.IfExp):
        parts = [expr.body, expr.orelse]
    elif isinstance(expr, ast.BoolOp):
        parts = expr.values
    elif isinstance(expr, (ast.List, ast.Tuple)):
        parts = [e.value if isinstance(e, ast.Starred) else e for e in expr.elts]
    elif isinstance(expr, ast.ListComp):
        parts = [expr.elt]
    elif isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add) and _skeleton(expr) is None:
        parts = [expr.left, expr.right]
    elif isinstance(expr, ast.Name) and expr.id not in seen:
        parts = local.get(expr.id) or module.get(expr.id, [])
        seen = seen | {expr.id}
    else:
        yield expr
        return
    for part in parts:
        yield from _wholes(part, local, module, seen)


def _feeding_functions(parsed) -> set[str]:
    """Names of the functions whose returned text becomes a message: called inside an
    expression that is a message (directly, through a variable, or through a dict of
    functions: ``check = _CONSISTENCY.get(kind)``; ``table.notes.extend(check(...))``)."""
    names = set()
    for _, tree in parsed:
        module = dict(next(_scopes(tree))[1])
        dicts = {k: {ast.unparse(v) for v in vals[0].values} for k, vals in module.items() if isinstance(vals[0], ast.Dict)}
        for scope, local in _scopes(tree):
            aliases = {}
            for name, values in local.items():
                for value in values:
                    base = (value.func.value if isinstance(value, ast.Call) and getattr(value.func, "attr", None) == "get"
                            else value.value if isinstance(value, ast.Subscript) else None)
                    if isinstance(base, ast.Name) and base.id in dicts:
                        aliases[name] = dicts[base.id]
            for node in (ast.walk(scope) if scope is not tree else []):
                for arg in _sink_args(node):
                    for call in (e for e in _wholes(arg, local, module) if isinstance(e, ast.Call)):
                        name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
                        names |= aliases.get(name, {name})
    return names


def _messages() -> list[tuple[str, int, str]]:
    """(file, line, skeleton) of every message of data/ a page may show: given to RowProblem,
    ImportRefused, Rejection, UndoRefused or DatabaseBusy; given as ``reason=`` / ``message=`` /
    ``notes=`` / ``warning=``; added to notes; put under ``"warning"``; a variable or constant
    that holds such a text (``reason=held``, ``reason=DEMO_REFUSAL``); or returned by a
    function whose result becomes one (``shrink_message``)."""
    parsed = [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(DATA.rglob("*.py"))]
    feeding = _feeding_functions(parsed)
    found = []
    for path, tree in parsed:
        module = dict(next(_scopes(tree))[1])
        for scope, local in _scopes(tree):
            if scope is tree:
                continue
            args = [a for node in ast.walk(scope) for a in _sink_args(node)]
            if scope.name in feeding:
                args += [r.value for r in ast.walk(scope) if isinstance(r, ast.Return) and r.value is not None]
            for item in (e for a in args for e in _wholes(a, local, module)):
                text = _skeleton(item)
                if text is not None and text.strip() not in ("X", ""):
                    found.append((path.name, getattr(item, "lineno", scope.lineno), text.removeprefix("WARNING: ")))
    return sorted(set(found))


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
    # held back (data.intake.guards.shrink_message): 2,999 usable rows against 6,953 stored,
    # a drop of 1 - 2999/6953 = 3954/6953 = 0.5687, written 57%; the counts the Indonesian way
    ("this Daftar pegawai holds 2,999 usable row(s) and would replace the 6,953 stored (a drop of 57%): held back, "
     "nothing was imported. Is it the whole list? If it is, import it again confirming the drop (command line: "
     "--allow-shrink; import page: the confirmation box)",
     "Daftar pegawai ini berisi 2.999 baris yang dapat dipakai dan akan mengganti 6.953 yang tersimpan (turun 57%): "
     "ditahan, tidak ada yang diimpor. Apakah ini daftar lengkap? Jika ya, impor lagi dengan mengonfirmasi penurunan "
     "itu (baris perintah: --allow-shrink; halaman impor: kotak konfirmasi)"),
    ("damaged or truncated zip/xlsx file (File is not a zip file)",
     "berkas zip/xlsx rusak atau terpotong (File is not a zip file)"),
    ("same nip as row 1,204 with other values", "nip sama dengan baris 1.204 dengan nilai lain"),
    ("import #33 ((edited in dashboard)) is already undone", "impor #33 ((diubah di dasbor)) sudah dibatalkan"),
    ("year 2150 is outside 2000-2100", "tahun 2150 di luar 2000-2100"),
    # F10: the weekday is a word of the catalogue (Tuesday: Selasa); rows and counts the Indonesian way
    ("the title's date 'Senin, 31 Maret 2026' names the wrong day: it is a Tuesday (the date is used)",
     "tanggal di judul 'Senin, 31 Maret 2026' menyebut hari yang salah: tanggal itu hari Selasa (tanggalnya yang "
     "dipakai)"),
    ("2 date(s) whose day name contradicts the date (the date is used): row 3 (Senin, 31 Maret 2026), "
     "row 1207 (Sabtu, 3 April 2026)",
     "2 tanggal yang nama harinya bertentangan dengan tanggalnya (tanggal yang dipakai): baris 3 (Senin, 31 Maret "
     "2026), baris 1.207 (Sabtu, 3 April 2026)"),
    ("1 CoP(s) found in no register (activity, asset or maturity file), their attendance loaded all the same: "
     "'COP BELUM TERDAFTAR XYZ'",
     "1 CoP tidak ada di register mana pun (berkas kegiatan, aset, atau maturitas), kehadirannya tetap dimuat: "
     "'COP BELUM TERDAFTAR XYZ'"),
])
def test_messages_read_in_indonesian(english, indonesian):
    assert message(english, "id") == indonesian


def test_the_scan_finds_the_messages_that_reach_the_page_another_way():
    """Messages that are no RowProblem or note: a held-back file's reason (returned by
    ``shrink_message``, given through a variable), a constant (``DEMO_REFUSAL``), a ``reason=``
    of a result, a rejected duplicate, an undo's refusal and warning, a busy database."""
    found = {text for _, _, text in _messages()}
    assert {"this X holds X usable row(s) and would replace the X stored (a drop of X): held back, nothing was "
            "imported. Is it the whole list? If it is, import it again confirming the drop (command line: "
            "--allow-shrink; import page: the confirmation box)",
            "the file cannot be opened (X)", "same X as row X with other values", "import #X does not exist",
            "no current X remains: the KPIs that rest on it are 0 or n/a until one is imported",
            "database X is locked by another process (waited X s)"} <= found
    assert any(t.startswith("this is the demo database") for t in found)


def test_a_previews_refusal_is_the_importers_message_alone(tmp_path):
    """The preview keeps the message and the code apart (it once gave ``message [code]``, which
    no template matched, so the page showed it in English)."""
    from data.ingest import preview_file
    from dashboard.components.import_view import refusal_text
    cut = tmp_path / "aset_cut.xlsx"
    cut.write_bytes(b"PK\x03\x04" + b"\x00" * 40)           # a zip's first bytes, then nothing: truncated
    preview = preview_file(cut)
    assert (preview.reason, preview.reason_code) == ("damaged or truncated zip/xlsx file (File is not a zip file)",
                                                     "broken_file")
    assert refusal_text(preview, "id") == ("Berkas ini akan ditolak: berkas zip\\/xlsx rusak atau terpotong "
                                           "\\(File is not a zip file\\) (berkas rusak, `broken_file`)")


def test_the_import_logs_own_file_name_for_a_corrected_headcount_reads_in_words():
    from dashboard.components.import_text import file_name
    from metrics.targets import EDITED_FILE_NAME
    assert file_name(EDITED_FILE_NAME, "id") == "(diubah di dasbor)"
    assert file_name(EDITED_FILE_NAME, "en") == "(edited in dashboard)"
    assert file_name("(edited in dashboard).csv", "id") == "(edited in dashboard).csv"     # a file's own name as written


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
