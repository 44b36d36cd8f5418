"""The data office's tables as people read them: import history, rejected rows, unknown
agency names, the audit log, targets and their change log, with headers in the page's
language, counts with thousands separators, times as ``6 Desember 2026 19:48``, export
kinds and reason codes in words (the stable code kept beside the label) and the
importer's messages translated (``dashboard.components.import_text``)."""
from __future__ import annotations

import re

import pandas as pd

from dashboard.components import format as fmt
from dashboard.components.i18n import N_, tr
from dashboard.components.import_text import column_name, file_name, kind_name, message, reason_name

HISTORY_STATUS = {"loaded": N_("loaded"), "undone": N_("undone"), "replaced": N_("replaced")}
AUDIT_ACTIONS = {"login": N_("login"), "login_failed": N_("failed login"), "logout": N_("logout"),
                 "import": N_("import"), "undo": N_("undo"), "export": N_("download"),
                 "refused_page": N_("page refused"), "refused_skpd": N_("agency refused"), "erase": N_("erasure"),
                 "login_throttled": N_("login throttled")}
AUDIT_KEYS = {"import_id": N_("import"), "file": N_("file"), "kind": N_("kind"), "loaded": N_("loaded"),
              "rejected": N_("rejected"), "page": N_("page"), "skpd": N_("agency"), "rows_removed": N_("removed"),
              "rows_restored": N_("restored"), "removed": N_("removed"),
              "restored": N_("restored")}


def _moment(value, lang: str) -> str:
    return "" if value is None or pd.isna(value) else fmt.moment(pd.Timestamp(value), lang)


def _counts(values, lang: str) -> list[str]:
    return ["" if v is None or pd.isna(v) else fmt.num(v, lang) for v in values]


def _positions(values) -> list[int]:
    """Row numbers (positions, as Excel's row headers show them): plain integers, never with a
    thousands separator, so a download sorts and filters them as numbers."""
    return [int(v) for v in values]


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``metrics.imports.import_history`` as display text."""
    return pd.DataFrame({
        tr("Import", lang): [f"#{i}" for i in history["import_id"]],
        tr("Imported (WIB)", lang): [_moment(v, lang) for v in history["imported_at"]],
        tr("By", lang): history["imported_by"], tr("File", lang): [file_name(f, lang) for f in history["file_name"]],
        tr("Kind", lang): [kind_name(k, lang) for k in history["kind"]], tr("Sheet", lang): history["sheet"],
        tr("Header row", lang): _positions(history["header_row"]),
        tr("Read", lang): _counts(history["rows_read"], lang), tr("Loaded", lang): _counts(history["rows_loaded"], lang),
        tr("Duplicate", lang): _counts(history["rows_duplicate"], lang),
        tr("Rejected", lang): _counts(history["rows_rejected"], lang),
        tr("Replaced", lang): _counts(history["rows_replaced"], lang),
        tr("Status", lang): [tr(HISTORY_STATUS[s], lang) if s in HISTORY_STATUS else s for s in history["status"]],
        tr("Notes", lang): [message(n, lang) if isinstance(n, str) else "" for n in history["notes"]],
    })


def rejected_table(rejected: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``metrics.imports.rejected_rows`` as display text: the reason's label beside its code."""
    shown = {tr("Import", lang): [f"#{i}" for i in rejected["import_id"]], tr("File", lang): rejected["file_name"],
             tr("Sheet", lang): rejected["sheet"], tr("Row", lang): _positions(rejected["row_number"]),
             tr("Column", lang): [column_name(c, lang) for c in rejected["column_name"]]}
    if "value" in rejected.columns:              # cells with NIPs: only for those who see personal data
        shown[tr("Value", lang)] = rejected["value"]
    shown.update({tr("Reason", lang): [reason_name(c, lang) for c in rejected["reason_code"]],
                  tr("Reason code", lang): rejected["reason_code"],
                  tr("Details", lang): [message(m, lang) for m in rejected["message"]]})
    if "raw_row" in rejected.columns:
        shown[tr("Row as read", lang)] = rejected["raw_row"]
    return pd.DataFrame(shown)


def unknown_table(unknown: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``metrics.imports.unknown_agencies`` as display text."""
    where = {"rejected": N_("rejected rows"), "attendance": N_("attendance")}
    return pd.DataFrame({tr("Name as written", lang): unknown["name"], tr("Rows", lang): _counts(unknown["rows"], lang),
                         tr("Where", lang): [tr(where.get(w, w), lang) for w in unknown["where"]],
                         tr("Closest official names", lang): unknown["closest"].fillna("")})


def _audit_detail(detail: str, lang: str) -> str:
    """``key=value`` details with the keys in words and kinds by name."""
    def word(found: re.Match) -> str:
        key, value = found.group(1), found.group(2)
        shown = kind_name(value, lang) if key == "kind" else value
        return f"{tr(AUDIT_KEYS[key], lang)}={shown}" if key in AUDIT_KEYS else found.group(0)
    return re.sub(r"\b(\w+)=(\S*)", word, detail or "")


def audit_table(audit: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``data.ops.audit.audit_entries`` as display text."""
    return pd.DataFrame({tr("When (WIB)", lang): [_moment(v, lang) for v in audit["at"]],
                         tr("User", lang): audit["username"],
                         tr("Action", lang): [tr(AUDIT_ACTIONS[a], lang) if a in AUDIT_ACTIONS else a
                                              for a in audit["action"]],
                         tr("Details", lang): [_audit_detail(d, lang) for d in audit["detail"]]})


def targets_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``metrics.targets.target_rows`` as display text ("every year" / "every agency" for blanks)."""
    return pd.DataFrame({
        tr("Year", lang): [tr("Every year", lang) if pd.isna(y) else str(int(y)) for y in rows["year"]],
        tr("Agency", lang): [tr("Every agency", lang) if s is None or pd.isna(s) else s for s in rows["skpd"]],
        tr("Target", lang): [fmt.target_pct(v, lang) for v in rows["target"]],
        tr("Set (WIB)", lang): [_moment(v, lang) for v in rows["set_at"]], tr("By", lang): rows["set_by"]})


def change_log_table(log: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``metrics.targets.change_log`` as display text (targets as percents, headcounts as counts)."""
    items = {"target": N_("target"), "headcount": N_("headcount")}

    def value(v, item):
        if v is None or pd.isna(v):
            return ""
        return fmt.target_pct(v, lang) if item == "target" else fmt.num(v, lang)
    return pd.DataFrame({
        tr("When (WIB)", lang): [_moment(v, lang) for v in log["changed_at"]], tr("By", lang): log["changed_by"],
        tr("Item", lang): [tr(items.get(i, i), lang) for i in log["item"]],
        tr("Year", lang): ["" if pd.isna(y) else str(int(y)) for y in log["year"]],
        tr("Recap dated", lang): ["" if pd.isna(d) else fmt.day(pd.Timestamp(d).date(), lang) for d in log["as_of"]],
        tr("Agency", lang): log["skpd"].fillna(""),
        tr("Before", lang): [value(v, i) for v, i in zip(log["old_value"], log["item"])],
        tr("After", lang): [value(v, i) for v, i in zip(log["new_value"], log["item"])],
        tr("Note", lang): log["note"].fillna("")})
