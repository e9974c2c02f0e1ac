"""Small surveys built in code, with hand-checkable top-box shares per role."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd
import pytest

from odi.personas import ICP, BuyingRole, Persona
from odi.scale import Scale
from odi.survey import Survey

#: outcome id -> statement; hostile and non-ASCII text on purpose in some.
STATEMENTS: dict[str, str] = {
    "O1": "Minimize the time it takes to reconcile pipeline with the CRM",
    "O2": "Minimize the likelihood that Müller's forecast is off – by more than 10%",
    "O3": "Increase the number of qualified meetings booked per week",
    "O4": "Minimize the time it takes to assemble the board report 🚀",
    "O5": "Minimize the effort to approve budget changes",
    "O6": "Increase the share of deals with a clear economic buyer",
}

#: role -> size -> outcome -> (importance top-box share, satisfaction top-box share)
SPEC: dict[str, tuple[int, dict[str, tuple[float, float]]]] = {
    "VP Sales": (
        60,
        {
            "O1": (0.9, 0.1),  # I 9, S 1, O 17
            "O2": (0.8, 0.3),  # I 8, S 3, O 13
            "O3": (0.6, 0.4),  # I 6, S 4, O 8
            "O4": (0.5, 0.5),  # O 5
            "O5": (0.3, 0.6),  # overserved
            "O6": (0.55, 0.05),  # I 5.5, S 0.5, O 10.5 (near the line)
        },
    ),
    "SDR": (
        50,
        {
            "O1": (0.4, 0.6),
            "O2": (0.2, 0.6),
            "O3": (0.9, 0.2),  # O 16
            "O4": (0.7, 0.3),  # O 11
            "O5": (0.2, 0.2),
            "O6": (0.3, 0.5),
        },
    ),
    "CFO": (
        12,
        {
            "O1": (0.5, 0.5),
            "O2": (0.75, 0.25),  # 9/12, 3/12: I 7.5 S 2.5 O 12.5
            "O3": (0.25, 0.5),
            "O4": (0.5, 0.5),
            "O5": (1.0, 0.0),  # O 20
            "O6": (0.5, 0.5),
        },
    ),
}


def column(n: int, share: float, offset: int = 0) -> list[float]:
    """n answers of which round(share * n) are top box (4 or 5), the rest 1-3.

    Top-box answers are spread evenly, so any half of the respondents has about half.
    The exact values vary with the respondent and ``offset`` (the outcome), so nobody
    gives the same answer to every item (which screening would drop as straight-lining).
    """
    k = round(share * n)
    rows = np.arange(n)
    values = 1.0 + (rows + offset) % 3
    idx = np.floor(np.arange(k) * n / max(k, 1)).astype(int) if k else np.array([], int)
    values[idx] = 4.0 + (idx + offset) % 2
    return values.tolist()


def build_survey(
    spec: Mapping[str, tuple[int, Mapping[str, tuple[float, float]]]] = SPEC,
    *,
    statements: Mapping[str, str] = STATEMENTS,
    name: str = "Pipeline study – Q3",
) -> Survey:
    imp_rows: dict[str, list[float]] = {o: [] for o in statements}
    sat_rows: dict[str, list[float]] = {o: [] for o in statements}
    roles: list[str] = []
    sizes: list[str] = []
    for role, (n, shares) in spec.items():
        for j, o in enumerate(statements):
            i, s = shares.get(o, (0.0, 0.0))
            imp_rows[o] += column(n, i, j)
            sat_rows[o] += column(n, s, j + 1)
        roles += [role] * n
        sizes += ["Enterprise" if j % 3 == 0 else "SMB" for j in range(n)]
    index = [f"r{i:03d}" for i in range(len(roles))]
    return Survey.from_frames(
        outcomes=pd.DataFrame({"statement": list(statements.values())}, index=list(statements)),
        importance=pd.DataFrame(imp_rows, index=index),
        satisfaction=pd.DataFrame(sat_rows, index=index),
        respondents=pd.DataFrame({"role": roles, "company_size": sizes}, index=index),
        scale=Scale.from_range(1, 5),
        name=name,
    )


@pytest.fixture(scope="session")
def survey() -> Survey:
    return build_survey()


def make_vp() -> Persona:
    return Persona(
        id="vp-sales",
        name="The Pipeline-Accountable VP",
        titles=("VP Sales", "Head of Growth"),
        seniority="VP",
        reporting_line="CRO",
        context="Series B SaaS, 100–500 employees",
        functional_job="Generate qualified pipeline to meet the revenue target",
        emotional_job="Feel in control of a predictable number",
        social_job="Be seen as a strategic peer by the CEO",
        goals=("Hit the pipeline target", "Cut report time", "Win the board's trust"),
        challenges=("Messy attribution", "Disputed pipeline", "Manual reports"),
        trigger_events=("A missed target", "A new CRO"),
        buying_role=BuyingRole.CHAMPION,
        buying_process="Peer referral, then a proof of concept",
        objections=("Our data is too messy",),
        information_sources=("Pavilion", "Gartner"),
        messaging_hook="Stop assembling pipeline reports. Start defending them.",
        inferred={"messaging_hook": "A/B test in the Q3 campaign"},
        segment={"role": ["VP Sales"]},
        last_reviewed=date(2026, 1, 15),
    )


@pytest.fixture
def vp() -> Persona:
    return make_vp()


@pytest.fixture
def sdr() -> Persona:
    return Persona(
        id="sdr",
        name="The Quota-Chasing SDR",
        buying_role=BuyingRole.END_USER,
        segment={"role": ["SDR"]},
    )


@pytest.fixture
def icp() -> ICP:
    return ICP({"company_size": ["SMB", "Enterprise"]}, description="B2B SaaS")


@pytest.fixture(scope="session")
def build():
    """The survey builder, for tests that need their own shares or statements."""
    return build_survey


EXPORTED = date(2026, 5, 1)


@pytest.fixture
def exported() -> date:
    return EXPORTED


def long_csv(survey: Survey) -> bytes:
    """The survey as a long CSV (one row per respondent x outcome), as load_survey reads."""
    imp = survey.importance.stack(future_stack=True).rename("importance")
    sat = survey.satisfaction.stack(future_stack=True).rename("satisfaction")
    frame = pd.concat([imp, sat], axis=1).reset_index()
    frame = frame.merge(survey.respondents.reset_index(), on="respondent_id")
    frame["outcome"] = frame["outcome_id"].map(survey.outcomes["statement"])
    cols = [
        "respondent_id",
        *survey.attributes,
        "outcome_id",
        "outcome",
        "importance",
        "satisfaction",
    ]
    return frame[cols].to_csv(index=False).encode("utf-8")


@pytest.fixture(scope="session")
def to_long_csv():
    return long_csv


@pytest.fixture(scope="session")
def persona_factory():
    return make_vp
