-- Report subscriptions (issue 18): who gets which one-page PDF report by e-mail, and how often.
-- A new table, so a schema_*.sql file and no migration (data/migrations.py, "Rules").
CREATE TABLE IF NOT EXISTS report_subscription (
    address VARCHAR NOT NULL,               -- e-mail address, lower case
    skpd VARCHAR NOT NULL,                  -- official agency name; '' = the province's report
    frequency VARCHAR NOT NULL,             -- monthly | weekly
    lang VARCHAR NOT NULL,                  -- id | en
    alerts BOOLEAN NOT NULL,                -- also an e-mail when an agency of the report turns at risk
    created_at TIMESTAMP NOT NULL,          -- WIB
    created_by VARCHAR NOT NULL,
    last_sent_at TIMESTAMP,                 -- WIB; NULL = never sent yet
    PRIMARY KEY (address, skpd)
);

-- The last-known year-end projection status of each agency (metrics.projection.STATUSES), so
-- that an at-risk alert goes out once per change and never again for the same state.
CREATE TABLE IF NOT EXISTS skpd_risk_state (
    year SMALLINT NOT NULL,                 -- WIB calendar year
    skpd VARCHAR NOT NULL,                  -- official agency name
    status VARCHAR NOT NULL,
    seen_at TIMESTAMP NOT NULL,             -- WIB, when this status was first seen
    PRIMARY KEY (year, skpd)
);
