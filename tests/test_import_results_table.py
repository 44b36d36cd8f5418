"""The import page's result table after a multi-file upload with a refused file: every
column holds one type (text), so Streamlit's Arrow conversion takes it as it is (a column
mixing a refused file's blank with another file's header row number raised ArrowTypeError
and made Streamlit log a traceback). Expected values are read off the files by hand."""
from __future__ import annotations

import pyarrow as pa

from dashboard.components.import_view import results_table
from data.ingest import ingest_paths

LOG = ("Log akses Portal KM Maret 2026\n"
       "Waktu Akses,NIP,ID Aset,Aktivitas\n"
       "2026-03-01 07:27:49,198503302010012001,AP-2025-00089,Komentar\n"
       "2026-03-01 07:31:40,199001012015032002,AP-2025-00080,Lihat\n")


def test_a_refused_file_beside_an_imported_one_gives_a_text_header_row_column(tmp_path):
    log, refused = tmp_path / "log.csv", tmp_path / "catatan.csv"
    log.write_text(LOG)
    refused.write_text("foo,bar\n1,2\n")
    results = ingest_paths([log, refused], db=tmp_path / "k.duckdb")
    assert [r.status for r in results] == ["imported", "refused"]

    frame = results_table(results, "id")
    header_rows = frame["Baris judul kolom"].tolist()
    assert header_rows == ["2", ""]            # the title line is row 1, the header row 2; refused: none
    assert frame["Dibaca"].tolist() == ["2", "0"]
    for column in frame.columns:               # one type per column: Arrow needs no "automatic fixes"
        assert {type(v) for v in frame[column]} == {str}, column
    table = pa.Table.from_pandas(frame)        # what st.dataframe does first; raised ArrowTypeError before
    assert table.column("Baris judul kolom").type == pa.string()


def test_a_held_back_roster_reads_in_indonesian_with_the_pages_counts(field_db_copy, field_samples, tmp_path):
    """The first 2,999 employees of the field roster against the 6,953 stored: held back, and
    the Alasan column says so in Indonesian with 2.999 / 6.953, under a status glyph the pages'
    fonts hold (it was English with 2,999 and a ⏸ that drew as a box)."""
    from data.ingest import ingest_file
    lines = (field_samples / "daftar_pegawai.csv").read_text(encoding="utf-8-sig").splitlines()
    half = tmp_path / "daftar_pegawai_setengah.csv"
    half.write_text("\n".join(lines[:1 + 2999]) + "\n", encoding="utf-8")       # the header and 2,999 rows
    result = ingest_file(half, db=field_db_copy)
    assert (result.status, result.reason_code) == ("held_back", "shrink")

    row = results_table([result], "id").iloc[0]
    assert row["Status"] == "⚠ ditahan"
    # a drop of 1 - 2999/6953 = 3954/6953 = 0.5687, written 57%
    assert row["Alasan"] == ("Daftar pegawai ini berisi 2.999 baris yang dapat dipakai dan akan mengganti 6.953 yang "
                             "tersimpan (turun 57%): ditahan, tidak ada yang diimpor. Apakah ini daftar lengkap? Jika "
                             "ya, impor lagi dengan mengonfirmasi penurunan itu (baris perintah: --allow-shrink; "
                             "halaman impor: kotak konfirmasi)")
