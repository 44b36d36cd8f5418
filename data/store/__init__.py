"""The store: one DuckDB file holding the imported rows, the aggregates kept from them,
and the product's own tables (imports, targets, award presets, subscriptions).

- ``connection``: where the file is, opening it (read-only or read-write, waiting while
  a writer holds it), creating and upgrading the schema once, copying it whole.
- ``schema.sql`` and ``schema_*.sql``: the tables and views; ``migrations``: the ordered
  steps from one schema version to the next.
- ``load``: one parsed file (``data.intake.records.ParsedTable``) written in one
  transaction, snapshots replacing what they cover, the import log row.
- ``aggregates``: per-month and per-year tables of the access events, refreshed in the
  import's transaction, so the KPI queries need not scan every event;
  ``engagement_counts``: the per-agency engagement figures (agency x year), kept likewise.
- ``pseudonym``: NIPs stored as keyed hashes, the key kept outside the database.
- ``writer_queue``: writers announce themselves, so readers cannot starve an import.
"""
