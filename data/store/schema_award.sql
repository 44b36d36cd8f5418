-- KM Award (issue 6): evaluators' weight presets and frozen final rankings.
-- Settings and results are JSON text written by metrics.award_store.

CREATE TABLE IF NOT EXISTS award_preset (
    name VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    settings_json VARCHAR NOT NULL,      -- metrics.award_criteria.AwardSettings.to_dict()
    saved_at TIMESTAMP NOT NULL,         -- WIB
    saved_by VARCHAR NOT NULL,
    PRIMARY KEY (name, year)
);

CREATE TABLE IF NOT EXISTS award_frozen (   -- one final ranking per year; never updated
    year SMALLINT PRIMARY KEY,
    settings_json VARCHAR NOT NULL,
    result_json VARCHAR NOT NULL,        -- metrics.award.to_json() plus the shortlist
    data_version VARCHAR NOT NULL,       -- metrics.overview.data_version at freezing
    frozen_at TIMESTAMP NOT NULL,        -- WIB
    frozen_by VARCHAR NOT NULL
);
