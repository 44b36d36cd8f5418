"""The KM Award criteria: each declared once (name, labels, unit, direction, what it
counts) and read per CoP from the store with the KPI rules of ``metrics.kpi``.

Grain: one CoP (``cop_key``). Agency-level criteria (utilisation, participation and
the headcount behind assets per 100 employees) are the CoP's agency's values, so two
CoPs of one agency share them. Rates are fractions 0-1.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import duckdb
import pandas as pd

from data.errors import KmdashError
from data.store.engagement_counts import COP_USE_SQL, kept_current, use_sql
from metrics.kpi import Scope, _params, _run, skpd_kpis

MAX, MIN = "max", "min"   # direction: higher is better / lower is better


@dataclass(frozen=True)
class Criterion:
    """One award criterion. ``direction`` is ``max`` (higher is better) or ``min``;
    ``unit`` is ``score``, ``score_points``, ``fraction``, ``count`` or ``per_100``."""

    name: str
    label_id: str
    label_en: str
    unit: str
    direction: str
    description: str


CRITERIA: tuple[Criterion, ...] = (
    Criterion("maturity_score", "Skor maturitas", "Maturity score", "score", MAX,
              "Mean of the five maturity dimensions (1-5) of the CoP's assessment in the year, exact decimal mean."),
    Criterion("maturity_change", "Kenaikan maturitas", "Maturity change", "score_points", MAX,
              "Maturity score of the year minus that of the year before; undefined without last year's assessment."),
    Criterion("utilisation_rate", "Pemanfaatan PD", "Agency utilisation", "fraction", MAX,
              "Utilisation rate of the CoP's agency (asset users / headcount), as on the overview."),
    Criterion("cop_asset_use", "Pengguna aset CoP", "CoP asset users", "count", MAX,
              "Distinct roster employees of any agency with a counted use (view/download) of the CoP's own assets."),
    Criterion("participation_rate", "Partisipasi PD", "Agency participation", "fraction", MAX,
              "Participation rate of the CoP's agency (participants / headcount)."),
    Criterion("assets_published_per_100", "Aset terbit per 100 pegawai", "Assets published per 100 employees",
              "per_100", MAX, "The CoP's assets published (Terbit) in the year per 100 employees of its agency."),
    Criterion("meetings", "Pertemuan", "Meetings", "count", MAX, "The CoP's meetings in the activity register."),
    Criterion("accompanied_rate", "Tingkat pendampingan", "Accompanied rate", "fraction", MAX,
              "The CoP's accompanied meetings over its meetings; undefined without meetings."),
    Criterion("jury_score", "Nilai juri", "Jury score", "score", MAX,
              "Mean of the jurors' scores (0-100) imported for the CoP; the number of jurors is shown beside it."),
)
CRITERION_BY_NAME = {c.name: c for c in CRITERIA}
CRITERION_NAMES = tuple(c.name for c in CRITERIA)


DEFAULT_WEIGHTS = {"maturity_score": 0.20, "maturity_change": 0.10, "utilisation_rate": 0.15, "cop_asset_use": 0.10,
                   "participation_rate": 0.10, "assets_published_per_100": 0.10, "meetings": 0.10,
                   "accompanied_rate": 0.05, "jury_score": 0.10}
METHODS = ("saw", "topsis")


class AwardError(KmdashError):
    """The evaluator's settings or request cannot be used (``reason_code``: ``unknown_criterion``,
    ``negative_weight``, ``no_weight``, ``unknown_method``, ``bad_setting``, ``already_frozen``,
    ``unknown_preset``)."""

    def __init__(self, reason_code: str, message: str):
        super().__init__(f"{message} [{reason_code}]")
        self.reason_code = reason_code
        self.message = message


@dataclass(frozen=True)
class Eligibility:
    """Rules that remove a CoP from the ranking, each with a shown reason.

    Attributes:
        require_maturity: a maturity assessment in the year is required.
        min_meetings_per_quarter: meetings required in every quarter the programme ran in
            the year (from the first to the last quarter with any meeting in the register).
        min_coverage: fraction 0-1 of the weighted, available criteria the CoP must have
            a value for (1.0: all of them). Missing values the rule lets through count as the
            worst value (normalised 0).
    """

    require_maturity: bool = True
    min_meetings_per_quarter: int = 1
    min_coverage: float = 1.0


@dataclass(frozen=True)
class AwardSettings:
    """Everything that decides a ranking (stored with presets, frozen rankings and exports).

    Attributes:
        weights: (criterion, weight >= 0) pairs; normalised to sum 1 over available criteria.
        method: ``saw`` (weighted sum of min-max normalised criteria) or ``topsis``.
        top_n: shortlist size.
        eligibility: see ``Eligibility``.
        band: weight uncertainty for the stability check, a fraction (0.2: each weight drawn
            uniformly within +-20% of its value).
        draws: Monte Carlo draws; seed: their random seed.
    """

    weights: tuple[tuple[str, float], ...] = tuple(DEFAULT_WEIGHTS.items())
    method: str = "saw"
    top_n: int = 15
    eligibility: Eligibility = field(default_factory=Eligibility)
    band: float = 0.2
    draws: int = 500
    seed: int = 20251201

    def weight_dict(self) -> dict[str, float]:
        """The weights as given, in criterion order (absent criteria: 0)."""
        given = dict(self.weights)
        return {name: float(given.get(name, 0.0)) for name in CRITERION_NAMES}

    def to_dict(self) -> dict:
        """A JSON-ready dict (``from_dict`` reads it back)."""
        out = asdict(self)
        out["weights"] = self.weight_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "AwardSettings":
        """The settings stored by ``to_dict``."""
        rest = {k: v for k, v in data.items() if k not in ("weights", "eligibility")}
        return cls(weights=tuple(data["weights"].items()), eligibility=Eligibility(**data["eligibility"]), **rest)


def check_settings(settings: AwardSettings) -> None:
    """Raises:
        AwardError: unknown criterion or method, a negative or all-zero weight, top_n < 1,
            band outside 0-1, draws < 1, min_coverage outside 0-1."""
    for name, weight in settings.weights:
        if name not in CRITERION_BY_NAME:
            raise AwardError("unknown_criterion", f"unknown criterion {name!r}; known: {', '.join(CRITERION_NAMES)}")
        if not weight >= 0:
            raise AwardError("negative_weight", f"weight of {name} must be >= 0, got {weight}")
    if not any(w > 0 for _, w in settings.weights):
        raise AwardError("no_weight", "at least one criterion needs a weight above 0")
    if settings.method not in METHODS:
        raise AwardError("unknown_method", f"method must be one of {', '.join(METHODS)}, got {settings.method!r}")
    bad = (settings.top_n < 1 or not 0 <= settings.band < 1 or settings.draws < 1
           or not 0 <= settings.eligibility.min_coverage <= 1)
    if bad:
        raise AwardError("bad_setting", "top_n >= 1, 0 <= band < 1, draws >= 1 and 0 <= min_coverage <= 1 are required")


def parse_weights(text: str, base: dict[str, float] | None = None) -> tuple[tuple[str, float], ...]:
    """``"maturity_score=3,jury_score=0"`` over ``base`` (default: ``DEFAULT_WEIGHTS``):
    listed criteria are set, the others keep their base weight.

    Raises:
        AwardError: a part that is not ``name=number`` or names no criterion.
    """
    weights = dict(DEFAULT_WEIGHTS if base is None else base)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = None
        if not sep or number is None:
            raise AwardError("bad_setting", f"weight {part!r} is not name=number")
        if name.strip() not in CRITERION_BY_NAME:
            raise AwardError("unknown_criterion", f"unknown criterion {name.strip()!r}; known: {', '.join(CRITERION_NAMES)}")
        weights[name.strip()] = number
    return tuple(weights.items())


def criterion_label(name: str, lang: str = "id") -> str:
    """The criterion's label in ``id`` or ``en``."""
    crit = CRITERION_BY_NAME[name]
    return crit.label_id if lang == "id" else crit.label_en


_COP_SQL = """
WITH universe AS (
    SELECT cop_key FROM maturity_current WHERE year = $year
    UNION SELECT cop_key FROM activity_current WHERE activity_date BETWEEN $start AND $end
    UNION SELECT cop_key FROM aset_current WHERE status = 'terbit' AND published_on BETWEEN $start AND $end
    UNION SELECT cop_key FROM jury_score_current WHERE year = $year
),
mat AS (SELECT cop_key, skpd, strategi + orang + proses + konten + teknologi AS s FROM maturity_current WHERE year = $year),
prev AS (SELECT cop_key, strategi + orang + proses + konten + teknologi AS s FROM maturity_current WHERE year = $year - 1),
meet AS (
    SELECT cop_key, count(*) AS meetings, count(*) FILTER (WHERE accompanied) AS accompanied,
           count(*) FILTER (WHERE quarter(activity_date) = 1) AS meetings_q1,
           count(*) FILTER (WHERE quarter(activity_date) = 2) AS meetings_q2,
           count(*) FILTER (WHERE quarter(activity_date) = 3) AS meetings_q3,
           count(*) FILTER (WHERE quarter(activity_date) = 4) AS meetings_q4
    FROM activity_current WHERE activity_date BETWEEN $start AND $end GROUP BY cop_key
),
pub AS (SELECT cop_key, count(*) AS n FROM aset_current
        WHERE status = 'terbit' AND published_on BETWEEN $start AND $end GROUP BY cop_key),
cop_use AS ({cop_use}),
jury AS (SELECT cop_key, avg(score)::DOUBLE AS score, count(*) AS jurors FROM jury_score_current
         WHERE year = $year GROUP BY cop_key)
SELECT u.cop_key, coalesce(c.name, u.cop_key) AS cop, coalesce(c.skpd, mat.skpd) AS skpd,
       (mat.s / 5)::DECIMAL(18, 6)::DOUBLE AS maturity_score,
       ((mat.s - prev.s) / 5)::DECIMAL(18, 6)::DOUBLE AS maturity_change,
       coalesce(cop_use.users, 0) AS cop_asset_use, coalesce(pub.n, 0) AS assets_published,
       coalesce(meet.meetings, 0) AS meetings,
       CASE WHEN meet.meetings > 0 THEN meet.accompanied / meet.meetings END AS accompanied_rate,
       jury.score AS jury_score, coalesce(jury.jurors, 0) AS jurors,
       coalesce(meet.meetings_q1, 0) AS meetings_q1, coalesce(meet.meetings_q2, 0) AS meetings_q2,
       coalesce(meet.meetings_q3, 0) AS meetings_q3, coalesce(meet.meetings_q4, 0) AS meetings_q4
FROM universe u LEFT JOIN cop c USING (cop_key) LEFT JOIN mat USING (cop_key) LEFT JOIN prev USING (cop_key)
LEFT JOIN meet USING (cop_key) LEFT JOIN pub USING (cop_key) LEFT JOIN cop_use USING (cop_key)
LEFT JOIN jury USING (cop_key)
ORDER BY cop_key
"""


def criteria_frame(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """The raw criteria of every CoP with any data in ``year`` (a maturity assessment,
    a meeting, a published asset or a jury score), ordered by ``cop_key``.

    Columns: ``cop_key``, ``cop`` (display name), ``skpd`` (str); every criterion of
    ``CRITERIA`` (float; NaN where undefined: no assessment, no last-year assessment,
    agency without headcount, no meetings, no jury score); ``headcount``,
    ``assets_published``, ``jurors``, ``meetings_q1`` .. ``meetings_q4`` (ints). Empty
    frame (same columns) for a year without data.

    Reads: cop, maturity, activity, aset, engagement_cop_year (else use_year_aset or access_event), employee, headcount,
    attendance, jury_score (through ``metrics.kpi``'s rules).
    """
    cop_use = ("SELECT cop_key, users FROM engagement_cop_year WHERE year = $year" if kept_current(con)
               else use_sql(con, COP_USE_SQL))       # kept at import time (data.store.engagement_counts)
    cops = _run(con, _COP_SQL.format(cop_use=cop_use),
                {**_params(year, Scope.province()), "skpd": None}).df()
    agency = skpd_kpis(con, year)[["skpd", "headcount", "utilisation_rate", "participation_rate"]]
    frame = cops.merge(agency, on="skpd", how="left")
    headcount = frame["headcount"].astype("float")
    frame["assets_published_per_100"] = (frame["assets_published"] * 100 / headcount).where(headcount > 0)
    for col in ("utilisation_rate", "participation_rate"):
        frame[col] = frame[col].astype("float").where(headcount > 0)
    for col in CRITERION_NAMES:
        frame[col] = frame[col].astype("float")
    keep = ["cop_key", "cop", "skpd", *CRITERION_NAMES, "headcount", "assets_published", "jurors",
            "meetings_q1", "meetings_q2", "meetings_q3", "meetings_q4"]
    return frame[keep].sort_values("cop_key").reset_index(drop=True)
