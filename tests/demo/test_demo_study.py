"""The bundled demo study: reproducible, realistic in size and shape, and its planted
structure really comes out of the scores."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd
import pytest

from odi.analysis.scoring import score
from odi.survey import JOB_STEPS, Survey

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"
ROLE_NEEDS = {
    "VP Marketing": ["O18", "O26", "O30", "O37", "O38"],
    "Demand Generation Manager": ["O11", "O22", "O23", "O29", "O31"],
    "Marketing Operations": ["O12", "O17", "O25", "O27", "O39"],
    "Content Marketing Manager": ["O10", "O14", "O19"],
}


def _opportunity(s: Survey) -> pd.Series:
    table = score(s, bootstrap=0).table
    return table.set_index("outcome_id")["opportunity"]


@pytest.fixture(scope="module")
def by_role(survey: Survey) -> pd.DataFrame:
    """Opportunity, outcomes x segment (All and every role)."""
    table = score(survey, by="role", bootstrap=0).table
    return table.pivot(index="outcome_id", columns="segment", values="opportunity")


@pytest.fixture(scope="module")
def members(survey: Survey, truth: dict[str, Any]) -> np.ndarray:
    return survey.respondents.index.isin(truth["needs_segment_members"])


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(SURVEYS / "pipeline_demo.csv", dtype=str, keep_default_na=False)


# --- reproducibility ---------------------------------------------------------------------


def test_generator_rewrites_the_committed_files_byte_for_byte(gen: ModuleType, tmp_path: Path):
    written = gen.generate(tmp_path)
    assert sorted(p.name for p in written) == sorted(gen.FILES.values())
    for path in written:
        committed = SURVEYS / path.name
        assert committed.exists(), f"{path.name} is not committed; run make demo"
        assert path.read_bytes() == committed.read_bytes(), (
            f"surveys/{path.name} differs from what generate_demo.py writes; run make demo"
        )


def test_planted_truth_in_the_script_matches_the_truth_file(gen: ModuleType, truth):
    assert truth["planted"] == gen.PLANTED
    assert truth["planted"]["role"] == ROLE_NEEDS
    assert truth["seed"] == gen.SEED


def test_the_docstring_states_the_planted_structure(gen: ModuleType):
    doc = gen.__doc__
    for role, outcomes in gen.ROLE_NEEDS.items():
        assert role in doc
        assert all(o in doc for o in outcomes)
    for oid in [*gen.SEGMENT_OUTCOMES, *gen.BROADLY_UNDERSERVED, *gen.OVERSERVED]:
        assert oid in doc


# --- size and shape ----------------------------------------------------------------------


def test_size_is_realistic(survey: Survey):
    assert survey.n_respondents == 600
    assert 38 <= survey.n_outcomes <= 45


def test_every_job_step_has_outcomes(survey: Survey):
    counts = survey.outcomes["job_step"].value_counts()
    assert set(counts.index) == set(JOB_STEPS)
    assert counts.min() >= 4
    # the outcomes are listed in job-map order
    order = [JOB_STEPS.index(s) for s in survey.outcomes["job_step"]]
    assert order == sorted(order)


STATEMENT = re.compile(
    r"^(Minimize the time it takes to|Minimize the likelihood (of|that)|Increase the "
    r"(accuracy|number) of) [a-z]"
)


def test_outcome_statements_are_well_formed_and_safe_in_every_tool(survey: Survey):
    statements = survey.outcomes["statement"]
    bad = [s for s in statements if not STATEMENT.match(s)]
    assert bad == []
    assert statements.is_unique
    assert list(survey.outcomes.index) == [f"O{i:02d}" for i in range(1, 41)]
    # " - " splits Qualtrics row 2 and "[" / "]" delimit Google Forms grid rows
    assert not [s for s in statements if " - " in s or "[" in s or "]" in s]


@pytest.mark.parametrize(
    ("column", "values"),
    [
        (
            "role",
            {
                "VP Marketing",
                "Demand Generation Manager",
                "Marketing Operations",
                "Content Marketing Manager",
            },
        ),
        ("company_size", {"1-49", "50-249", "250-999", "1000+"}),
        (
            "industry",
            {
                "SaaS",
                "Fintech",
                "Manufacturing",
                "Healthcare",
                "Professional Services",
                "Logistics",
            },
        ),
        ("region", {"North America", "EMEA", "APAC", "LATAM"}),
    ],
    ids=["role", "company_size", "industry", "region"],
)
def test_attributes_have_realistic_uneven_proportions(survey: Survey, column, values):
    shares = survey.respondents[column].value_counts(normalize=True)
    assert set(shares.index) == values
    assert survey.respondents[column].notna().all()
    assert shares.min() >= 0.05
    assert shares.max() <= 0.5
    assert shares.max() >= 1.4 * shares.min()


def test_a_few_blanks_and_a_few_na_answers(raw: pd.DataFrame):
    cells = pd.concat([raw["importance"], raw["satisfaction"]])
    blank = cells.eq("").mean()
    na = cells.eq("N/A").mean()
    assert 0.005 <= blank <= 0.05
    assert 0.003 <= na <= 0.03
    assert set(cells) == {"", "N/A", "1", "2", "3", "4", "5"}


def test_no_straight_liners_and_everyone_answers_most_items(survey: Survey):
    imp = survey.importance
    distinct = imp.nunique(axis=1)
    assert (distinct > 1).all()
    assert imp.notna().sum(axis=1).min() >= 32
    assert survey.satisfaction.notna().sum(axis=1).min() >= 32


def test_every_answer_is_on_the_scale(survey: Survey):
    for matrix in (survey.importance, survey.satisfaction):
        values = set(np.unique(matrix.to_numpy()[~np.isnan(matrix.to_numpy())]))
        assert values == {1.0, 2.0, 3.0, 4.0, 5.0}


# --- planted structure -------------------------------------------------------------------


@pytest.mark.parametrize("role", list(ROLE_NEEDS), ids=lambda r: r.replace(" ", "_"))
def test_each_role_has_its_own_unmet_needs(by_role: pd.DataFrame, truth, role):
    planted = truth["planted"]["role"][role]
    broad = truth["planted"]["broadly_underserved"]
    mine = by_role[role]
    assert (mine[planted] >= 12).all(), mine[planted].to_dict()
    # the planted outcomes lead the role's ranking; only the broadly underserved may mix in
    top = set(mine.sort_values(ascending=False).index[: len(planted) + len(broad)])
    assert set(planted) <= top
    others = mine.drop([*planted, *broad])
    assert mine[planted].min() > others.max() + 2
    # ... and are unremarkable for every other role
    for other in ROLE_NEEDS:
        if other != role:
            assert (by_role.loc[planted, other] < 10).all(), (other, by_role.loc[planted, other])
            assert (by_role.loc[planted, other] <= mine[planted] - 5).all()


def test_whole_sample_shows_little_underserved(by_role: pd.DataFrame, survey: Survey, truth):
    table = score(survey, bootstrap=0).table.set_index("outcome_id")
    underserved = set(table.index[table["opportunity"] >= 10])
    assert underserved == set(truth["planted"]["broadly_underserved"])
    assert set(truth["planted"]["overserved"]) <= set(table.index[table["zone"] == "overserved"])
    zones = table["zone"].value_counts()
    assert zones["appropriately-served"] >= 25
    assert 3 <= zones["overserved"] <= 8


def test_needs_segment_cuts_across_every_attribute(survey: Survey, members: np.ndarray, truth):
    assert members.sum() == len(truth["needs_segment_members"]) == 150
    flags = pd.Series(members, index=survey.respondents.index)
    for column in survey.respondents.columns:
        share = flags.groupby(survey.respondents[column]).mean()
        assert share.between(0.12, 0.40).all(), (column, share.to_dict())


def test_needs_segment_is_underserved_only_when_found_from_answers(
    survey: Survey, by_role: pd.DataFrame, members: np.ndarray, truth
):
    outcomes = truth["planted"]["needs_segment"]["outcomes"]
    inside = _opportunity(survey.subset(members))
    outside = _opportunity(survey.subset(~members))
    assert (inside[outcomes] >= 12).all(), inside[outcomes].to_dict()
    assert (outside[outcomes] < 8).all()
    # its outcomes lead the hidden segment's ranking
    assert set(inside.sort_values(ascending=False).index[: len(outcomes)]) == set(outcomes)
    # no single role (nor the whole sample) shows them as underserved
    assert (by_role.loc[outcomes] < 10).all().all(), by_role.loc[outcomes]


def test_needs_segment_members_answer_its_outcomes_decisively(raw: pd.DataFrame, truth):
    outcomes = truth["planted"]["needs_segment"]["outcomes"]
    rows = raw[raw["outcome_id"].isin(outcomes)]
    inside = rows["respondent_id"].isin(truth["needs_segment_members"])
    for rated, decisive in (("importance", {"5"}), ("satisfaction", {"1", "2"})):
        share = rows[rated].isin(decisive).groupby(inside).mean()
        assert share[True] >= 0.7 > 0.35 >= share[False], (rated, share.to_dict())
    # members never answer a 3 on them; everyone else often does
    threes = rows[["importance", "satisfaction"]].eq("3").any(axis=1).groupby(inside).mean()
    assert threes[True] == 0 < 0.3 < threes[False], threes.to_dict()
