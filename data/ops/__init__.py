"""Operations: what keeps the product trustworthy over years, used by ``data.admin`` and
the pages.

- ``audit``: the append-only audit log (logins, imports, undos, exports, refusals).
- ``backup_set``: a backup set (database, NIP key, users file, manifest) and its restore.
- ``integrity``: row accounting, orphans, duplicate keys, the schema version.
- ``freshness``: per export kind, when it was imported and which period it covers.
- ``monitoring``: ``check`` and ``freshness`` as Nagios or JSON output.
"""
