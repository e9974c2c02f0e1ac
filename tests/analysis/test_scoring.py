"""The scoring method, pinned with hand-computed cases and checked for invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odi.analysis.scoring import Thresholds, score, wilson_interval, zone_of
from odi.scale import Scale
from odi.survey import Survey

NAN = float("nan")


def make_survey(
    imp: dict[str, list[float]],
    sat: dict[str, list[float]],
    *,
    attrs: dict[str, list[str]] | None = None,
    scale: Scale | None = None,
) -> Survey:
    ids = list(imp)
    n = len(next(iter(imp.values())))
    index = [f"r{i}" for i in range(n)]
    return Survey.from_frames(
        outcomes=pd.DataFrame({"statement": [f"Minimize {i}" for i in ids]}, index=ids),
        importance=pd.DataFrame(imp, index=index),
        satisfaction=pd.DataFrame(sat, index=index),
        respondents=pd.DataFrame(attrs or {}, index=index),
        scale=scale or Scale.from_range(1, 5),
    )


def row(result_table: pd.DataFrame, outcome_id: str) -> pd.Series:
    return result_table.set_index("outcome_id").loc[outcome_id]


@pytest.mark.parametrize(
    ("imp", "sat", "expected"),
    [
        ([5, 4, 1, 1], [5, 5, 5, 1], (5.0, 7.5, 5.0)),  # S > I: capped, not 5 + (5 - 7.5) = 2.5
        ([5, 5, 5, 1], [1, 1, 5, 1], (7.5, 2.5, 12.5)),
        ([5, 5, 5, 5], [5, 5, 5, 5], (10.0, 10.0, 10.0)),
        ([1, 2, 3, 3], [1, 1, 1, 1], (0.0, 0.0, 0.0)),
    ],
    ids=["capped-when-S>I", "underserved", "saturated", "all-bottom"],
)
def test_hand_computed_scores(imp, sat, expected):
    t = score(make_survey({"O1": imp}, {"O1": sat}), bootstrap=0).table
    r = row(t, "O1")
    assert (r["importance"], r["satisfaction"], r["opportunity"]) == pytest.approx(expected)


def test_blank_on_one_side_counts_per_side():
    # importance: 5, 5, blank, 2 -> 2 of 3; satisfaction: 1, blank, 2, 2 -> 0 of 3
    s = make_survey({"O1": [5, 5, NAN, 2]}, {"O1": [1, NAN, 2, 2]})
    r = row(score(s, bootstrap=0).table, "O1")
    assert (r["n_importance"], r["n_satisfaction"]) == (3, 3)
    assert r["importance"] == pytest.approx(20 / 3)
    assert r["satisfaction"] == 0.0
    assert r["opportunity"] == pytest.approx(40 / 3)


def test_ragged_n_across_outcomes():
    s = make_survey(
        {"O1": [5, 4, 3, 2, 1], "O2": [5, NAN, NAN, NAN, 1]},
        {"O1": [1, 1, 1, 1, 1], "O2": [5, 5, NAN, 4, NAN]},
    )
    t = score(s, bootstrap=0).table
    assert row(t, "O1")[["n_importance", "n_satisfaction"]].tolist() == [5, 5]
    assert row(t, "O2")[["n_importance", "n_satisfaction"]].tolist() == [2, 3]
    assert row(t, "O2")["importance"] == pytest.approx(5.0)
    assert row(t, "O2")["satisfaction"] == pytest.approx(10.0)


def test_outcome_with_no_valid_answers_is_missing_not_zero():
    s = make_survey({"O1": [5, 4], "O2": [NAN, NAN]}, {"O1": [1, 2], "O2": [3, NAN]})
    t = score(s, bootstrap=50).table
    r = row(t, "O2")
    for col in ("importance", "opportunity", "opportunity_low", "opportunity_high"):
        assert np.isnan(r[col]), col
    assert bool(r["missing"]) is True
    assert r["zone"] == ""
    assert t["outcome_id"].tolist() == ["O1", "O2"], "missing scores sort last"


def test_ulwick_bosch_saw_example():
    # 270 respondents; 200 rate importance 4-5 and 75 rate satisfaction 4-5.
    imp = [5.0] * 200 + [2.0] * 70
    sat = [4.0] * 75 + [1.0] * 195
    r = row(score(make_survey({"O1": imp}, {"O1": sat}), bootstrap=0).table, "O1")
    assert round(r["importance"], 3) == 7.407
    assert round(r["satisfaction"], 3) == 2.778
    assert round(r["opportunity"], 3) == 12.037
    assert (round(r["importance_low"], 2), round(r["importance_high"], 2)) == (6.85, 7.89)
    assert (round(r["satisfaction_low"], 2), round(r["satisfaction_high"], 2)) == (2.28, 3.34)
    assert r["zone"] == "underserved-high"


@pytest.mark.parametrize(
    ("imp", "sat", "zone"),
    [
        (5.0, 0.0, "underserved-solid"),  # O = 10 exactly
        (6.0, 0.0, "underserved-high"),  # O = 12 exactly
        (7.5, 0.0, "underserved-extreme"),  # O = 15 exactly
        (7.5, 0.5, "underserved-high"),  # O = 14.5
        (5.5, 1.5, "appropriately-served"),  # O = 5.5 + 4 = 9.5
        (4.0, 4.0, "appropriately-served"),  # S == I is not overserved
        (4.0, 4.5, "overserved"),
        (10.0, 10.0, "underserved-solid"),  # the one point above the diagonal with O >= 10
    ],
    ids=["O=10", "O=12", "O=15", "O=14.5", "O=9.5", "S=I", "S>I", "I=S=10"],
)
def test_zone_boundaries(imp, sat, zone):
    assert zone_of(np.array([imp]), np.array([sat]))[0] == zone


def test_zone_boundaries_through_counts():
    # n=4, 3 top -> 7.5; n=5, 3 top -> 6; n=2, 1 top -> 5; satisfaction 0 -> O = 15, 12, 10.
    s = make_survey(
        {"A": [5, 5, 5, 1, NAN], "B": [5, 5, 5, 1, 1], "C": [5, 1, NAN, NAN, NAN]},
        {"A": [1, 1, 1, 1, 1], "B": [1, 1, 1, 1, 1], "C": [1, 1, 1, 1, 1]},
    )
    t = score(s, bootstrap=0).table.set_index("outcome_id")
    assert t.loc[["A", "B", "C"], "opportunity"].tolist() == [15.0, 12.0, 10.0]
    assert t.loc[["A", "B", "C"], "zone"].tolist() == [
        "underserved-extreme",
        "underserved-high",
        "underserved-solid",
    ]


def test_custom_thresholds_move_zones():
    z = zone_of(np.array([5.0]), np.array([0.0]), thresholds=Thresholds(solid=11, high=13))
    assert z[0] == "appropriately-served"


def test_top_box_is_a_setting_on_other_scales():
    seven = Scale.from_range(1, 7)
    assert seven.top_points == (6.0, 7.0)
    s = make_survey({"O1": [7, 6, 5, 1]}, {"O1": [1, 1, 1, 1]}, scale=seven)
    assert row(score(s, bootstrap=0).table, "O1")["importance"] == 5.0
    s3 = make_survey(
        {"O1": [7, 6, 5, 1]}, {"O1": [1, 1, 1, 1]}, scale=seven.with_options(top_box=5)
    )
    assert row(score(s3, bootstrap=0).table, "O1")["importance"] == 7.5


def test_wilson_matches_reference_values():
    # Reference values from R: binom::binom.wilson(c(0, 5, 10), 10)
    lo, hi = wilson_interval(np.array([0, 5, 10]), np.array([10, 10, 10]))
    np.testing.assert_allclose(lo, [0.0, 0.2365931, 0.7224672], atol=1e-6)
    np.testing.assert_allclose(hi, [0.2775328, 0.7634069, 1.0], atol=1e-6)


def test_bootstrap_is_seeded_and_repeatable():
    rng = np.random.default_rng(1)
    imp = rng.integers(1, 6, size=80).astype(float).tolist()
    sat = rng.integers(1, 6, size=80).astype(float).tolist()
    s = make_survey({"O1": imp}, {"O1": sat})
    a = score(s, bootstrap=300, seed=7).table
    b = score(s, bootstrap=300, seed=7).table
    c = score(s, bootstrap=300, seed=8).table
    pd.testing.assert_frame_equal(a, b)
    assert (a["opportunity_low"].iloc[0], a["p_underserved"].iloc[0]) != (
        c["opportunity_low"].iloc[0],
        c["p_underserved"].iloc[0],
    )


def test_bootstrap_near_boundary_example_from_method():
    # n = 29, I = 22/29 = 7.59, S = 12/29 = 4.14 -> O = 11.03; the method notes an
    # interval of about 7.2-14.8 and P(O >= 10) of about 0.76.
    rng = np.random.default_rng(3)
    imp = np.array([5.0] * 22 + [2.0] * 7)
    sat = np.array([5.0] * 12 + [2.0] * 17)
    sat = rng.permutation(sat)  # independent of importance
    s = make_survey({"O1": imp.tolist()}, {"O1": sat.tolist()})
    r = row(score(s, bootstrap=4000, seed=0).table, "O1")
    assert r["opportunity"] == pytest.approx(11.034, abs=1e-3)
    assert 6.5 < r["opportunity_low"] < 8.5
    assert 14.0 < r["opportunity_high"] < 15.6
    assert 0.6 < r["p_underserved"] < 0.9
    assert bool(r["crosses_threshold"]) is True
    assert bool(r["small_n"]) is True


def test_p_underserved_extremes():
    s = make_survey(
        {"hi": [5.0] * 60, "lo": [1.0] * 60},
        {"hi": [1.0] * 60, "lo": [5.0] * 60},
    )
    t = score(s, bootstrap=200).table.set_index("outcome_id")
    assert t.loc["hi", "p_underserved"] == 1.0
    assert t.loc["lo", "p_underserved"] == 0.0
    assert not t["small_n"].any()


def naive_scores(survey: Survey) -> pd.DataFrame:
    """A straightforward per-outcome baseline with value_counts."""
    rows = []
    for oid in survey.outcomes.index:
        out = {"outcome_id": oid}
        for side, m in (("importance", survey.importance), ("satisfaction", survey.satisfaction)):
            vc = m[oid].dropna().value_counts()
            n = int(vc.sum())
            top = int(vc[vc.index >= survey.scale.top_box].sum())
            out[side] = 10 * top / n if n else np.nan
        i, s_ = out["importance"], out["satisfaction"]
        out["opportunity"] = i + max(i - s_, 0) if n else np.nan
        rows.append(out)
    return pd.DataFrame(rows).set_index("outcome_id")


def test_vectorised_matches_naive_baseline():
    rng = np.random.default_rng(5)
    imp = rng.integers(1, 6, size=(200, 12)).astype(float)
    sat = rng.integers(1, 6, size=(200, 12)).astype(float)
    imp[rng.random(imp.shape) < 0.1] = np.nan
    sat[rng.random(sat.shape) < 0.1] = np.nan
    cols = [f"O{i}" for i in range(12)]
    s = make_survey(
        {c: imp[:, i].tolist() for i, c in enumerate(cols)},
        {c: sat[:, i].tolist() for i, c in enumerate(cols)},
    )
    ours = score(s, bootstrap=0).table.set_index("outcome_id").loc[cols]
    ref = naive_scores(s).loc[cols]
    np.testing.assert_allclose(ours[["importance", "satisfaction", "opportunity"]], ref)


def test_segments_by_attribute_equal_scoring_each_subset():
    rng = np.random.default_rng(2)
    n = 90
    roles = rng.choice(["VP", "Manager", "Ops"], size=n).tolist()
    imp = rng.integers(1, 6, size=n).astype(float).tolist()
    sat = rng.integers(1, 6, size=n).astype(float).tolist()
    s = make_survey({"O1": imp}, {"O1": sat}, attrs={"role": roles})
    res = score(s, by="role", bootstrap=0)
    assert res.segments["segment"].tolist() == ["All", "Manager", "Ops", "VP"]
    assert res.segments["n_respondents"].tolist()[0] == n
    for role in ("VP", "Manager", "Ops"):
        alone = score(s, where={"role": [role]}, bootstrap=0).for_segment()
        seg = res.for_segment(role)
        assert seg["opportunity"].iloc[0] == pytest.approx(alone["opportunity"].iloc[0])


def test_where_any_of_values_and_all_of_columns():
    s = make_survey(
        {"O1": [5, 5, 1, 1, 5]},
        {"O1": [1, 1, 1, 1, 1]},
        attrs={"role": ["VP", "CMO", "VP", "SDR", "VP"], "size": ["S", "S", "L", "S", "L"]},
    )
    res = score(s, where={"role": ["VP", "CMO"], "size": ["S"]}, bootstrap=0)
    assert res.segments["n_respondents"].iloc[0] == 2
    assert res.for_segment()["importance"].iloc[0] == 10.0


def test_unknown_where_value_lists_values():
    s = make_survey({"O1": [5, 4]}, {"O1": [1, 2]}, attrs={"role": ["VP", "SDR"]})
    with pytest.raises(ValueError, match=r"no respondent has role = 'CEO'.*SDR, VP"):
        score(s, where={"role": ["CEO"]})


def test_unknown_by_column_lists_columns():
    s = make_survey({"O1": [5, 4]}, {"O1": [1, 2]}, attrs={"role": ["VP", "SDR"]})
    with pytest.raises(ValueError, match=r"--by column 'team' does not exist.*role"):
        score(s, by="team")


answers = st.one_of(st.just(np.nan), st.integers(1, 5).map(float))


@st.composite
def surveys(draw: st.DrawFn) -> Survey:
    n = draw(st.integers(1, 25))
    k = draw(st.integers(1, 4))
    imp = {f"O{j}": draw(st.lists(answers, min_size=n, max_size=n)) for j in range(k)}
    sat = {f"O{j}": draw(st.lists(answers, min_size=n, max_size=n)) for j in range(k)}
    return make_survey(imp, sat)


@settings(max_examples=60, deadline=None)
@given(surveys(), st.integers(0, 2**31 - 1))
def test_invariants(survey, seed):
    t = score(survey, bootstrap=60, seed=seed).table
    ok = ~t["missing"]
    i, s_, o = (t.loc[ok, c] for c in ("importance", "satisfaction", "opportunity"))
    assert ((i >= 0) & (i <= 10)).all()
    assert ((s_ >= 0) & (s_ <= 10)).all()
    assert ((o >= i - 1e-12) & (o <= 20)).all()
    assert np.allclose(o[s_ >= i], i[s_ >= i])
    for side in ("importance", "satisfaction", "opportunity"):
        lo, hi = t.loc[ok, f"{side}_low"], t.loc[ok, f"{side}_high"]
        pt = t.loc[ok, side]
        assert ((lo <= pt + 1e-9) & (pt <= hi + 1e-9)).all(), side
    assert t.loc[~ok, "opportunity"].isna().all()
