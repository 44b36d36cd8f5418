-- Audit log: who did what, when (WIB). Logins, imports, undos, exports, refused access.
CREATE TABLE IF NOT EXISTS audit_log (
    "at" TIMESTAMP NOT NULL,        -- WIB
    username VARCHAR NOT NULL,
    action VARCHAR NOT NULL,        -- login | login_failed | logout | import | undo | export | refused
    detail VARCHAR NOT NULL
);
