"""Waves: matching outcomes, comparing two waves, validating personas on the new cohort."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from odi.analysis.waves import compare_waves, match_outcomes, validate_persona
from odi.importers.load import load_survey
from odi.personas import personas_from_json
from odi.scale import Scale
from odi.survey import Survey
from tests.analysis.wave2 import SURVEYS, generator, wave2_bytes

PLANTED = {"O06", "O21", "O30"}


@pytest.fixture(scope="module")
def wave1() -> Survey:
    return load_survey((SURVEYS / "pipeline_demo.csv").read_bytes(), source="wave1.csv")


@pytest.fixture(scope="module")
def wave2() -> Survey:
    return load_survey(wave2_bytes(), source="wave2.csv")


def test_planted_changes_are_the_ones_in_the_generator() -> None:
    assert set(generator().WAVE2_CHANGES) == PLANTED


def test_demo_wave2_finds_the_three_planted_changes(wave1: Survey, wave2: Survey) -> None:
    c = compare_waves(wave1, wave2)
    assert len(c.table) == 40
    assert set(c.table["matched_by"]) == {"id"}
    significant = set(c.significant)
    assert significant >= PLANTED
    assert len(significant - PLANTED) <= 1
    assert "O06" in c.status("resolved underserved")
    assert "O21" in c.status("new underserved")
    assert "O08" in c.status("persisting underserved")
    row = c.table.set_index("outcome_id").loc["O30"]
    assert row["satisfaction_2"] < row["satisfaction_1"] - 1.5
    assert row["change"] > 0


@pytest.mark.parametrize("seed", [11, 12, 13, 14, 15], ids=lambda s: f"seed-{s}")
def test_false_positives_stay_rare_across_cohorts(wave1: Survey, seed: int) -> None:
    """Five more wave-2 cohorts: the planted three always found, at most one false positive."""
    c = compare_waves(wave1, load_survey(wave2_bytes(seed), source="w2.csv"))
    significant = set(c.significant)
    assert significant >= PLANTED
    assert len(significant - PLANTED) <= 1


def test_no_change_no_discoveries_under_the_null() -> None:
    """Two cohorts from one model: the adjusted tests keep false discoveries rare (FDR)."""
    rng = np.random.default_rng(7)
    hits = 0
    for _ in range(40):
        waves = []
        for _ in range(2):
            p = np.linspace(0.2, 0.8, 20)
            imp = np.where(rng.random((150, 20)) < p, 5.0, 2.0)
            sat = np.where(rng.random((150, 20)) < p[::-1], 5.0, 2.0)
            ids = [f"O{j}" for j in range(20)]
            waves.append(
                Survey.from_frames(
                    outcomes=pd.DataFrame({"statement": ids}, index=ids),
                    importance=pd.DataFrame(imp, columns=ids),
                    satisfaction=pd.DataFrame(sat, columns=ids),
                    scale=Scale.from_range(1, 5),
                )
            )
        hits += bool(compare_waves(*waves).significant)
    # The family-wise chance of any discovery under the global null is at most alpha.
    assert hits <= 5


def test_vp_persona_true_needs_hold_on_wave2(wave1: Survey, wave2: Survey) -> None:
    pset = personas_from_json((SURVEYS / "pipeline_demo_personas.json").read_bytes())
    vp = next(p for p in pset.personas if p.id == "vp-marketing")
    v = validate_persona(wave1, wave2, vp, icp=pset.icp, bootstrap=200, reviewed=date(2026, 11, 30))
    true_needs = set(generator().ROLE_NEEDS["VP Marketing"])
    found = set(v.table["outcome_id"])
    assert true_needs <= found
    held = set(v.table.loc[v.table["holds"], "outcome_id"])
    assert true_needs <= held
    assert v.n_2 > 30
    assert (v.table["opportunity_2_low"] <= v.table["opportunity_2"]).all()
    assert v.note("Wave 2").startswith("validated on Wave 2 (2026-11-30): ")
    assert f"{v.held} of {len(v.table)} unmet needs hold" in v.summary


def _survey(ids: list[str], texts: list[str]) -> Survey:
    z = pd.DataFrame({i: [4.0, 2.0] for i in ids})
    return Survey.from_frames(
        outcomes=pd.DataFrame({"statement": texts}, index=ids),
        importance=z,
        satisfaction=z,
        scale=Scale.from_range(1, 5),
    )


def test_match_reworded_statements() -> None:
    a = _survey(["A", "B", "C"], ["Find a lead", "Hand a lead over", "Plan the quarter"])
    b = _survey(["X", "Y", "C"], ["find a lead.", "Pass a lead to sales", "Plan the year"])
    m = match_outcomes(a, b)
    assert m.pairs == {"A": "X", "C": "C"}
    assert (m.unmatched_1, m.unmatched_2) == (("B",), ("Y",))
    m2 = match_outcomes(a, b, manual={"B": "Y", "C": ""})
    assert m2.pairs == {"A": "X", "B": "Y"}
    assert m2.unmatched_2 == ("C",)


@pytest.mark.parametrize(
    ("manual", "message"),
    [
        ({"Z": "X"}, "wave 1 has no outcome"),
        ({"A": "Q"}, "wave 2 has no outcome"),
        ({"A": "X", "B": "X"}, "matched twice"),
    ],
    ids=["unknown-1", "unknown-2", "twice"],
)
def test_bad_manual_match(manual: dict[str, str], message: str) -> None:
    a = _survey(["A", "B"], ["a", "b"])
    b = _survey(["X", "Y"], ["x", "y"])
    with pytest.raises(ValueError, match=message):
        match_outcomes(a, b, manual=manual)


def test_no_shared_outcome_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="share no outcome"):
        compare_waves(_survey(["A"], ["a"]), _survey(["B"], ["b"]))


def test_hand_checked_numbers() -> None:
    # Wave 1: 3 of 4 top box on importance, wave 2: 1 of 4.
    ids = ["O1"]

    def s(imp: list[float], sat: list[float]) -> Survey:
        return Survey.from_frames(
            outcomes=pd.DataFrame({"statement": ["x"]}, index=ids),
            importance=pd.DataFrame({"O1": imp}),
            satisfaction=pd.DataFrame({"O1": sat}),
            scale=Scale.from_range(1, 5),
        )

    c = compare_waves(s([5, 4, 4, 1], [1, 1, 2, np.nan]), s([5, 1, 2, 2], [5, 1, 1, 1]))
    r = c.table.iloc[0]
    assert (r["importance_1"], r["importance_2"]) == (7.5, 2.5)
    assert (r["satisfaction_1"], r["satisfaction_2"]) == (0.0, 2.5)
    assert (r["n_satisfaction_1"], r["n_satisfaction_2"]) == (3, 4)
    assert r["opportunity_1"] == 15.0
    assert r["opportunity_2"] == 2.5
    assert r["change"] == -12.5
    # pooled p = 0.5, se = sqrt(0.25 * 0.5) = 0.3536, z = -0.5 / 0.3536 = -1.414, p = 0.1573
    assert r["p_importance"] == pytest.approx(0.1573, abs=1e-4)
    assert r["status"] == "resolved underserved"
