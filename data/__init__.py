"""The data layer: field exports in, a DuckDB store out, and the commands that run it.

A file travels ``intake`` -> ``ingest`` -> ``store``:

- ``data.intake``: bytes of a file to typed records and rejected rows (no database).
- ``data.ingest``: the one import path (command line and import page): intake, then
  one transaction per file into the store, then the audit log.
- ``data.store``: the DuckDB file: schema and migrations, connections, loading,
  the aggregates kept at import time, pseudonymous NIPs, the writer queue.
- ``data.ops``: running the product for years: audit log, backup sets, integrity,
  freshness, monitoring output.
- ``data.demo``: the seeded demo exports and the demo database.

At the top: the commands users run (``python -m data.ingest | data.admin | data.undo |
data.erase``; ``data.cli`` holds the installed ``kmdash-*`` entry points, ``data.command``
what they share), and what every layer shares: ``config`` (settings), ``errors``,
``version``, ``logging_setup``, ``keyfile``. Reference data (the agency table) is in
``data/reference/``; a checkout's state files (database, keys, users) default to ``data/``.
Dependencies point one way: dashboard -> metrics -> data.
"""
