"""Generate the bundled demo study "generate qualified pipeline" and its tool renditions.

Run ``python surveys/generate_demo.py [OUT_DIR]`` (or ``make demo``). The script is seeded
(``numpy.random.default_rng`` with :data:`SEED`), so running it twice writes byte-identical
files. It writes, into ``surveys/`` by default:

``pipeline_demo.csv``
    The canonical study in the generic LONG layout read by :func:`odi.importers.load.load_survey`:
    one row per respondent x outcome, columns ``respondent_id, role, company_size, industry,
    region, outcome_id, outcome, job_step, importance, satisfaction``. Ratings are ``1``..``5``
    (5 = extremely important / satisfied, top box = 4-5), a blank cell for a skipped item and
    ``N/A`` for "does not apply to me". UTF-8, LF line endings. Only the respondents who pass
    screening are in it.
``pipeline_demo_qualtrics.csv``
    The same respondents as a current Qualtrics "choice text" CSV export (3 header rows,
    CRLF), plus 2 ``Survey Preview`` rows and 3 unfinished rows that screening must drop.
``pipeline_demo_surveymonkey.csv``
    The same respondents as a SurveyMonkey "actual answer text, expanded" CSV export
    (2 header rows, UTF-8 with BOM, CRLF), plus 4 incomplete responses (almost all blank).
``pipeline_demo_googleforms.csv``
    The same respondents as a Google Forms response CSV (1 header row, UTF-8, LF, grid
    columns ``Question [Statement]``, answers 1-5), plus the researcher's straight-lined test
    submission and one near-empty submission.
``pipeline_demo_truth.json``
    The planted truth: :data:`PLANTED`, the hidden needs-segment membership (by
    ``respondent_id``), each respondent's id in every rendition, and the junk rows of every
    rendition with the reason screening should drop them.

The study
---------
Job: a B2B marketing leader's job "generate qualified pipeline". 40 desired-outcome
statements ``O01``..``O40`` spread over the 8 steps of the universal job map (Define 5,
Locate 5, Prepare 5, Confirm 4, Execute 6, Monitor 6, Modify 5, Conclude 4); see
:data:`OUTCOMES`. 600 respondents (the realised counts with this seed in brackets) with:

- ``role``: Demand Generation Manager (218), Marketing Operations (151), Content Marketing
  Manager (125), VP Marketing (106); the mix depends on company size (VPs are more common in
  small companies, operations in large ones, see :data:`ROLE_SHARES_BY_SIZE`);
- ``company_size``: 1-49 (99), 50-249 (210), 250-999 (177), 1000+ (114);
- ``industry``: SaaS (204), Professional Services (93), Manufacturing (88), Fintech (83),
  Healthcare (71), Logistics (61);
- ``region``: North America (276), EMEA (179), APAC (99), LATAM (46).

Planted structure (:data:`PLANTED`)
-----------------------------------
Every answer comes from a latent model: for outcome j and respondent r in group g, the
chance of a top-box answer (4 or 5) is ``expit(logit(p[g, j]) + b[r])`` with a respondent
response-style effect ``b[r] ~ N(0, 0.45)`` (separately for importance and satisfaction);
non-top answers are 3, 2 or 1. The group probabilities ``p`` are:

- **Role-specific unmet needs.** For the role that owns an outcome the top-box chances are
  importance 0.86 and satisfaction 0.22 (opportunity about 14-15 in that role); for the other
  roles about 0.52 / 0.52 (opportunity about 5-6):

  - VP Marketing (attribution, forecast, defending the number): O18, O26, O30, O37, O38;
  - Demand Generation Manager (campaign execution, lead quality): O11, O22, O23, O29, O31;
  - Marketing Operations (data hygiene, system sync, report assembly): O12, O17, O25, O27,
    O39;
  - Content Marketing Manager (content fit and throughput): O10, O14, O19.

- **A hidden needs-based segment, "data-starved"**: a random 25% of respondents (150,
  drawn independently of every attribute, so 21-28% of every role and about a quarter of
  every size, industry and region) who cannot get trustworthy performance data. On O03,
  O09, O13, O28, O33, O34 and O35 their chances are importance 0.88 / satisfaction 0.18
  (opportunity about 15), and they answer these seven decisively: a top-box answer is a 5
  with chance 0.85 (:data:`DECISIVE_FIVE`) and any other answer is a 1 or a 2, never a 3
  (1 with chance 0.45, :data:`DECISIVE_ONE`), so members mostly answer importance 5 and
  satisfaction 1-2. Everyone else rates these 0.46 / 0.56 with the usual answer spread
  (appropriately served). No attribute column records membership; in every role these
  outcomes score well under 10, so the segment is discoverable only from the answers
  (clustering). Membership is in the truth file. A classifier that knows the seven
  outcomes and the exact answer distributions recovers the members with a Jaccard index
  of 0.99 on this seed (0.73 from top-box indicators alone); default segmentation
  (``python -m odi segment``) recommends k = 2 and one of the two clusters matches the
  members with a Jaccard index of 0.80.
- **Broadly underserved** for everyone: O06 and O08 (0.78 / 0.38, opportunity about 11-12).
  They are the only outcomes underserved in the whole sample.
- **Overserved** for everyone: O05, O20, O24, O40 (importance about 0.35, satisfaction about
  0.62).
- Every other outcome is appropriately served (importance 0.45-0.68, satisfaction 0.12
  below to 0.03 above it), and every role's chances wobble by up to 0.05 around the above.

What comes out (top-box scoring, this seed): each role's planted outcomes score 13-16 in
that role and lead its ranking (only O06/O08 may mix in), and score under 10 in every other
role; the data-starved segment's outcomes score 14.6-16.5 inside it, under 5 outside it and
under 8 in every role; the whole sample shows only O06 and O08 as underserved (11.3 each),
5 overserved outcomes and 33 appropriately served.

Answer hygiene: each respondent skips about 1.6% of items at random (blank cells, at most 8
per matrix) and answers "N/A" on about 0.9% of ratings, more where an outcome is outside the
role (content marketers on O21 and O24, VPs on O15 and O17); an N/A covers both ratings 75%
of the time, otherwise only satisfaction. No kept respondent gives the same importance answer
to every item, every kept respondent answers at least 32 of 40 items on each side, and every
kept respondent's duration is over half the median, so the screening rules (previews,
unfinished, duplicates, speeders, straight-liners, fewer than half answered) keep exactly the
600 respondents of the generic file in every rendition.

The renditions
--------------
All three hold the same 600 respondents, in the same order (by completion time), with the
same valid answers; labels map to points in the standard direction (5 = top):

- Qualtrics: importance labels Extremely / Very / Moderately / Slightly / Not at all
  important; satisfaction Extremely satisfied / Somewhat satisfied / Neither satisfied nor
  dissatisfied / Somewhat dissatisfied / Extremely dissatisfied; N/A "Not applicable".
  Importance matrix ``Q1_<recode>`` (ImportId ``QID1_<recode>``), satisfaction matrix
  ``Q2_<recode>`` with the same recode per statement, recodes non-contiguous (1..46 minus
  6) and the satisfaction matrix listing the statements in a different order. Each matrix
  is followed by display-order columns ``Q1_DO_Q1_<recode>`` / ``Q2_DO_Q2_<recode>``. The
  satisfaction question text holds an embedded newline. Attribute questions have export
  tags ``role``, ``company_size`` and ``industry``; ``region`` is embedded data; a trailing
  ``SolutionRevision`` column ends each row.
- SurveyMonkey: importance labels Extremely / Very / Somewhat / Not so / Not at all
  important; satisfaction Very satisfied / Satisfied / Neither satisfied nor dissatisfied /
  Dissatisfied / Very dissatisfied; N/A "N/A". Attributes are questions.
- Google Forms: grid answers ``1``..``5`` and ``N/A``; attributes are questions.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np

SEED = 20261005
N_RESPONDENTS = 600
JOB = "generate qualified pipeline"

#: (outcome_id, job_step, statement)
OUTCOMES: tuple[tuple[str, str, str], ...] = (
    (
        "O01",
        "Define",
        "Minimize the time it takes to agree with sales leadership on the "
        "pipeline target marketing owns",
    ),
    (
        "O02",
        "Define",
        "Minimize the likelihood of targeting an ideal customer profile that sales does not accept",
    ),
    (
        "O03",
        "Define",
        "Minimize the time it takes to translate the revenue plan into a pipeline goal per segment",
    ),
    (
        "O04",
        "Define",
        "Minimize the likelihood that marketing and sales use different "
        "definitions of a qualified lead",
    ),
    (
        "O05",
        "Define",
        "Minimize the time it takes to decide how the quarter's budget is split across programs",
    ),
    (
        "O06",
        "Locate",
        "Minimize the time it takes to find the accounts that are actively in-market",
    ),
    (
        "O07",
        "Locate",
        "Minimize the time it takes to locate accurate contact details for each "
        "buying-group member",
    ),
    ("O08", "Locate", "Minimize the likelihood of missing buying signals from target accounts"),
    (
        "O09",
        "Locate",
        "Minimize the time it takes to obtain historical conversion rates by channel",
    ),
    (
        "O10",
        "Locate",
        "Minimize the time it takes to identify which existing content fits each buying stage",
    ),
    (
        "O11",
        "Prepare",
        "Minimize the time it takes to build the target account list for a campaign",
    ),
    (
        "O12",
        "Prepare",
        "Minimize the likelihood that duplicate or outdated records are used in a campaign",
    ),
    (
        "O13",
        "Prepare",
        "Minimize the time it takes to set up tracking so that each campaign's "
        "pipeline can be traced back to it",
    ),
    (
        "O14",
        "Prepare",
        "Minimize the time it takes to produce campaign content tailored to each target segment",
    ),
    (
        "O15",
        "Prepare",
        "Minimize the time it takes to agree on the criteria that make a lead sales-ready",
    ),
    (
        "O16",
        "Confirm",
        "Minimize the likelihood of launching a campaign before sales has "
        "committed to following up its leads",
    ),
    (
        "O17",
        "Confirm",
        "Minimize the likelihood that lead routing fails after a campaign goes live",
    ),
    (
        "O18",
        "Confirm",
        "Minimize the likelihood of approving a program whose expected pipeline "
        "does not justify its cost",
    ),
    (
        "O19",
        "Confirm",
        "Minimize the time it takes to get campaign content through legal and brand review",
    ),
    (
        "O20",
        "Execute",
        "Minimize the time it takes to launch a campaign across several channels at once",
    ),
    ("O21", "Execute", "Minimize the time it takes to route a new lead to the right sales rep"),
    (
        "O22",
        "Execute",
        "Minimize the likelihood that a high-intent lead waits more than a day for follow-up",
    ),
    (
        "O23",
        "Execute",
        "Minimize the likelihood of spending budget on leads outside the ideal customer profile",
    ),
    ("O24", "Execute", "Minimize the time it takes to adjust spend across paid channels"),
    (
        "O25",
        "Execute",
        "Minimize the likelihood that contact records disagree between "
        "marketing systems and the CRM",
    ),
    (
        "O26",
        "Monitor",
        "Minimize the time it takes to see which programs are creating qualified pipeline",
    ),
    ("O27", "Monitor", "Minimize the time it takes to assemble the weekly pipeline report"),
    (
        "O28",
        "Monitor",
        "Minimize the likelihood of overstating marketing’s contribution to pipeline",
    ),
    (
        "O29",
        "Monitor",
        "Minimize the time it takes to detect that lead quality from a channel is falling",
    ),
    (
        "O30",
        "Monitor",
        "Increase the accuracy of the quarter's marketing-sourced pipeline forecast",
    ),
    ("O31", "Monitor", "Minimize the time it takes to learn why sales rejected a lead"),
    (
        "O32",
        "Modify",
        "Minimize the time it takes to move budget from weak programs to strong ones",
    ),
    ("O33", "Modify", "Minimize the time it takes to understand why a campaign underperformed"),
    (
        "O34",
        "Modify",
        "Minimize the likelihood of changing a program based on data that turns out to be wrong",
    ),
    (
        "O35",
        "Modify",
        "Minimize the time it takes to recalibrate lead scoring when it stops "
        "predicting conversion",
    ),
    (
        "O36",
        "Modify",
        "Minimize the time it takes to agree with sales on changes to the lead hand-off",
    ),
    (
        "O37",
        "Conclude",
        "Minimize the time it takes to show the executive team how marketing "
        "contributed to closed revenue",
    ),
    (
        "O38",
        "Conclude",
        "Minimize the likelihood that sales or finance disputes the pipeline credited to marketing",
    ),
    (
        "O39",
        "Conclude",
        "Minimize the time it takes to reconcile marketing-sourced pipeline "
        "with the CRM at quarter end",
    ),
    (
        "O40",
        "Conclude",
        "Increase the number of lessons from each campaign that are applied to the next plan",
    ),
)
OUTCOME_IDS: tuple[str, ...] = tuple(o[0] for o in OUTCOMES)

ROLES: tuple[str, ...] = (
    "VP Marketing",
    "Demand Generation Manager",
    "Marketing Operations",
    "Content Marketing Manager",
)
COMPANY_SIZES: tuple[str, ...] = ("1-49", "50-249", "250-999", "1000+")
SIZE_SHARES = (0.17, 0.35, 0.29, 0.19)
#: Role mix within each company size (rows follow COMPANY_SIZES, columns ROLES).
ROLE_SHARES_BY_SIZE = (
    (0.34, 0.28, 0.12, 0.26),
    (0.21, 0.38, 0.21, 0.20),
    (0.15, 0.39, 0.28, 0.18),
    (0.12, 0.36, 0.34, 0.18),
)
INDUSTRIES: tuple[str, ...] = (
    "SaaS",
    "Professional Services",
    "Manufacturing",
    "Fintech",
    "Healthcare",
    "Logistics",
)
INDUSTRY_SHARES = (0.36, 0.15, 0.15, 0.13, 0.11, 0.10)
REGIONS: tuple[str, ...] = ("North America", "EMEA", "APAC", "LATAM")
REGION_SHARES = (0.47, 0.31, 0.15, 0.07)

#: Unmet needs planted in each role (outcome ids, underserved only for that role).
ROLE_NEEDS: dict[str, list[str]] = {
    "VP Marketing": ["O18", "O26", "O30", "O37", "O38"],
    "Demand Generation Manager": ["O11", "O22", "O23", "O29", "O31"],
    "Marketing Operations": ["O12", "O17", "O25", "O27", "O39"],
    "Content Marketing Manager": ["O10", "O14", "O19"],
}
SEGMENT_NAME = "Data-starved"
SEGMENT_SHARE = 0.25
SEGMENT_OUTCOMES: list[str] = ["O03", "O09", "O13", "O28", "O33", "O34", "O35"]
BROADLY_UNDERSERVED: list[str] = ["O06", "O08"]
OVERSERVED: list[str] = ["O05", "O20", "O24", "O40"]

#: The planted truth, in the form the tests and the persona tests read.
PLANTED: dict[str, object] = {
    "role": ROLE_NEEDS,
    "needs_segment": {
        "name": SEGMENT_NAME,
        "description": (
            "Marketers in every role who cannot get trustworthy performance data: they "
            "cannot see conversion history, trace pipeline to campaigns, or trust the "
            "numbers they act on."
        ),
        "share": SEGMENT_SHARE,
        "outcomes": SEGMENT_OUTCOMES,
    },
    "broadly_underserved": BROADLY_UNDERSERVED,
    "overserved": OVERSERVED,
}

# Latent top-box probabilities (importance, satisfaction).
OWNER_P = (0.86, 0.22)
NON_OWNER_P = (0.52, 0.52)
SEGMENT_P = (0.88, 0.18)
#: How decisively members answer the segment's outcomes: the share of 5s among their
#: top-box answers, and of 1s among the others (the rest are 2s).
DECISIVE_FIVE = 0.85
DECISIVE_ONE = 0.45
NON_SEGMENT_P = (0.46, 0.56)
BROAD_P = (0.78, 0.38)
OVERSERVED_P = (0.35, 0.62)
STYLE_SD = 0.45
#: Extra N/A rates for outcomes outside a role's remit.
ROLE_NA: dict[tuple[str, str], float] = {
    ("Content Marketing Manager", "O21"): 0.14,
    ("Content Marketing Manager", "O24"): 0.18,
    ("VP Marketing", "O15"): 0.08,
    ("VP Marketing", "O17"): 0.10,
}
BASE_NA = 0.008
MAX_MISSING = 8
#: Fielding: invitations on Monday 5 and a reminder on Monday 12 October 2026 (UTC dates).
FIELD_START = datetime(2026, 10, 5)
FIELD_DAYS = 19
SEND_DAYS = (0, 7)
REGION_UTC_OFFSETS: dict[str, tuple[float, ...]] = {
    "North America": (-4, -4, -5, -6, -7),
    "EMEA": (1, 2, 2, 3),
    "APAC": (8, 5.5, 10, 9),
    "LATAM": (-3, -6, -5),
}
REGION_CITIES: dict[str, tuple[tuple[float, float], ...]] = {
    "North America": (
        (40.71, -74.01),
        (37.77, -122.42),
        (41.88, -87.63),
        (43.65, -79.38),
        (30.27, -97.74),
        (42.36, -71.06),
    ),
    "EMEA": (
        (51.51, -0.13),
        (52.52, 13.40),
        (48.86, 2.35),
        (52.37, 4.90),
        (53.35, -6.26),
        (32.09, 34.78),
    ),
    "APAC": ((1.35, 103.82), (-33.87, 151.21), (12.97, 77.59), (35.68, 139.69)),
    "LATAM": ((-23.55, -46.63), (19.43, -99.13), (4.71, -74.07)),
}

# Answer codes inside the generator: 1..5 a rating, 0 blank, -1 N/A.
BLANK = 0
NA = -1

QUALTRICS_IMPORTANCE = {
    5: "Extremely important",
    4: "Very important",
    3: "Moderately important",
    2: "Slightly important",
    1: "Not at all important",
    NA: "Not applicable",
    BLANK: "",
}
QUALTRICS_SATISFACTION = {
    5: "Extremely satisfied",
    4: "Somewhat satisfied",
    3: "Neither satisfied nor dissatisfied",
    2: "Somewhat dissatisfied",
    1: "Extremely dissatisfied",
    NA: "Not applicable",
    BLANK: "",
}
SURVEYMONKEY_IMPORTANCE = {
    5: "Extremely important",
    4: "Very important",
    3: "Somewhat important",
    2: "Not so important",
    1: "Not at all important",
    NA: "N/A",
    BLANK: "",
}
SURVEYMONKEY_SATISFACTION = {
    5: "Very satisfied",
    4: "Satisfied",
    3: "Neither satisfied nor dissatisfied",
    2: "Dissatisfied",
    1: "Very dissatisfied",
    NA: "N/A",
    BLANK: "",
}
NUMBERS = {5: "5", 4: "4", 3: "3", 2: "2", 1: "1", NA: "N/A", BLANK: ""}
GENERIC = NUMBERS  # the generic file writes N/A and blanks the same way

ROLE_QUESTION = "Which best describes your role?"
SIZE_QUESTION = "How many employees does your company have?"
INDUSTRY_QUESTION = "Which industry is your company in?"
REGION_QUESTION = "Which region are you based in?"
QUALTRICS_IMPORTANCE_Q = (
    "Thinking about how you generate qualified pipeline, how important is it to you to "
    "achieve each of the following?"
)
QUALTRICS_SATISFACTION_Q = (
    "Now think about how you work today.\n\nHow satisfied are you with how well you can "
    "achieve each of the following?"
)
SURVEYMONKEY_IMPORTANCE_Q = (
    "When you generate qualified pipeline, how important is each of the following to you?"
)
SURVEYMONKEY_SATISFACTION_Q = (
    "How satisfied are you with how well you can do each of the following today?"
)
GOOGLE_IMPORTANCE_Q = "How important is each of these to you?"
GOOGLE_SATISFACTION_Q = "How satisfied are you today with each of these?"

FILES = {
    "generic": "pipeline_demo.csv",
    "qualtrics": "pipeline_demo_qualtrics.csv",
    "surveymonkey": "pipeline_demo_surveymonkey.csv",
    "googleforms": "pipeline_demo_googleforms.csv",
    "truth": "pipeline_demo_truth.json",
}


@dataclass(frozen=True)
class Study:
    """The kept respondents, in completion order."""

    ids: list[str]
    role: list[str]
    company_size: list[str]
    industry: list[str]
    region: list[str]
    in_segment: np.ndarray
    importance: np.ndarray
    satisfaction: np.ndarray
    start: list[datetime]
    duration: np.ndarray


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1.0 - p))


def _group_probabilities(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Top-box chances per (role, in segment) x outcome, for importance and satisfaction."""
    k = len(OUTCOMES)
    base_imp = rng.uniform(0.45, 0.68, size=k)
    base_sat = base_imp + rng.uniform(-0.12, 0.03, size=k)
    imp = np.empty((len(ROLES), 2, k))
    sat = np.empty((len(ROLES), 2, k))
    owned = {o for outs in ROLE_NEEDS.values() for o in outs}
    for g, role in enumerate(ROLES):
        wobble = rng.uniform(-0.05, 0.05, size=(2, k))
        for j, oid in enumerate(OUTCOME_IDS):
            if oid in owned:
                p = OWNER_P if oid in ROLE_NEEDS[role] else NON_OWNER_P
            elif oid in SEGMENT_OUTCOMES:
                p = NON_SEGMENT_P
            elif oid in BROADLY_UNDERSERVED:
                p = BROAD_P
            elif oid in OVERSERVED:
                p = OVERSERVED_P
            else:
                p = (base_imp[j], base_sat[j])
            for s in (0, 1):
                imp[g, s, j] = p[0] + wobble[0, j]
                sat[g, s, j] = p[1] + wobble[1, j]
                if s == 1 and oid in SEGMENT_OUTCOMES:
                    imp[g, s, j], sat[g, s, j] = SEGMENT_P
    return np.clip(imp, 0.03, 0.97), np.clip(sat, 0.03, 0.97)


def _ratings(
    rng: np.random.Generator, p: np.ndarray, decisive: np.ndarray | None = None
) -> np.ndarray:
    """Draw 1-5 answers from top-box chances p (respondents x outcomes, style included).

    Where ``decisive`` is True a top-box answer is a 5 with chance :data:`DECISIVE_FIVE` and
    any other answer is a 1 (chance :data:`DECISIVE_ONE`) or a 2, never a 3.
    """
    decisive = np.zeros(p.shape, dtype=bool) if decisive is None else decisive
    top = rng.random(p.shape) < p
    five = rng.random(p.shape) < np.where(decisive, DECISIVE_FIVE, 0.30 + 0.35 * p)
    u = rng.random(p.shape)
    p3 = np.where(decisive, 0.0, 0.30 + 0.40 * p)
    p2 = np.where(decisive, 1.0 - DECISIVE_ONE, 0.62)
    low = np.where(u < p3, 3, np.where(u < p3 + (1 - p3) * p2, 2, 1))
    return np.where(top, np.where(five, 5, 4), low).astype(np.int8)


def _fielding_times(
    rng: np.random.Generator, region: list[str]
) -> tuple[list[datetime], np.ndarray]:
    """Start times (UTC) and durations in seconds."""
    days = np.arange(FIELD_DAYS)
    weekday = (FIELD_START.weekday() + days) % 7
    since_send = np.array([min(d - s for s in SEND_DAYS if d >= s) for d in days])
    weights = np.where(weekday < 5, 1.0, 0.15) * (1 + 2.0 * np.exp(-since_send / 1.5))
    n = len(region)
    day = rng.choice(days, size=n, p=weights / weights.sum())
    local_hour = np.clip(rng.normal(11.5, 2.8, size=n), 7.0, 20.5)
    offsets = np.array([rng.choice(REGION_UTC_OFFSETS[r]) for r in region])
    seconds = np.round((day * 24 + local_hour - offsets) * 3600).astype(np.int64)
    median = 840.0
    duration = np.clip(
        np.round(median * np.exp(rng.normal(0, 0.4, size=n))), median * 0.55, 3600
    ).astype(np.int64)
    start = [FIELD_START + timedelta(seconds=int(s)) for s in seconds]
    return start, duration


def _no_straight_lines(rng: np.random.Generator, imp: np.ndarray) -> None:
    """Break the (rare) respondent whose answered importance items are all the same."""
    for r in range(imp.shape[0]):
        answered = np.flatnonzero(imp[r] > 0)
        values = imp[r, answered]
        if len(values) and (values == values[0]).all():
            j = answered[rng.integers(len(answered))]
            imp[r, j] = values[0] - 1 if values[0] > 1 else 2


def _draw_people(
    rng: np.random.Generator, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Company size, role, industry, region (indices) and hidden-segment membership."""
    size_idx = rng.choice(len(COMPANY_SIZES), size=n, p=SIZE_SHARES)
    role_idx = np.array([rng.choice(len(ROLES), p=ROLE_SHARES_BY_SIZE[s]) for s in size_idx])
    industry_idx = rng.choice(len(INDUSTRIES), size=n, p=INDUSTRY_SHARES)
    region_idx = rng.choice(len(REGIONS), size=n, p=REGION_SHARES)
    in_segment = np.zeros(n, dtype=bool)
    in_segment[rng.choice(n, size=round(n * SEGMENT_SHARE), replace=False)] = True
    return size_idx, role_idx, industry_idx, region_idx, in_segment


def simulate(
    rng: np.random.Generator, *, probabilities: tuple[np.ndarray, np.ndarray] | None = None
) -> Study:
    """Draw the 600 kept respondents and their answers from the latent model.

    ``probabilities`` replaces the drawn top-box chances (a later wave of the same market).
    """
    n, k = N_RESPONDENTS, len(OUTCOMES)
    size_idx, role_idx, industry_idx, region_idx, in_segment = _draw_people(rng, n)

    p_imp, p_sat = _group_probabilities(rng)
    if probabilities is not None:
        p_imp, p_sat = probabilities
    seg = in_segment.astype(int)
    style_imp = rng.normal(0, STYLE_SD, size=(n, 1))
    style_sat = rng.normal(0, STYLE_SD, size=(n, 1))
    # The segment's members answer its outcomes decisively (5 vs 1-2).
    decisive = in_segment[:, None] & np.isin(OUTCOME_IDS, SEGMENT_OUTCOMES)[None, :]
    imp = _ratings(rng, _expit(_logit(p_imp[role_idx, seg]) + style_imp), decisive)
    sat = _ratings(rng, _expit(_logit(p_sat[role_idx, seg]) + style_sat), decisive)

    # N/A: an outcome that does not apply; it covers both ratings 75% of the time.
    na_rate = np.full((n, k), BASE_NA)
    for (role, oid), rate in ROLE_NA.items():
        na_rate[np.array(ROLES)[role_idx] == role, OUTCOME_IDS.index(oid)] += rate
    na = rng.random((n, k)) < na_rate
    both = rng.random((n, k)) < 0.75
    imp[na & both] = NA
    sat[na] = NA
    # Blanks: a per-respondent skip rate, at most MAX_MISSING blanks+N/A per matrix.
    skip = np.minimum(rng.beta(1.2, 70, size=(n, 1)), 0.08)
    for matrix in (imp, sat):
        blank = (rng.random((n, k)) < skip) & (matrix != NA)
        matrix[blank] = BLANK
        for r in range(n):
            gone = np.flatnonzero(matrix[r] <= 0)
            if len(gone) > MAX_MISSING:
                restore = rng.choice(gone, size=len(gone) - MAX_MISSING, replace=False)
                matrix[r, restore] = rng.integers(1, 6, size=len(restore))
    _no_straight_lines(rng, imp)

    regions = [REGIONS[i] for i in region_idx]
    start, duration = _fielding_times(rng, regions)
    order = sorted(range(n), key=lambda r: (start[r] + timedelta(seconds=int(duration[r])), r))
    return Study(
        ids=[f"R{i + 1:03d}" for i in range(n)],
        role=[ROLES[role_idx[r]] for r in order],
        company_size=[COMPANY_SIZES[size_idx[r]] for r in order],
        industry=[INDUSTRIES[industry_idx[r]] for r in order],
        region=[regions[r] for r in order],
        in_segment=in_segment[order],
        importance=imp[order],
        satisfaction=sat[order],
        start=[start[r] for r in order],
        duration=duration[order],
    )


# --- A second wave ------------------------------------------------------------------------

#: The second wave's planted changes: outcome -> (importance, satisfaction) top-box chance
#: for every respondent (None keeps wave 1's chances). O06 is resolved (no longer
#: underserved), O21 becomes underserved, O30's satisfaction falls for everyone.
WAVE2_CHANGES: dict[str, tuple[float | None, float | None]] = {
    "O06": (None, 0.74),
    "O21": (0.84, 0.30),
    "O30": (None, 0.25),
}
WAVE2_SEED = SEED + 1


def wave_one_probabilities() -> tuple[np.ndarray, np.ndarray]:
    """The top-box chances the demo study was drawn from."""
    rng = np.random.default_rng(SEED)
    _draw_people(rng, N_RESPONDENTS)
    return _group_probabilities(rng)


def simulate_wave2(
    seed: int = WAVE2_SEED,
    changes: dict[str, tuple[float | None, float | None]] | None = None,
) -> Study:
    """A new cohort of 600 from the same market, with :data:`WAVE2_CHANGES` planted."""
    p_imp, p_sat = (p.copy() for p in wave_one_probabilities())
    for oid, (imp, sat) in (WAVE2_CHANGES if changes is None else changes).items():
        j = OUTCOME_IDS.index(oid)
        if imp is not None:
            p_imp[:, :, j] = imp
        if sat is not None:
            p_sat[:, :, j] = sat
    return simulate(np.random.default_rng(seed), probabilities=(p_imp, p_sat))


def _csv_bytes(rows: list[list[str]], *, newline: str, bom: bool = False) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8")


def write_generic(study: Study) -> bytes:
    """The canonical long file: one row per respondent x outcome."""
    rows = [
        [
            "respondent_id",
            "role",
            "company_size",
            "industry",
            "region",
            "outcome_id",
            "outcome",
            "job_step",
            "importance",
            "satisfaction",
        ]
    ]
    for r, rid in enumerate(study.ids):
        attrs = [rid, study.role[r], study.company_size[r], study.industry[r], study.region[r]]
        for j, (oid, step, text) in enumerate(OUTCOMES):
            rows.append(
                [
                    *attrs,
                    oid,
                    text,
                    step,
                    GENERIC[int(study.importance[r, j])],
                    GENERIC[int(study.satisfaction[r, j])],
                ]
            )
    return _csv_bytes(rows, newline="\n")


# --- Junk rows shared by the renditions ---------------------------------------------------


@dataclass(frozen=True)
class Extra:
    """A row screening must drop: its answers and how far it got."""

    reason: str
    role: str
    company_size: str
    industry: str
    region: str
    importance: np.ndarray
    satisfaction: np.ndarray
    start: datetime
    duration: int
    progress: int


def _random_answers(rng: np.random.Generator, k: int) -> np.ndarray:
    return _ratings(rng, np.full((1, k), 0.5))[0]


def _attrs(rng: np.random.Generator) -> tuple[str, str, str, str]:
    return (
        ROLES[rng.integers(len(ROLES))],
        COMPANY_SIZES[rng.integers(len(COMPANY_SIZES))],
        INDUSTRIES[rng.integers(len(INDUSTRIES))],
        REGIONS[rng.integers(len(REGIONS))],
    )


def _field_time(rng: np.random.Generator, day_from: int, day_to: int) -> datetime:
    seconds = int(rng.integers(day_from * 86400, day_to * 86400))
    return FIELD_START + timedelta(seconds=seconds)


def _sorted_rows(
    study: Study, extras: list[Extra], key_kept: list[datetime], key_extra: list[datetime]
) -> list[tuple[int, Extra | None]]:
    """Kept respondents (index, None) and extras (-1, extra) merged in time order."""
    items: list[tuple[datetime, int, int, Extra | None]] = [
        (key_kept[r], 0, r, None) for r in range(len(study.ids))
    ]
    items += [(key_extra[i], 1, i, e) for i, e in enumerate(extras)]
    items.sort(key=lambda t: (t[0], t[1], t[2]))
    return [(-1 if e is not None else r, e) for _, _, r, e in items]


# --- Qualtrics --------------------------------------------------------------------------

QUALTRICS_TZ = "America/New_York"
QUALTRICS_OFFSET = timedelta(hours=-4)  # EDT in October 2026
QUALTRICS_META = (
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"America/New_York"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"America/New_York"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"America/New_York"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
    ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
    ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
    ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
)
_ID_CHARS = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))


def qualtrics_layout(rng: np.random.Generator) -> tuple[list[int], list[int]]:
    """Statement recodes (per outcome, in OUTCOMES order) and the satisfaction matrix order."""
    dropped = set(rng.choice(np.arange(3, 47), size=6, replace=False).tolist())
    recodes = [c for c in range(1, 47) if c not in dropped]
    sat_order = rng.permutation(len(OUTCOMES)).tolist()
    return recodes, sat_order


def _qualtrics_time(t: datetime) -> str:
    return (t + QUALTRICS_OFFSET).strftime("%Y-%m-%d %H:%M:%S")


def _ip(rng: np.random.Generator) -> str:
    first = int(rng.choice([24, 45, 66, 73, 81, 98, 104, 151, 173, 185, 203, 212]))
    rest = rng.integers(1, 255, size=3)
    return ".".join(str(x) for x in (first, *rest.tolist()))


def _location(rng: np.random.Generator, region: str) -> tuple[str, ...]:
    cities = REGION_CITIES[region]
    lat, lon = cities[rng.integers(len(cities))]
    jitter = rng.uniform(-0.08, 0.08, size=2)
    # Qualtrics prints the exact decimal value of a 32-bit float: 40.7512969970703125.
    return tuple(str(Decimal(float(np.float32(v)))) for v in (lat + jitter[0], lon + jitter[1]))


def write_qualtrics(study: Study, rng: np.random.Generator) -> tuple[bytes, dict[str, object]]:
    """A Qualtrics "choice text" CSV export and its ids / junk rows for the truth file."""
    k = len(OUTCOMES)
    recodes, sat_order = qualtrics_layout(rng)
    imp_cols = list(range(k))
    row1 = [m[0] for m in QUALTRICS_META]
    row2 = [m[1] for m in QUALTRICS_META]
    row3 = [m[2] for m in QUALTRICS_META]
    for tag, qid, text in (
        ("role", "QID6", ROLE_QUESTION),
        ("company_size", "QID7", SIZE_QUESTION),
        ("industry", "QID8", INDUSTRY_QUESTION),
    ):
        row1.append(tag)
        row2.append(text)
        row3.append(f'{{"ImportId":"{qid}"}}')
    for q, question, order in (
        ("1", QUALTRICS_IMPORTANCE_Q, imp_cols),
        ("2", QUALTRICS_SATISFACTION_Q, sat_order),
    ):
        for j in order:
            row1.append(f"Q{q}_{recodes[j]}")
            row2.append(f"{question} - {OUTCOMES[j][2]}")
            row3.append(f'{{"ImportId":"QID{q}_{recodes[j]}"}}')
        for j in order:
            row1.append(f"Q{q}_DO_Q{q}_{recodes[j]}")
            row2.append(f"{question} - Display Order - Q{q}_{recodes[j]}")
            row3.append(f'{{"ImportId":"QID{q}_DO","choiceId":"Q{q}_{recodes[j]}"}}')
    row1 += ["region", "SolutionRevision"]
    row2 += ["region", "SolutionRevision"]
    row3 += ['{"ImportId":"region"}', '{"ImportId":"SolutionRevision"}']

    extras: list[Extra] = []
    for _ in range(2):
        role, size, industry, region = _attrs(rng)
        extras.append(
            Extra(
                "Survey Preview",
                role,
                size,
                industry,
                region,
                _random_answers(rng, k),
                _random_answers(rng, k),
                datetime(2026, 10, 2, 14) + timedelta(seconds=int(rng.integers(0, 7200))),
                int(rng.integers(60, 300)),
                100,
            )
        )
    for progress in (9, 9, 52):
        role, size, industry, region = _attrs(rng)
        imp = _random_answers(rng, k) if progress > 9 else np.zeros(k, dtype=np.int8)
        extras.append(
            Extra(
                "unfinished",
                role,
                size,
                industry,
                region,
                imp,
                np.zeros(k, dtype=np.int8),
                _field_time(rng, 0, 10),
                int(rng.integers(40, 400)),
                progress,
            )
        )

    # Qualtrics closes an unfinished response a week after its last activity.
    def recorded(e: Extra) -> datetime:
        end = e.start + timedelta(seconds=e.duration)
        return end + timedelta(days=7) if e.progress < 100 else end + timedelta(seconds=1)

    kept_recorded = [
        study.start[r] + timedelta(seconds=int(study.duration[r]) + 1)
        for r in range(len(study.ids))
    ]
    rows = [row1, row2, row3]
    used: set[str] = set()
    ids: dict[str, str] = {}
    junk: list[dict[str, str]] = []
    for r, extra in _sorted_rows(study, extras, kept_recorded, [recorded(e) for e in extras]):
        while True:
            rid = "R_" + "".join(rng.choice(_ID_CHARS, size=15).tolist())
            if rid not in used:
                used.add(rid)
                break
        if extra is None:
            attrs = [study.role[r], study.company_size[r], study.industry[r]]
            region = study.region[r]
            imp, sat = study.importance[r], study.satisfaction[r]
            start, duration, progress = study.start[r], int(study.duration[r]), 100
            status, channel, ip = "IP Address", "anonymous", _ip(rng)
            recorded_at = kept_recorded[r]
            ids[study.ids[r]] = rid
        else:
            attrs = [extra.role, extra.company_size, extra.industry]
            region = extra.region
            imp, sat = extra.importance, extra.satisfaction
            start, duration, progress = extra.start, extra.duration, extra.progress
            preview = extra.reason == "Survey Preview"
            status = "Survey Preview" if preview else "IP Address"
            channel = "preview" if preview else "anonymous"
            ip = "" if preview else _ip(rng)
            recorded_at = recorded(extra)
            junk.append({"id": rid, "reason": "preview" if preview else "unfinished"})
        # A preview is the researcher, in New York, trying the survey out.
        lat, lon = _location(rng, "North America" if channel == "preview" else region)
        row = [
            _qualtrics_time(start),
            _qualtrics_time(start + timedelta(seconds=duration)),
            status,
            ip,
            str(progress),
            str(duration),
            "True" if progress == 100 else "False",
            _qualtrics_time(recorded_at),
            rid,
            "",
            "",
            "",
            "",
            lat,
            lon,
            channel,
            "EN",
            *attrs,
        ]
        for values, labels, order, seen in (
            (imp, QUALTRICS_IMPORTANCE, imp_cols, progress >= 9),
            (sat, QUALTRICS_SATISFACTION, sat_order, progress >= 52),
        ):
            row += [labels[int(values[j])] for j in order]
            shown = (rng.permutation(k) + 1).tolist()
            row += [str(shown[i]) if seen else "" for i in range(k)]
        row += [region, "7"]
        rows.append(row)
    info: dict[str, object] = {
        "file": FILES["qualtrics"],
        "statement_recodes": {OUTCOME_IDS[j]: recodes[j] for j in range(k)},
        "satisfaction_order": [OUTCOME_IDS[j] for j in sat_order],
        "junk": junk,
    }
    return _csv_bytes(rows, newline="\r\n"), {"ids": ids, **info}


# --- SurveyMonkey -----------------------------------------------------------------------

SURVEYMONKEY_OFFSET = timedelta(hours=-4)
SURVEYMONKEY_META = (
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
)


def _surveymonkey_time(t: datetime) -> str:
    return (t + SURVEYMONKEY_OFFSET).strftime("%m/%d/%Y %I:%M:%S %p")


def write_surveymonkey(study: Study, rng: np.random.Generator) -> tuple[bytes, dict[str, object]]:
    """A SurveyMonkey CSV export (actual answer text, expanded columns)."""
    k = len(OUTCOMES)
    row1 = [
        *SURVEYMONKEY_META,
        ROLE_QUESTION,
        SIZE_QUESTION,
        INDUSTRY_QUESTION,
        REGION_QUESTION,
        SURVEYMONKEY_IMPORTANCE_Q,
        *[""] * (k - 1),
        SURVEYMONKEY_SATISFACTION_Q,
        *[""] * (k - 1),
    ]
    statements = [o[2] for o in OUTCOMES]
    row2 = [*[""] * len(SURVEYMONKEY_META), *["Response"] * 4, *statements, *statements]
    extras: list[Extra] = []
    for answered_page_one in (True, True, True, False):
        role, size, industry, region = _attrs(rng)
        if not answered_page_one:
            role = size = industry = region = ""
        extras.append(
            Extra(
                "incomplete",
                role,
                size,
                industry,
                region,
                np.zeros(k, dtype=np.int8),
                np.zeros(k, dtype=np.int8),
                _field_time(rng, 0, FIELD_DAYS),
                int(rng.integers(15, 240)),
                0,
            )
        )
    collectors = ("431842706", "431857215")
    respondent_id = 118_403_552_107
    rows = [row1, row2]
    ids: dict[str, str] = {}
    junk: list[dict[str, str]] = []
    ends = [
        study.start[r] + timedelta(seconds=int(study.duration[r])) for r in range(len(study.ids))
    ]
    merged = _sorted_rows(
        study, extras, ends, [e.start + timedelta(seconds=e.duration) for e in extras]
    )
    for r, extra in merged:
        respondent_id += int(rng.integers(9_000, 2_600_000))
        rid = str(respondent_id)
        collector = collectors[int(rng.random() < 0.35)]
        if extra is None:
            attrs = [study.role[r], study.company_size[r], study.industry[r], study.region[r]]
            imp, sat = study.importance[r], study.satisfaction[r]
            start, duration = study.start[r], int(study.duration[r])
            ids[study.ids[r]] = rid
        else:
            attrs = [extra.role, extra.company_size, extra.industry, extra.region]
            imp, sat = extra.importance, extra.satisfaction
            start, duration = extra.start, extra.duration
            junk.append({"id": rid, "reason": "incomplete"})
        rows.append(
            [
                rid,
                collector,
                _surveymonkey_time(start),
                _surveymonkey_time(start + timedelta(seconds=duration)),
                _ip(rng),
                "",
                "",
                "",
                "",
                *attrs,
                *[SURVEYMONKEY_IMPORTANCE[int(v)] for v in imp],
                *[SURVEYMONKEY_SATISFACTION[int(v)] for v in sat],
            ]
        )
    info: dict[str, object] = {"file": FILES["surveymonkey"], "ids": ids, "junk": junk}
    return _csv_bytes(rows, newline="\r\n", bom=True), info


# --- Google Forms -----------------------------------------------------------------------

GOOGLE_OFFSET = timedelta(hours=1)


def _google_time(t: datetime) -> str:
    local = t + GOOGLE_OFFSET
    hour = local.hour % 12 or 12
    half = "AM" if local.hour < 12 else "PM"
    return f"{local:%Y/%m/%d} {hour}:{local:%M:%S} {half} GMT+1"


def write_googleforms(study: Study, rng: np.random.Generator) -> tuple[bytes, dict[str, object]]:
    """A Google Forms responses CSV (one header row, grid columns, numeric answers)."""
    k = len(OUTCOMES)
    header = [
        "Timestamp",
        ROLE_QUESTION,
        SIZE_QUESTION,
        INDUSTRY_QUESTION,
        REGION_QUESTION,
        *[f"{GOOGLE_IMPORTANCE_Q} [{o[2]}]" for o in OUTCOMES],
        *[f"{GOOGLE_SATISFACTION_Q} [{o[2]}]" for o in OUTCOMES],
    ]
    test_imp = np.full(k, 3, dtype=np.int8)
    near_empty = np.zeros(k, dtype=np.int8)
    near_empty[:2] = (4, 5)
    extras = [
        Extra(
            "straight-liner",
            ROLES[0],
            COMPANY_SIZES[0],
            INDUSTRIES[0],
            REGIONS[0],
            test_imp,
            np.full(k, 3, dtype=np.int8),
            datetime(2026, 10, 2, 15, 41, 7),
            95,
            100,
        ),
        Extra(
            "fewer than half answered",
            *_attrs(rng),
            near_empty,
            np.zeros(k, dtype=np.int8),
            _field_time(rng, 2, FIELD_DAYS),
            120,
            100,
        ),
    ]
    ends_kept = [
        study.start[r] + timedelta(seconds=int(study.duration[r])) for r in range(len(study.ids))
    ]
    ends_extra = [e.start + timedelta(seconds=e.duration) for e in extras]
    rows = [header]
    ids: dict[str, str] = {}
    junk: list[dict[str, str]] = []
    seen: set[str] = set()
    for r, extra in _sorted_rows(study, extras, ends_kept, ends_extra):
        end = ends_kept[r] if extra is None else ends_extra[extras.index(extra)]
        stamp = _google_time(end)
        while stamp in seen:
            end += timedelta(seconds=1)
            stamp = _google_time(end)
        seen.add(stamp)
        if extra is None:
            attrs = [study.role[r], study.company_size[r], study.industry[r], study.region[r]]
            imp, sat = study.importance[r], study.satisfaction[r]
            ids[study.ids[r]] = stamp
        else:
            attrs = [extra.role, extra.company_size, extra.industry, extra.region]
            imp, sat = extra.importance, extra.satisfaction
            junk.append({"id": stamp, "reason": extra.reason})
        rows.append(
            [stamp, *attrs, *[NUMBERS[int(v)] for v in imp], *[NUMBERS[int(v)] for v in sat]]
        )
    info: dict[str, object] = {"file": FILES["googleforms"], "ids": ids, "junk": junk}
    return _csv_bytes(rows, newline="\n"), info


# --- Everything -------------------------------------------------------------------------


def build() -> dict[str, bytes]:
    """Every output file's name and bytes."""
    study = simulate(np.random.default_rng(SEED))
    qualtrics, q_info = write_qualtrics(study, np.random.default_rng([SEED, 1]))
    monkey, m_info = write_surveymonkey(study, np.random.default_rng([SEED, 2]))
    forms, g_info = write_googleforms(study, np.random.default_rng([SEED, 3]))
    truth = {
        "job": JOB,
        "seed": SEED,
        "generic_file": FILES["generic"],
        "planted": PLANTED,
        "needs_segment_members": [
            rid for rid, member in zip(study.ids, study.in_segment, strict=True) if member
        ],
        "renditions": {"qualtrics": q_info, "surveymonkey": m_info, "googleforms": g_info},
    }
    return {
        FILES["generic"]: write_generic(study),
        FILES["qualtrics"]: qualtrics,
        FILES["surveymonkey"]: monkey,
        FILES["googleforms"]: forms,
        FILES["truth"]: (json.dumps(truth, indent=1, ensure_ascii=False) + "\n").encode(),
    }


def generate(out_dir: str | Path) -> list[Path]:
    """Write every file into out_dir and return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in build().items():
        path = out / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def main(argv: list[str]) -> int:
    """Command line: ``python surveys/generate_demo.py [OUT_DIR]``."""
    out_dir = Path(argv[0]) if argv else Path(__file__).resolve().parent
    for path in generate(out_dir):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
