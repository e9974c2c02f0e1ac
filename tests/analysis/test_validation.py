"""The split-half check of unmet needs: exact threshold decisions, what is found on one half
is confirmed on the other, and a seeded simulation of its pass rates.

The larger simulation (several n, more repetitions, the old check beside) is
``benchmarks/bench_validation.py``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odi.analysis.simulate import top_box_survey
from odi.analysis.validation import meets_threshold, split_half
from odi.survey import Survey

TRUE_NEED = (0.8, 0.3)  # population I = 8, S = 3: O = 13, clearly above 10
NOISE = (0.6, 0.4)  # population I = 6, S = 4: O = 8, below 10


simulate = top_box_survey


def exact_opportunity(ki: int, ni: int, ks: int, ns: int) -> Fraction:
    imp, sat = Fraction(10 * ki, ni), Fraction(10 * ks, ns)
    return imp + max(imp - sat, Fraction(0))


@pytest.mark.parametrize(
    ("ki", "ni", "ks", "ns", "threshold", "meets"),
    [
        (82, 100, 64, 100, 10, True),  # O = 10 exactly; 9.999999999999998 in floats
        (26, 30, 7, 30, 15, True),  # O = 15 exactly
        (26, 30, 8, 30, 15, False),
        (5, 10, 0, 10, 10, True),  # I = 5, S = 0: O = 10
        (5, 10, 1, 10, 10, False),
        (7, 10, 2, 10, 12, True),
        (10, 10, 10, 10, 10, True),  # I = 10 above the diagonal
        (1, 0, 1, 10, 0, False),  # no valid importance answer: never a need
    ],
    ids=["O10-float-error", "O15", "below-15", "I5-S0", "I5-S1", "O12", "I10", "no-answers"],
)
def test_threshold_decisions_are_exact(ki, ni, ks, ns, threshold, meets):
    got = meets_threshold(np.array([ki]), np.array([ni]), np.array([ks]), np.array([ns]), threshold)
    assert got.tolist() == [meets]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.sampled_from([0, 5, 10, 10.5, 12, 15, 20]),
)
def test_threshold_decision_matches_rational_arithmetic(imp, sat, threshold):
    (ki, ni), (ks, ns) = imp, sat
    got = meets_threshold(np.array([ki]), np.array([ni]), np.array([ks]), np.array([ns]), threshold)
    assert bool(got[0]) == (exact_opportunity(ki, ni, ks, ns) >= Fraction(str(threshold)))


def test_every_exact_ten_at_one_n_is_a_need():
    # Every (k_i, k_s, n) with O exactly 10 on one n: float arithmetic loses some of them.
    n = 100
    ki, ks = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    on_line = (ki >= ks) & (2 * ki - ks == n)  # 2I - S = 10 exactly
    nn = np.full(ki.shape, n)
    assert meets_threshold(ki[on_line], nn[on_line], ks[on_line], nn[on_line], 10).all()
    below = (ki >= ks) & (2 * ki - ks == n - 1)
    assert not meets_threshold(ki[below], nn[below], ks[below], nn[below], 10).any()


@pytest.fixture
def mixed() -> Survey:
    rng = np.random.default_rng(5)
    return simulate(rng, 200, np.array([0.8, 0.8, 0.6, 0.6]), np.array([0.3, 0.3, 0.4, 0.4]))


def test_halves_are_disjoint_and_cover_the_segment(mixed):
    mask = np.zeros(mixed.n_respondents, dtype=bool)
    mask[:151] = True
    r = split_half(mixed, mask, splits=3, bootstrap=0)
    assert (r.n_half_a, r.n_half_b) == (75, 76)
    assert r.splits == len(r.found_per_split) == len(r.held_per_split) == 3
    assert all(h <= f for f, h in zip(r.found_per_split, r.held_per_split, strict=True))


def test_the_list_is_found_on_one_half_and_confirmed_on_the_other(mixed):
    r = split_half(mixed, np.ones(200, dtype=bool), splits=4, seed=2, bootstrap=100)
    t = r.table.set_index("outcome_id")
    found = t.loc[t["found"]]
    # found: at or above 10 on the discovery half; held: also on the confirmation half
    assert (found["opportunity_discovery"] >= 10 - 1e-9).all()
    assert (found["held"] == (found["opportunity_confirmation"] >= 10 - 1e-9)).all()
    assert (found["confirmation_low"] <= found["opportunity_confirmation"]).all()
    assert (found["confirmation_high"] >= found["opportunity_confirmation"]).all()
    assert set(found.index) == {"O0", "O1"}
    assert (t["share_held"] <= t["share_found"]).all()
    again = split_half(mixed, np.ones(200, dtype=bool), splits=4, seed=2, bootstrap=100)
    pd.testing.assert_frame_equal(again.table, r.table)


def test_hidden_outcomes_and_top_n(mixed):
    everyone = np.ones(200, dtype=bool)
    hidden = split_half(mixed, everyone, splits=2, bootstrap=0, exclude=frozenset({"O0"}))
    assert "O0" not in set(hidden.table.loc[hidden.table["found"], "outcome_id"])
    top1 = split_half(mixed, everyone, splits=2, bootstrap=0, top_n=1)
    assert top1.checked == 1
    assert max(top1.found_per_split) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"splits": 0}, "splits must be"), ({"top_n": 0}, "top_n must be")],
    ids=["no-splits", "no-needs"],
)
def test_bad_settings(mixed, kwargs, message):
    with pytest.raises(ValueError, match=message):
        split_half(mixed, np.ones(200, dtype=bool), **kwargs)


def test_one_respondent_is_an_error(mixed):
    mask = np.zeros(200, dtype=bool)
    mask[0] = True
    with pytest.raises(ValueError, match="at least two respondents"):
        split_half(mixed, mask)


def test_simulation_true_needs_pass_far_more_often_than_noise():
    """n = 200, 4 true needs (population O = 13) and 4 noise needs (O = 8): the share of
    splits in which each was found on one half and held on the other."""
    rng = np.random.default_rng(20261130)
    p_imp = np.array([TRUE_NEED[0]] * 4 + [NOISE[0]] * 4)
    p_sat = np.array([TRUE_NEED[1]] * 4 + [NOISE[1]] * 4)
    ids = [f"O{i}" for i in range(8)]
    reps = 25
    passed = np.zeros(8)
    for r in range(reps):
        survey = simulate(rng, 200, p_imp, p_sat)
        result = split_half(survey, np.ones(200, dtype=bool), splits=4, seed=r, bootstrap=0)
        held = result.table.set_index("outcome_id")["share_held"].reindex(ids).fillna(0.0)
        passed += held.to_numpy()
    rate = passed / reps
    true_rate, noise_rate = rate[:4].mean(), rate[4:].mean()
    assert true_rate >= 0.9
    assert noise_rate <= 0.05
    assert true_rate >= 10 * max(noise_rate, 0.01)
