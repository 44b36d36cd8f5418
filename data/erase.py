"""Erasing an employee's personal data on request (UU 27/2022), keeping the aggregate history.

``python -m data.erase NIP [--db FILE]``

The roster rows of that NIP (current and replaced) lose the NIP and the name; the keyed
hash stays, so the person's past events and attendance still count in the KPIs of their
agency without anyone being able to tell who they were. Rejected rows whose cells hold
the NIP are blanked. The erasure is written to the audit log (without the NIP).
"""
from __future__ import annotations

import argparse
import sys

import duckdb

from data.ops.audit import record
from data.command import command
from data.config import operator_name
from data.errors import DatabaseBusy, RowProblem
from data.store.pseudonym import pseudonym
from data.intake.values import parse_nip

ERASED = "[dihapus]"


def erase_employee(con: duckdb.DuckDBPyConnection, nip: str, *, user: str) -> dict:
    """Erase one NIP's personal data in one transaction.

    Returns:
        ``{"roster_rows": n, "rejected_rows": m}`` - rows changed.

    Raises:
        RowProblem: ``nip`` is not a well-formed NIP.
    """
    clean = parse_nip(nip)
    key = pseudonym(clean)
    con.execute("BEGIN TRANSACTION")
    try:
        roster = con.execute("SELECT count(*) FROM employee WHERE nip = ?", [key]).fetchall()[0][0]
        con.execute("UPDATE employee SET nip_plain = NULL, name = ? WHERE nip = ?", [ERASED, key])
        rejected = con.execute("SELECT count(*) FROM rejected_row WHERE regexp_replace(raw_row || value, '[^0-9]', '', 'g') "
                               "LIKE '%' || ? || '%'", [clean]).fetchall()[0][0]
        con.execute("UPDATE rejected_row SET value = ?, raw_row = ? WHERE regexp_replace(raw_row || value, '[^0-9]', '', "
                    "'g') LIKE '%' || ? || '%'", [ERASED, ERASED, clean])
        record(con, user, "erase", f"pseudonym={key[:8]} roster_rows={roster} rejected_rows={rejected}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {"roster_rows": roster, "rejected_rows": rejected}


@command
def main(argv: list[str] | None = None) -> int:
    """The command line: 0 erased (or nothing to erase), 2 usage or malformed NIP, 4 busy."""
    from data.command import open_store
    parser = argparse.ArgumentParser(prog="python -m data.erase", description="Erase one employee's personal data.")
    parser.add_argument("nip")
    parser.add_argument("--db")
    args = parser.parse_args(argv)
    try:
        with open_store(args.db, read_only=False) as con:
            done = erase_employee(con, args.nip, user=operator_name())
    except RowProblem as problem:
        sys.stderr.write(f"not a NIP: {problem.message}\n")
        return 2
    except DatabaseBusy as busy:
        sys.stderr.write(f"{busy}\n")
        return 4
    sys.stdout.write(f"erased: {done['roster_rows']} roster row(s), {done['rejected_rows']} rejected row(s)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
