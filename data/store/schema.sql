-- The product's DuckDB schema, version 1. Every column's type is declared here and
-- never inferred from a file. Snapshot tables keep replaced rows (replaced_by = the
-- import that replaced them); the *_current views show what counts now.
-- Times are naive TIMESTAMPs in WIB (UTC+7).

CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE TABLE IF NOT EXISTS skpd (
    name VARCHAR PRIMARY KEY,            -- official name, the key every table uses
    abbreviation VARCHAR,
    kind VARCHAR                         -- Dinas, Badan, Biro, Kota Administrasi, ...
);
CREATE TABLE IF NOT EXISTS skpd_alias (
    alias_key VARCHAR PRIMARY KEY,       -- data.agencies.agency_key of a spelling
    skpd VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS import_log (
    import_id INTEGER PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    content_sha256 VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    file_format VARCHAR NOT NULL,
    sheet VARCHAR NOT NULL,
    header_row INTEGER NOT NULL,         -- 1-based row of the (last) header row
    imported_at TIMESTAMP NOT NULL,      -- WIB
    imported_by VARCHAR NOT NULL,
    rows_read INTEGER NOT NULL,
    rows_loaded INTEGER NOT NULL,
    rows_duplicate INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    rows_replaced INTEGER NOT NULL,      -- older snapshot rows this import replaced
    status VARCHAR NOT NULL,             -- loaded | undone
    notes VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS rejected_row (
    import_id INTEGER NOT NULL,
    file_name VARCHAR NOT NULL,
    sheet VARCHAR NOT NULL,
    row_number INTEGER NOT NULL,         -- 1-based, as Excel shows it
    column_name VARCHAR NOT NULL,
    value VARCHAR NOT NULL,
    reason_code VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    row_date DATE,                       -- the row's own date (event or activity), when readable
    raw_row VARCHAR NOT NULL             -- the row's cells as written, ' | '-separated
);

CREATE TABLE IF NOT EXISTS headcount (
    skpd VARCHAR NOT NULL,
    as_of DATE NOT NULL,
    headcount INTEGER NOT NULL,
    headcount_pns INTEGER,
    headcount_pppk INTEGER,
    import_id INTEGER NOT NULL,
    source_row INTEGER NOT NULL,
    replaced_by INTEGER
);

CREATE TABLE IF NOT EXISTS employee (       -- the roster: the only table with names
    nip VARCHAR NOT NULL,                   -- 18 digits
    name VARCHAR NOT NULL,
    skpd VARCHAR NOT NULL,
    employment_status VARCHAR,              -- PNS | PPPK | as written
    import_id INTEGER NOT NULL,
    source_row INTEGER NOT NULL,
    replaced_by INTEGER
);

CREATE TABLE IF NOT EXISTS cop (
    cop_key VARCHAR PRIMARY KEY,            -- name case-folded, spaces collapsed
    name VARCHAR NOT NULL,
    skpd VARCHAR                            -- owner from activity/asset/maturity files
);

CREATE TABLE IF NOT EXISTS activity (
    cop_key VARCHAR NOT NULL,
    skpd VARCHAR NOT NULL,
    activity_title VARCHAR NOT NULL,
    title_key VARCHAR NOT NULL,
    activity_date DATE NOT NULL,
    quarter_label VARCHAR,
    accompanied BOOLEAN,                    -- Didampingi; NULL when the cell was empty
    mentor VARCHAR,
    attendee_count INTEGER,
    import_id INTEGER NOT NULL,
    source_row INTEGER NOT NULL,
    replaced_by INTEGER
);

CREATE TABLE IF NOT EXISTS attendance (     -- events: duplicates by (nip, cop, title, date) count once
    nip VARCHAR NOT NULL,
    cop_key VARCHAR NOT NULL,
    activity_title VARCHAR NOT NULL,
    title_key VARCHAR NOT NULL,
    activity_date DATE NOT NULL,
    role VARCHAR NOT NULL,
    skpd_text VARCHAR,                      -- agency as typed in the form
    skpd VARCHAR,                           -- its match in the agency table, if any
    submitted_at TIMESTAMP,                 -- WIB
    import_id INTEGER NOT NULL,
    source_row INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS aset (
    aset_id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    aset_kind VARCHAR,
    cop_key VARCHAR NOT NULL,
    skpd VARCHAR NOT NULL,
    uploader_nip VARCHAR,
    uploaded_on DATE,
    status VARCHAR NOT NULL,                -- terbit | draf | ditolak
    published_on DATE,
    import_id INTEGER NOT NULL,
    source_row INTEGER NOT NULL,
    replaced_by INTEGER
);

CREATE TABLE IF NOT EXISTS access_event (   -- events: identical (time, nip, aset, action) count once
    event_time TIMESTAMP NOT NULL,          -- WIB
    nip VARCHAR NOT NULL,
    aset_id VARCHAR NOT NULL,
    action VARCHAR NOT NULL,                -- view | download | like | comment
    import_id INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS maturity (
    cop_key VARCHAR NOT NULL,
    skpd VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    strategi DECIMAL(18, 8) NOT NULL,
    orang DECIMAL(18, 8) NOT NULL,
    proses DECIMAL(18, 8) NOT NULL,
    konten DECIMAL(18, 8) NOT NULL,
    teknologi DECIMAL(18, 8) NOT NULL,
    mean_file DECIMAL(18, 8),                -- the file's own rounded mean, informational
    level_file TINYINT,
    instrument VARCHAR,
    import_id INTEGER NOT NULL,
    source_row INTEGER NOT NULL,
    replaced_by INTEGER
);

CREATE TABLE IF NOT EXISTS jury_score (     -- KM Award jury: one row per CoP per juror per year
    year SMALLINT NOT NULL,
    cop_key VARCHAR NOT NULL,
    skpd VARCHAR NOT NULL,
    juror VARCHAR NOT NULL,
    score DECIMAL(9, 4) NOT NULL,           -- 0-100
    import_id INTEGER NOT NULL,
    source_row INTEGER NOT NULL,
    replaced_by INTEGER
);

CREATE OR REPLACE VIEW jury_score_current AS SELECT * FROM jury_score WHERE replaced_by IS NULL;
CREATE OR REPLACE VIEW headcount_current AS SELECT * FROM headcount WHERE replaced_by IS NULL;
CREATE OR REPLACE VIEW employee_current AS SELECT * FROM employee WHERE replaced_by IS NULL;
CREATE OR REPLACE VIEW activity_current AS SELECT * FROM activity WHERE replaced_by IS NULL;
CREATE OR REPLACE VIEW aset_current AS SELECT * FROM aset WHERE replaced_by IS NULL;
CREATE OR REPLACE VIEW maturity_current AS SELECT * FROM maturity WHERE replaced_by IS NULL;
