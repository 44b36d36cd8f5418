-- Utilisation targets as data (issue 4). The effective target for (year, agency) is the most
-- specific row: (year, skpd) > (any year, skpd) > (year, every agency) > (any year, every agency),
-- else the built-in 0.5 (metrics.registry.TARGET_UTILISATION). NULL year = every year; NULL skpd =
-- every agency. At most one row per (year, skpd): metrics.targets.set_target keeps it so.
CREATE TABLE IF NOT EXISTS utilisation_target (
    year SMALLINT,                          -- WIB calendar year; NULL = every year
    skpd VARCHAR,                           -- official agency name; NULL = every agency
    target DOUBLE NOT NULL,                 -- fraction 0-1, met at exactly this value
    set_at TIMESTAMP NOT NULL,              -- WIB
    set_by VARCHAR NOT NULL
);

-- Every change of a target or of a headcount made by hand (who, when, old, new).
CREATE TABLE IF NOT EXISTS target_change (
    changed_at TIMESTAMP NOT NULL,          -- WIB
    changed_by VARCHAR NOT NULL,
    item VARCHAR NOT NULL,                  -- target | headcount
    year SMALLINT,                          -- target: the year (NULL = every year)
    as_of DATE,                             -- headcount: the recap date
    skpd VARCHAR,                           -- NULL = every agency
    old_value DOUBLE,                       -- NULL = none before (the default applied)
    new_value DOUBLE,                       -- NULL = override removed
    note VARCHAR NOT NULL
);
