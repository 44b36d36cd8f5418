-- Aggregates kept at import time (data/aggregates.py builds and refreshes them; the other
-- aggregate tables are created there too). Here so an older store gains the table at its
-- one schema upgrade, which also fills it (data.aggregates.build_missing).
CREATE TABLE IF NOT EXISTS use_year_aset (
    year SMALLINT NOT NULL,         -- WIB calendar year
    aset_id VARCHAR NOT NULL,       -- any asset id, listed in the register or not
    nip VARCHAR NOT NULL,           -- pseudonymous NIP, in the roster or not
    use_events INTEGER NOT NULL     -- stored view/download events of this NIP on this asset in the year
);
-- Per-agency engagement counts per year, province row skpd NULL (data/engagement_counts.py).
CREATE TABLE IF NOT EXISTS engagement_year (
    year SMALLINT NOT NULL, skpd VARCHAR, headcount BIGINT, asset_users BIGINT, use_events BIGINT,
    users_of_assets BIGINT, use_events_of_assets BIGINT, cross_skpd_users BIGINT, cross_skpd_use_events BIGINT,
    assets_available BIGINT, assets_reused BIGINT, contributors BIGINT
);
CREATE TABLE IF NOT EXISTS engagement_aset_year (
    year SMALLINT NOT NULL, aset_id VARCHAR NOT NULL, asset_users BIGINT, use_events BIGINT, cross_skpd_users BIGINT
);
CREATE TABLE IF NOT EXISTS engagement_pair_year (
    year SMALLINT NOT NULL, aset_skpd VARCHAR NOT NULL, user_skpd VARCHAR NOT NULL, asset_users BIGINT,
    use_events BIGINT, assets_used BIGINT
);
CREATE TABLE IF NOT EXISTS engagement_cop_year (year SMALLINT NOT NULL, cop_key VARCHAR NOT NULL, users BIGINT);
