"""The scoring method, pinned with hand-computed cases and checked for invariants."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odi.analysis import counting, scoring
from odi.analysis.counting import Indicators, bootstrap_counts, group_counts, side_counts
from odi.analysis.coverage import interval_coverage
from odi.analysis.exact import at_least, opportunity_from_counts, zones_from_counts
from odi.analysis.scoring import (
    Thresholds,
    _float_decides,
    meets_threshold,
    score,
    wilson_interval,
    zone_of,
)
from odi.analysis.significance import segment_differences
from odi.analysis.unmet_needs import unmet_needs
from odi.personas import Persona
from odi.scale import MISSING_CODE, Scale, ScaleError
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


@pytest.mark.slow
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


# --- exact thresholds (issue 10 item 1) -------------------------------------------------


def exact_pairs(t: int, n_max: int = 500) -> tuple[np.ndarray, ...]:
    """Every (k_i, k_s, n) with n answers a side and opportunity exactly ``t``."""
    ki, ks, ns = [], [], []
    for n in range(1, n_max + 1):
        if (t * n) % 10:
            continue
        target = t * n // 10  # 2 k_i - k_s when I >= S; k_i when I < S
        for k_i in range(0, n + 1):
            k_s = 2 * k_i - target
            if 0 <= k_s <= k_i:
                ki.append(k_i), ks.append(k_s), ns.append(n)
        if target <= n:
            for k_s in range(target + 1, n + 1):
                ki.append(target), ks.append(k_s), ns.append(n)
    return np.array(ki), np.array(ks), np.array(ns)


@pytest.mark.parametrize(
    ("t", "zone"),
    [(10, "underserved-solid"), (12, "underserved-high"), (15, "underserved-extreme")],
    ids=["O=10", "O=12", "O=15"],
)
def test_every_exact_threshold_pair_up_to_500_is_zoned_on_the_line(t, zone):
    ki, ks, n = exact_pairs(t)
    assert len(ki) > 1000
    opp = opportunity_from_counts(ki, n, ks, n)
    assert (opp == float(t)).all(), "an exact threshold is the float threshold itself"
    zones = zones_from_counts(ki, n, ks, n, (10, 12, 15))
    assert (zones == zone).all()
    assert at_least(ki, n, ks, n, t).all()
    assert not at_least(ki, n, ks, n, t + 1e-9).any()
    # The float path agrees: the naive float sum misses some of these, the scores do not.
    imp, sat = 10.0 * ki / n, 10.0 * ks / n
    naive = imp + np.maximum(imp - sat, 0.0)
    assert (naive < t).any() or t != 10, "the float rounding this guards against occurs"
    assert (zone_of(imp, sat) == zone).all()


def test_one_step_below_a_threshold_is_below_it():
    # I = S side by side: n = 100, k_s = 64, k_i = 82 is O = 10; k_i = 81 is 9.8.
    assert zones_from_counts(
        np.array([81, 82]),
        np.array([100, 100]),
        np.array([64, 64]),
        np.array([100, 100]),
        (10, 12, 15),
    ).tolist() == ["appropriately-served", "underserved-solid"]


@pytest.mark.parametrize(
    ("n", "k_i", "k_s", "zone"),
    [(100, 82, 64, "underserved-solid"), (30, 26, 7, "underserved-extreme")],
    ids=["n=100,82,64->10", "n=30,26,7->15"],
)
def test_issue_examples_through_score(n, k_i, k_s, zone):
    s = make_survey(
        {"O1": [5.0] * k_i + [1.0] * (n - k_i)}, {"O1": [5.0] * k_s + [1.0] * (n - k_s)}
    )
    result = score(s, bootstrap=0)
    r = row(result.table, "O1")
    assert r["zone"] == zone
    assert (r["top_importance"], r["top_satisfaction"]) == (k_i, k_s)
    assert len(result.underserved) == 1
    assert meets_threshold(result.table, 10).tolist() == [True]


# --- layouts, dtypes and one-pass segments (issue 13) -----------------------------------


def random_answers(seed: int, n: int = 400, k: int = 7) -> tuple[np.ndarray, np.ndarray, list]:
    rng = np.random.default_rng(seed)
    imp = rng.integers(1, 6, size=(n, k)).astype(float)
    sat = rng.integers(1, 6, size=(n, k)).astype(float)
    imp[rng.random(imp.shape) < 0.08] = np.nan
    sat[rng.random(sat.shape) < 0.12] = np.nan
    roles = rng.choice(["VP", "Ops", "All", None], size=n, p=[0.3, 0.4, 0.2, 0.1]).tolist()
    return imp, sat, roles


def survey_from(imp, sat, roles, *, dtype="float64", order="C") -> Survey:
    n, k = imp.shape
    ids = [f"O{j}" for j in range(k)]
    index = [f"r{i}" for i in range(n)]

    def frame(m):
        if dtype == "Int8":
            return pd.DataFrame(m, index=index, columns=ids).astype("Int8")
        values = np.asarray(m, dtype=dtype, order=order)
        return pd.DataFrame(values, index=index, columns=ids, copy=False)

    return Survey.from_frames(
        outcomes=pd.DataFrame({"statement": ids}, index=ids),
        importance=frame(imp),
        satisfaction=frame(sat),
        respondents=pd.DataFrame({"role": roles}, index=index),
        scale=Scale.from_range(1, 5),
    )


def test_results_pinned_across_layouts_and_dtypes():
    imp, sat, roles = random_answers(11)
    reference = score(survey_from(imp, sat, roles), by="role", bootstrap=120, seed=4).table
    variants = {
        "float32": survey_from(imp, sat, roles, dtype="float32"),
        "fortran": survey_from(imp, sat, roles, order="F"),
        "nullable-Int8": survey_from(imp, sat, roles, dtype="Int8"),
    }
    base = survey_from(imp, sat, roles)
    variants["codes-column-major"] = replace(
        base,
        importance_codes=np.asfortranarray(base.importance_codes),
        satisfaction_codes=np.asfortranarray(base.satisfaction_codes),
    )
    wide_i = np.zeros((imp.shape[0], 2 * imp.shape[1]), dtype=np.int8)
    wide_i[:, ::2] = base.importance_codes
    variants["codes-strided-view"] = replace(base, importance_codes=wide_i[:, ::2])
    for name, survey in variants.items():
        table = score(survey, by="role", bootstrap=120, seed=4).table
        assert list(table.columns) == list(reference.columns), name
        pd.testing.assert_frame_equal(table, reference, check_exact=False, rtol=0, atol=1e-12)


def test_group_counts_match_masks_in_any_layout():
    imp, sat, roles = random_answers(3, n=70_000, k=5)  # more than one block of rows
    built = survey_from(imp, sat, roles)
    codes = built.importance_codes
    groups = np.random.default_rng(0).integers(-1, 4, size=len(codes))
    for layout in (codes, np.asfortranarray(codes)):
        both = group_counts([layout, built.satisfaction_codes], 4, groups, 4)
        for (valid, top), answers in zip(both, (imp, sat), strict=True):
            for g in range(4):
                rows = answers[groups == g]
                assert valid[g].tolist() == (~np.isnan(rows)).sum(axis=0).tolist()
                assert top[g].tolist() == (rows >= 4).sum(axis=0).tolist()
        v_all, t_all = side_counts(layout, 4)
        assert v_all.tolist() == (~np.isnan(imp)).sum(axis=0).tolist()
        assert t_all.tolist() == (imp >= 4).sum(axis=0).tolist()


def test_shared_indicators_count_like_the_blockwise_bootstrap():
    imp, sat, roles = random_answers(8, n=300, k=6)
    s = survey_from(imp, sat, roles)
    rng = np.random.default_rng(1)
    rows = np.sort(rng.choice(300, size=120, replace=False))
    shared = Indicators.build(s.importance_codes, s.satisfaction_codes, 4, rows)
    for start, n in ((0, 120), (17, 40), (119, 1)):
        weights = rng.integers(0, 4, size=(9, n)).astype(np.float32)
        expected = bootstrap_counts(
            s.importance_codes, s.satisfaction_codes, 4, weights, rows[start : start + n]
        )
        assert shared.counts(weights, start).tolist() == expected.tolist()


def score_cases() -> dict[str, tuple[Survey, dict[str, object]]]:
    imp, sat, roles = random_answers(12, n=500, k=6)
    imp[:, 2] = np.where(np.arange(500) < 480, np.nan, imp[:, 2])  # resamples with no answer
    sat[:, 4] = 3.0  # no blank in this outcome
    s = survey_from(imp, sat, roles)
    s = replace(
        s,
        respondents=s.respondents.assign(half=np.where(np.arange(500) % 2, "odd", "even")),
    )
    return {
        "everyone": (s, {}),
        "by": (s, {"by": "role"}),
        "where-and-by": (s, {"by": "role", "where": {"half": ["odd"]}}),
        "chosen-values": (s, {"by": "role", "segment_values": ["VP", "nobody", "Ops"]}),
        "where": (s, {"where": {"role": ["VP", "Ops"]}}),
        "small-n": (s, {"by": "role", "min_n": 5, "thresholds": Thresholds(9.5, 12, 15)}),
    }


@pytest.mark.parametrize("case", list(score_cases()))
def test_shared_and_blockwise_bootstrap_agree_exactly(case, monkeypatch):
    survey, options = score_cases()[case]
    shared = score(survey, bootstrap=150, seed=3, **options).table  # type: ignore[arg-type]
    monkeypatch.setattr(scoring, "SHARED_CELLS", 0)  # every segment counted in blocks...
    monkeypatch.setattr(counting, "_BOOT_CELLS", 6 * 40)  # ... of 40 respondents
    blockwise = score(survey, bootstrap=150, seed=3, **options).table  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(shared, blockwise, check_exact=True)
    assert shared["opportunity_low"].notna().any()


@given(
    st.integers(0, 60),
    st.integers(1, 60),
    st.integers(0, 60),
    st.integers(1, 60),
    st.sampled_from([10.0, 12.0, 15.0, 9.5, 0.0, 20.0, 10.1, 12.3]),
)
def test_float_opportunity_decides_exactly_when_allowed(k_i, n_i, k_s, n_s, threshold):
    k_i, k_s = min(k_i, n_i), min(k_s, n_s)
    counts = tuple(np.array([v]) for v in (k_i, n_i, k_s, n_s))
    exact = at_least(*counts, threshold)
    if _float_decides(threshold, 60):
        assert (opportunity_from_counts(*counts) >= threshold).tolist() == exact.tolist()
    else:
        assert threshold in (10.1, 12.3)  # not floats exactly: decided by at_least


def test_float_decision_on_the_line_itself():
    # 8.2 + (8.2 - 6.4) is exactly 10; the float sum is a hair below it.
    counts = (np.array([82]), np.array([100]), np.array([64]), np.array([100]))
    assert _float_decides(10.0, 100)
    assert (opportunity_from_counts(*counts) >= 10.0).tolist() == [True]
    assert not _float_decides(10.0, 2**21)  # too many answers to be sure
    assert not _float_decides(10.1, 100)


def test_attributes_are_stored_as_the_values_present_even_after_a_subset():
    imp, sat, roles = random_answers(4, n=60)
    s = survey_from(imp, sat, roles)
    role = s.respondents["role"]
    assert isinstance(role.dtype, pd.CategoricalDtype)
    assert role.astype(object).where(role.notna(), None).tolist() == roles
    vp_only = s.subset(role.eq("VP").to_numpy())
    assert vp_only.respondents["role"].cat.categories.tolist() == ["VP"]
    assert vp_only.respondents["role"].value_counts().to_dict() == {"VP": vp_only.n_respondents}
    assert score(vp_only, by="role", bootstrap=0).segments["segment"].tolist() == ["All", "VP"]
    with pytest.raises(
        ValueError, match="no respondent has role = 'Ops'; the values of role are: VP"
    ):
        score(vp_only, where={"role": ["Ops"]}, bootstrap=0)


def test_segment_values_must_be_distinct():
    imp, sat, roles = random_answers(2)
    with pytest.raises(ValueError, match=r"segment_values must be distinct; got \['VP'\]"):
        score(survey_from(imp, sat, roles), by="role", segment_values=["VP", "Ops", "VP"])


def test_same_respondents_same_interval_by_where_and_persona():
    imp, sat, roles = random_answers(5)
    s = survey_from(imp, sat, roles)
    by = score(s, by="role", bootstrap=150, seed=9).for_segment("VP")
    where = score(s, where={"role": ["VP"]}, bootstrap=150, seed=9).for_segment()
    persona = unmet_needs(
        s,
        Persona(id="vp", name="VP", segment={"role": ["vp"]}),
        bootstrap=150,
        seed=9,
        replicate=False,
    ).scores
    cols = ["outcome_id", "opportunity_low", "opportunity_high", "p_underserved"]
    pd.testing.assert_frame_equal(by[cols], where[cols])
    pd.testing.assert_frame_equal(by[cols], persona[cols])


def test_a_value_spelled_all_does_not_collide_with_everyone():
    imp, sat, roles = random_answers(6)
    s = survey_from(imp, sat, roles)
    result = score(s, by="role", bootstrap=0)
    labels = result.segments["segment"].tolist()
    assert labels == ["All", "role = All", "Ops", "VP", "(blank)"]
    assert not result.table.duplicated(["segment", "outcome_id"]).any()
    assert result.for_segment("All")["n_importance"].max() <= len(roles)
    everyone = result.for_segment("All").set_index("outcome_id")
    alone = score(s, where={"role": ["All"]}, bootstrap=0).for_segment().set_index("outcome_id")
    named = result.for_segment("role = All").set_index("outcome_id")
    pd.testing.assert_series_equal(named["opportunity"], alone["opportunity"])
    assert not everyone["n_importance"].equals(named["n_importance"])
    diff = segment_differences(s, "role", min_n=1)
    assert set(diff.table["segment"]) == {"role = All", "Ops", "VP", "(blank)"}


# --- the model refuses what is not an answer (issue 10 item 6) --------------------------


def test_from_frames_blanks_na_codes_and_refuses_off_scale_values():
    s = make_survey(
        {"O1": [5, 9, 2]}, {"O1": [1, 1, 1]}, scale=Scale.from_range(1, 5, na_codes=[9])
    )
    assert s.importance_codes[:, 0].tolist() == [5, MISSING_CODE, 2]
    assert row(score(s, bootstrap=0).table, "O1")["n_importance"] == 2
    with pytest.raises(ScaleError, match=r"outside the 1-5 scale: 9 \(1 answer\)"):
        make_survey({"O1": [5, 9, 2]}, {"O1": [1, 1, 1]})
    with pytest.raises(ScaleError, match=r"outside the 1-5 scale: 2.5"):
        make_survey({"O1": [5, 2.5]}, {"O1": [1, 1]})


def test_direct_construction_refuses_codes_off_the_scale():
    s = make_survey({"O1": [5, 4]}, {"O1": [1, 2]})
    bad = np.array([[5], [0]], dtype=np.int8)
    with pytest.raises(ScaleError, match="not points of the 1-5 scale: 0"):
        replace(s, importance_codes=bad)
    with pytest.raises(ValueError, match="int8"):
        replace(s, importance_codes=np.array([[5.0], [4.0]]))
    assert not s.importance_codes.flags.writeable


# --- coverage of the opportunity interval (issue 10 item 5) -----------------------------


def test_coverage_simulation_flags_where_the_interval_under_covers():
    # Small and near the edge of the scale: the percentile bootstrap under-covers, and
    # every such interval is flagged weak.
    edge = interval_coverage(15, 0.9, 0.9, replicates=200, bootstrap=200, seed=3)
    assert edge.overall < 0.9
    assert edge.weak_share == 1.0
    # Mid-range shares with enough answers: close to nominal, and not flagged.
    mid = interval_coverage(150, 0.6, 0.4, replicates=200, bootstrap=200, seed=4)
    assert mid.weak_share == 0.0
    assert mid.overall >= 0.91
