"""The agency page (/perangkat-daerah) run with AppTest on the field samples, asserting
the numbers shown. Headline values come from ../shared/field-samples.expected.json;
engagement values from an independent pandas count over the raw sample files below
(formatted by hand the Indonesian way: 0.917293 -> '91,7%'). Also the small-count helper."""
from __future__ import annotations

import json
import re
from functools import lru_cache

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import logged_in

from dashboard.components.format import month_label, target_pct
from dashboard.components.privacy import small_count
from data.store.connection import connect
from metrics.targets import set_target
from reports.fmt import Formats
from tests.conftest import FIELD_SAMPLES, REPO

APP = str(REPO / "dashboard" / "app.py")
PAGE = "views/perangkat_daerah.py"
DINKES = "Dinas Kesehatan"


@pytest.fixture
def app(field_db, monkeypatch):
    monkeypatch.setenv("KMDASH_DB", str(field_db))
    return logged_in(AppTest.from_file(APP, default_timeout=60))


def _open(app, **query) -> AppTest:
    for key, value in query.items():
        app.query_params[key] = value
    at = app.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


# --- the independent oracle: raw sample files read with pandas -------------------------------

def _nip(value: object) -> str:
    return re.sub(r"[\s']", "", str(value))


def _roster() -> dict:
    frame = pd.read_csv(FIELD_SAMPLES / "daftar_pegawai.csv", sep=";", dtype=str, encoding="utf-8-sig")
    return dict(zip(frame["NIP"].map(_nip), frame["Perangkat Daerah"]))


@lru_cache(maxsize=1)
def _register() -> pd.DataFrame:
    return pd.read_excel(FIELD_SAMPLES / "aset_pengetahuan_portal_km.xlsx", dtype={"NIP Pengunggah": str},
                         engine="openpyxl")


@lru_cache(maxsize=2)
def _uses(year: int) -> pd.DataFrame:
    """Counted use events of ``year``: nip, aset, user agency, asset agency, uploader."""
    logs = pd.concat([pd.read_csv(f, dtype=str) for f in sorted(FIELD_SAMPLES.glob("log_akses_*.csv"))])
    assert not logs["Waktu Akses"].str.contains(r"[+Z]", regex=True).any()   # samples: all WIB, no offsets
    logs = logs[logs["Aktivitas"].str.strip().str.lower().isin(["lihat", "unduh", "view", "download"])]
    logs = logs.assign(nip=logs["NIP"].fillna("").map(_nip)).drop_duplicates(["Waktu Akses", "nip", "ID Aset",
                                                                                  "Aktivitas"])
    logs = logs[pd.to_datetime(logs["Waktu Akses"]).dt.year == year]
    roster, register = _roster(), _register().set_index("ID Aset")
    logs = logs[logs["nip"].isin(roster) & logs["ID Aset"].isin(register.index)]
    return pd.DataFrame({"nip": logs["nip"].values, "aset": logs["ID Aset"].values,
                         "user_skpd": logs["nip"].map(roster).values,
                         "aset_skpd": register.loc[logs["ID Aset"], "Perangkat Daerah"].values,
                         "uploader": register.loc[logs["ID Aset"], "NIP Pengunggah"].values})


# --- page tests -------------------------------------------------------------------------------

def test_default_agency_is_the_first_in_the_recap_and_goes_into_the_url(app):
    at = _open(app)
    assert at.selectbox[0].value == "Badan Kepegawaian Daerah"      # alphabetical first of the 24
    assert at.query_params["skpd"] == "Badan Kepegawaian Daerah"
    shown = _metrics(at)
    assert shown["Tingkat pemanfaatan"] == "59,9%"                   # 217 / 362 = 0.599448
    assert shown["Tingkat partisipasi"] == "35,9%"                   # 130 / 362
    assert shown["Aset terbit"] == "9"
    # vs the province 2753 / 6953 = 0.395944: +20.35 points
    assert at.metric[0].delta == "+20,4 poin terhadap provinsi"


def test_named_agency_from_the_query_shows_its_headline(app):
    at = _open(app, skpd=DINKES)
    assert at.selectbox[0].value == DINKES
    shown = _metrics(at)
    assert shown["Tingkat pemanfaatan"] == "57,4%"                   # 167 / 291 = 0.573883
    assert shown["Tingkat partisipasi"] == "38,5%"                   # 112 / 291 = 0.384880
    assert shown["Aset terbit"] == "3"
    assert "Jumlah pegawai: 291 · Pengguna aset: 167 · Peserta kegiatan: 112 · Target 50%" in at.caption[0].value


def _trend(at) -> dict:
    """The monthly trend chart's figure (the page's last plotly chart titled with the target)."""
    figures = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(f for f in figures if "kumulatif" in str(f["layout"].get("title", "")))


def test_an_agency_target_is_shown_on_its_home_page_caption_and_trend(field_db_copy):
    # Pusdatin set Dinas Kesehatan's 2026 target to 57.5%: its page (the admin_pd's home page)
    # says 57,5% (not the programme's 50%, nor 58%), and the trend's target line stands at 0.575
    with connect(field_db_copy) as con:
        set_target(con, year=2026, skpd=DINKES, target=0.575, by="test")
    at = logged_in(AppTest.from_file(APP, default_timeout=60), "admin_pd", DINKES).run()
    assert not at.exception
    assert at.caption[0].value.endswith("Peserta kegiatan: 112 · Target 57,5%")
    trend = _trend(at)
    assert trend["layout"]["title"]["text"] == "Pengguna aset kumulatif terhadap target 57,5%"
    (line,) = trend["layout"]["shapes"]
    assert line["y0"] == line["y1"] == 0.575
    assert "Target 57,5%" in [a["text"] for a in trend["layout"]["annotations"]]


def test_named_agency_engagement_matches_an_independent_count(app):
    uses = _uses(2026)
    of_dinkes = uses[uses["aset_skpd"] == DINKES]
    cross = of_dinkes.loc[of_dinkes["user_skpd"] != DINKES, "nip"].nunique() / of_dinkes["nip"].nunique()
    register = _register()
    stock = register[(register["Perangkat Daerah"] == DINKES) & (register["Status"].str.strip().str.lower() == "terbit")
                     & (register["Tanggal Terbit"] <= "2026-12-31")]
    reused = of_dinkes.loc[of_dinkes["nip"] != of_dinkes["uploader"], "aset"].unique()
    roster = _roster()
    uploads = register[register["Tanggal Unggah"].dt.year == 2026]
    contributors = {n for n in uploads["NIP Pengunggah"].map(_nip) if roster.get(n) == DINKES}
    at = _open(app, skpd=DINKES)
    shown = _metrics(at)
    assert shown["Porsi pengguna lintas PD"] == f"{cross:.1%}".replace(".", ",")
    assert shown["Tingkat pemanfaatan ulang"] == f"{stock['ID Aset'].isin(reused).mean():.1%}".replace(".", ",")
    assert shown["Kontributor per 100 pegawai"] == f"{100 * len(contributors) / 291:.1f}".replace(".", ",")


def test_cop_tiers_table_suppresses_counts_under_five(app):
    raw = pd.read_csv(FIELD_SAMPLES / "rekap_kehadiran_cop.csv", dtype=str)
    raw = raw[raw["Nama CoP"].str.strip().str.lower() == "cop layanan publik dinkes"]
    raw = raw[pd.to_datetime(raw["Tanggal Kegiatan"], dayfirst=True).dt.year == 2026]
    raw = raw.assign(nip=raw["NIP"].map(_nip))
    meetings = raw[["Nama Kegiatan", "Tanggal Kegiatan"]].drop_duplicates().shape[0]
    members = raw[raw["nip"].isin(_roster())].drop_duplicates(["nip", "Nama Kegiatan", "Tanggal Kegiatan"])
    attended = members.groupby("nip").size()
    at = _open(app, skpd=DINKES)
    cops = at.dataframe[1].value.iloc[0]
    assert cops["CoP"] == "CoP Layanan Publik Dinkes"
    assert cops["Pertemuan"] == str(meetings)
    assert cops["Anggota CoP"] == str(len(attended))
    assert cops["Periferal"] == str((attended == 1).sum())
    assert cops["Inti"] == "<5"                                       # 1 core member: suppressed


def test_who_uses_its_assets_lists_other_agencies(app):
    uses = _uses(2026)
    of_dinkes = uses[uses["aset_skpd"] == DINKES].drop_duplicates(["nip"])
    top = of_dinkes.groupby("user_skpd").size().sort_values(ascending=False)
    at = _open(app, skpd=DINKES)
    table = at.dataframe[3].value
    assert table.iloc[0]["Perangkat daerah"] == top.index[0]
    assert table.iloc[0]["Pengguna aset PD"] == str(top.iloc[0])
    buttons = at.get("download_button")
    tables_downloadable = {b.key.rsplit("-", 1)[0] for b in buttons if not b.key.startswith("report_")}
    assert len(tables_downloadable) == len(at.dataframe)              # every table has its downloads
    assert {b.key for b in buttons if b.key.startswith("report_")} == {f"report_pdf_{DINKES}", f"report_pptx_{DINKES}"}


def test_another_year_uses_that_years_events(app):
    users = _uses(2025).query("user_skpd == @DINKES")["nip"].nunique()
    at = _open(app, skpd=DINKES, tahun="2025")
    assert at.sidebar.selectbox[0].value == 2025
    assert _metrics(at)["Tingkat pemanfaatan"] == f"{users / 291:.1%}".replace(".", ",")


def test_unknown_agency_in_the_query_falls_back_with_a_warning(app):
    at = _open(app, skpd="Dinas Tidak Ada")
    assert at.selectbox[0].value == "Badan Kepegawaian Daerah"
    assert "Dinas Tidak Ada" in at.warning[0].value
    assert "tidak ada perangkat daerah dengan nama, singkatan, atau alias ini" in at.warning[0].value
    assert at.warning[0].value.endswith("→ Badan Kepegawaian Daerah")


@pytest.mark.parametrize("spelling", ["Dishub", "dinas perhubungan", "DINAS PERHUBUNGAN PROVINSI DKI JAKARTA"])
def test_agency_link_by_abbreviation_case_or_suffix_opens_that_agency(app, spelling):
    # the agency table: Dinas Perhubungan, abbreviation Dishub; expected: 72 / 360 users, 170 / 360 participants
    at = _open(app, skpd=spelling)
    assert at.selectbox[0].value == "Dinas Perhubungan"
    assert at.query_params["skpd"] == "Dinas Perhubungan"
    assert not at.warning
    shown = _metrics(at)
    assert shown["Tingkat pemanfaatan"] == "20,0%"                   # 72 / 360
    assert shown["Tingkat partisipasi"] == "47,2%"                   # 170 / 360 = 0.472222


def test_unknown_agency_in_english(app):
    at = _open(app, skpd="Atlantis", lang="en")
    assert at.warning[0].value.startswith("Atlantis: no agency has this name, abbreviation or alias (closest: ")


def test_english_page_uses_english_labels_and_formats(app):
    at = _open(app, skpd=DINKES, lang="en")
    assert _metrics(at)["Utilisation rate"] == "57.4%"


@pytest.mark.parametrize("n, shown", [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (1234, "1.234"), (None, "t/a")])
def test_small_count_hides_one_to_four_people(n, shown):
    assert small_count(n, "id") == shown


@pytest.mark.parametrize("target, lang, shown", [(0.5, "id", "50%"), (0.575, "id", "57,5%"), (0.575, "en", "57.5%"),
                                                 (0.62, "id", "62%"), (0.1 + 0.2, "id", "30%")])
def test_a_target_is_written_with_the_decimals_it_has(target, lang, shown):
    # 0.1 + 0.2 = 0.30000000000000004: float noise is not a decimal the target has
    assert target_pct(target, lang) == shown
    assert Formats(lang).target(target) == shown                      # the PDF, slides and e-mails alike


# Three letters for every month in both languages, as written by hand (CLDR's en_GB has "Sept"
# beside "Aug" and "Oct"; fresh eyes F14 saw "Sept 2026" on the English trend axis).
MONTHS = {"id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
          "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_month_is_written_with_three_letters_on_pages_and_in_reports(lang):
    import datetime as dt
    from dashboard.components.charts import trend_chart
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    expected = [f"{name} 2026" for name in MONTHS[lang]]
    assert [month_label(m, lang) for m in months] == expected
    monthly = pd.DataFrame({"month": months, "cumulative_utilisation_rate": [0.1] * 12,
                            "cumulative_asset_users": [10] * 12})
    assert list(trend_chart(monthly, 0.5, lang).data[0].x) == expected             # the trend axis
    report = Formats(lang)
    assert [report.month(m) for m in months] == expected                            # PDF, slides, e-mail
    assert [report.month_name(m) for m in months] == MONTHS[lang]
    assert report.short_day(dt.date(2026, 9, 11)) == "11 Sep 2026"
