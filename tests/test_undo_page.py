"""Undo on the Data & impor page: every import listed with date (WIB), user, kind and counts;
the outcome in words; afterwards the choice is cleared and "Saya yakin" unticked."""
from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.components import format as fmt
from dashboard.components.escape import md
from data.store.connection import connect
from tests.conftest import REPO, logged_in


def test_undo_lists_date_user_kind_counts_says_what_it_did_and_resets(field_db_copy):
    with connect(field_db_copy, read_only=True) as con:
        newest, name, kind, at_wib, by, loaded = con.execute(
            "SELECT import_id, file_name, kind, imported_at, imported_by, rows_loaded FROM import_log "
            "ORDER BY import_id DESC LIMIT 1").fetchall()[0]
        stored = con.execute("SELECT count(*) FROM attendance WHERE import_id = ?", [newest]).fetchall()[0][0]
    assert kind == "attendance"                        # the field samples' last file: rekap_kehadiran_cop.csv
    at = logged_in(AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60)).run()
    at.switch_page("views/data.py").run()
    box = at.selectbox(key="undo_choice")
    label = box.format_func(newest)
    dotted = f"{loaded:,}".replace(",", ".")
    when = fmt.moment(pd.Timestamp(at_wib), "id")                             # the pages' own date-time format
    assert label == f"#{newest} · {when} WIB · {by} · Kehadiran kegiatan CoP · {name} · {dotted} dimuat, 0 diganti"
    assert box.value is None                                                   # nothing chosen by default
    box.select(newest).run()
    at.checkbox(key="undo_sure").check().run()
    next(b for b in at.button if b.label == "Batalkan impor ini").click().run()
    assert not at.exception
    removed = f"{stored:,}".replace(",", ".")
    assert at.success[0].value == (f"Impor #{newest} ({md(name)}) dibatalkan: "
                                   f"{removed} baris dihapus, 0 baris sebelumnya dipulihkan.")
    assert at.selectbox(key="undo_choice").value is None and at.checkbox(key="undo_sure").value is False
    assert not [o for o in at.selectbox(key="undo_choice").options if o.startswith(f"#{newest} ")]    # undone: gone
    with connect(field_db_copy, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM attendance WHERE import_id = ?", [newest]).fetchall()[0][0] == 0


def test_the_undo_list_reads_in_indonesian_for_a_corrected_headcount(field_db_copy):
    """The empty choice says "Pilih impor" (not Streamlit's "Choose an option") and a headcount
    corrected on the page is listed as "(diubah di dasbor)" (the import log's own marker)."""
    import datetime as dt
    from metrics.targets import set_headcount
    with connect(field_db_copy) as con:
        # the recap of 30 June 2026 holds one Dinas Kesehatan row (291): corrected to 290, 1 loaded, 1 replaced
        corrected = set_headcount(con, skpd="Dinas Kesehatan", as_of=dt.date(2026, 6, 30), headcount=290, by="sari")
    at = logged_in(AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=60)).run()
    at.switch_page("views/data.py").run()
    box = at.selectbox(key="undo_choice")
    assert box.value is None and box.proto.placeholder == "Pilih impor"
    assert box.format_func(corrected).endswith(" · sari · Rekap jumlah pegawai · (diubah di dasbor) · 1 dimuat, 1 diganti")
