"""Segment-vs-rest two-proportion tests with Benjamini-Hochberg adjustment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from odi.analysis.scoring import score
from odi.analysis.significance import bh_adjust, segment_differences, two_proportion_ztest
from odi.scale import Scale
from odi.survey import Survey

NAN = float("nan")


# --------------------------------------------------------------------------- the z-test


@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2", "z", "p"),
    [
        # pooled p = .525, se = sqrt(.525 * .475 * (1/100 + 1/100)) = .070622, z = .15 / se
        (60, 100, 45, 100, 2.1240, 0.03367),
        # p1 = 8/9, p2 = 3/12, pooled 11/21, se = .220229, z = .638889 / se
        (8, 9, 3, 12, 2.9010, 0.003720),
        # the same samples the other way round: z changes sign, p does not
        (3, 12, 8, 9, -2.9010, 0.003720),
        (5, 10, 10, 20, 0.0, 1.0),
    ],
    ids=["60of100-vs-45of100", "8of9-vs-3of12", "reversed", "equal-shares"],
)
def test_hand_computed_z_and_p(k1, n1, k2, n2, z, p):
    got_z, got_p = two_proportion_ztest(
        np.array([k1]), np.array([n1]), np.array([k2]), np.array([n2])
    )
    assert got_z[0] == pytest.approx(z, abs=1e-4)
    assert got_p[0] == pytest.approx(p, abs=1e-5)


def test_degenerate_samples():
    z, p = two_proportion_ztest(
        np.array([0, 7, 0, 0]),
        np.array([10, 7, 0, 5]),
        np.array([0, 9, 3, 0]),
        np.array([20, 9, 5, 0]),
    )
    assert (z[0], p[0]) == (0.0, 1.0)  # nobody in the top box on either side
    assert (z[1], p[1]) == (0.0, 1.0)  # everybody
    assert np.isnan(z[2:]).all()  # an empty sample cannot be compared
    assert np.isnan(p[2:]).all()


def test_successes_above_trials_are_rejected():
    with pytest.raises(ValueError, match="successes must be at most the trials"):
        two_proportion_ztest(np.array([11]), np.array([10]), np.array([1]), np.array([10]))


@settings(max_examples=60, deadline=None)
@given(
    n1=st.integers(2, 400),
    n2=st.integers(2, 400),
    f1=st.floats(0, 1),
    f2=st.floats(0, 1),
)
def test_z_squared_is_the_uncorrected_chi_square(n1, n2, f1, f2):
    k1, k2 = round(f1 * n1), round(f2 * n2)
    if k1 + k2 in (0, n1 + n2):
        return  # chi-square is undefined with an empty margin
    z, p = two_proportion_ztest(np.array([k1]), np.array([n1]), np.array([k2]), np.array([n2]))
    chi2, p_chi, _, _ = chi2_contingency([[k1, n1 - k1], [k2, n2 - k2]], correction=False)
    assert z[0] ** 2 == pytest.approx(chi2, rel=1e-9, abs=1e-9)
    assert p[0] == pytest.approx(p_chi, rel=1e-7, abs=1e-12)


# --------------------------------------------------------------------------- BH


def test_bh_hand_example():
    # sorted: .005 .01 .03 .04; p * m / rank = .02 .02 .04 .04; running min from the top
    got = bh_adjust(np.array([0.01, 0.04, 0.03, 0.005]))
    np.testing.assert_allclose(got, [0.02, 0.04, 0.04, 0.02])


def test_bh_keeps_nan_out_of_the_family():
    got = bh_adjust(np.array([0.01, NAN, 0.04]))
    np.testing.assert_allclose(got, [0.02, NAN, 0.04])
    assert np.isnan(bh_adjust(np.array([NAN, NAN]))).all()


def test_bh_rejects_non_probabilities():
    with pytest.raises(ValueError, match="between 0 and 1"):
        bh_adjust(np.array([0.2, 1.5]))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=60))
def test_bh_is_at_least_raw_at_most_one_and_monotone(ps):
    raw = np.array(ps)
    adj = bh_adjust(raw)
    assert (adj >= raw - 1e-12).all()
    assert (adj <= 1 + 1e-12).all()
    order = np.argsort(raw, kind="stable")
    assert (np.diff(adj[order]) >= -1e-12).all()


# --------------------------------------------------------------------------- segments


def tiny_survey() -> Survey:
    # A: 10 respondents, importance 8 top-box of 9 valid (one blank)
    # B: 12 respondents, importance 3 top-box of 12
    imp = [5, 5, 4, 4, 5, 4, 5, 4, 2, NAN] + [5, 4, 4] + [1] * 9
    sat = [1] * 10 + [1] * 12
    return Survey.from_frames(
        outcomes=pd.DataFrame({"statement": ["Minimize x"]}, index=["O1"]),
        importance=pd.DataFrame({"O1": imp}),
        satisfaction=pd.DataFrame({"O1": sat}),
        respondents=pd.DataFrame({"team": ["A"] * 10 + ["B"] * 12}),
        scale=Scale.from_range(1, 5),
    )


def test_segment_against_the_rest_by_hand():
    comp = segment_differences(tiny_survey(), "team", min_n=5)
    row = comp.table.set_index(["segment", "measure"]).loc[("A", "importance")]
    assert (row["n_segment"], row["n_rest"]) == (9, 12)
    assert row["share_segment"] == pytest.approx(8 / 9)
    assert row["share_rest"] == pytest.approx(3 / 12)
    assert row["z"] == pytest.approx(2.9010, abs=1e-4)
    assert row["p_value"] == pytest.approx(0.003720, abs=1e-5)
    # One family over the whole table: 2 segments x 1 outcome x 2 sides = 4 tests, with
    # p = 0.00372 (A and B importance, the same test seen from each side) and 1, 1. BH:
    # the second smallest p times 4 / 2.
    assert comp.family_size == 4
    assert row["p_adjusted"] == pytest.approx(2 * row["p_value"])
    assert bool(row["significant"])
    other = comp.table.set_index(["segment", "measure"]).loc[("B", "importance")]
    assert other["z"] == pytest.approx(-2.9010, abs=1e-4)
    sat = comp.table.set_index(["segment", "measure"]).loc[("A", "satisfaction")]
    assert (sat["z"], sat["p_value"], bool(sat["significant"])) == (0.0, 1.0, False)


def test_opportunity_comes_from_score(study):
    comp = segment_differences(study, "role")
    scored = score(study, by="role", bootstrap=0)
    t = comp.table[comp.table["measure"] == "importance"].set_index(["segment", "outcome_id"])
    for seg in ("VP", "Manager"):
        expected = scored.for_segment(seg).set_index("outcome_id")["opportunity"]
        got = t.xs(seg)["opportunity_segment"]
        np.testing.assert_allclose(got, expected.reindex(got.index))
    overall = scored.for_segment("All").set_index("outcome_id")["opportunity"]
    np.testing.assert_allclose(t.xs("VP")["opportunity_overall"], overall.reindex(t.xs("VP").index))
    np.testing.assert_allclose(
        t["opportunity_difference"], t["opportunity_segment"] - t["opportunity_overall"]
    )


def test_counts_split_the_valid_answers(study):
    comp = segment_differences(study, "role")
    t = comp.table
    valid = {m: getattr(study, m).notna().sum() for m in ("importance", "satisfaction")}
    for (measure, oid), grp in t.groupby(["measure", "outcome_id"]):
        assert ((grp["n_segment"] + grp["n_rest"]) == valid[measure][oid]).all()
        assert grp["n_segment"].sum() == valid[measure][oid]  # every respondent has a role


def test_the_planted_vp_effect_is_found_and_noise_mostly_is_not(study):
    comp = segment_differences(study, "role")
    t = comp.table.set_index(["segment", "measure", "outcome_id"]).sort_index()
    vp_imp = t.xs(("VP", "importance"))
    planted = [f"O{i}" for i in range(1, 11)]
    assert vp_imp.loc[planted, "significant"].all()
    assert (vp_imp.loc[planted, "z"] > 0).all()
    others = vp_imp.drop(index=planted)
    assert others["significant"].mean() < 0.05
    tested = t["p_adjusted"].notna()
    assert (t.loc[tested, "p_adjusted"] >= t.loc[tested, "p_value"] - 1e-12).all()
    assert tested.sum() == comp.family_size == (~t["small_n"] & t["p_value"].notna()).sum()


def test_small_segments_are_never_significant(study):
    comp = segment_differences(study, "role", min_n=30)
    sdr = comp.table[comp.table["segment"] == "SDR"]
    assert sdr["small_n"].all()
    assert not sdr["significant"].any()
    segs = comp.segments.set_index("segment")
    assert bool(segs.loc["SDR", "small"])
    assert int(segs.loc["SDR", "n_respondents"]) == 24
    assert comp.n_by_segment["All"] == 600
    assert comp.n_by_segment["SDR"] == 24


def test_matrices_for_the_heatmap(study):
    comp = segment_differences(study, "role")
    opp = comp.matrix("opportunity", include_overall=True)
    diff = comp.matrix("difference")
    sig = comp.significance_matrix()
    assert list(opp.columns) == ["All", "Director", "Manager", "SDR", "VP"]
    assert list(diff.columns) == list(sig.columns) == ["Director", "Manager", "SDR", "VP"]
    assert opp.shape == (150, 5)
    assert list(diff.index) == list(sig.index) == list(opp.index)
    assert (np.diff(opp["All"].to_numpy()) <= 0).all()  # rows by overall opportunity
    np.testing.assert_allclose(diff["VP"], opp["VP"] - opp["All"])
    assert sig.dtypes.eq(bool).all()
    assert sig.loc[[f"O{i}" for i in range(1, 11)], "VP"].all()
    with pytest.raises(ValueError, match="mode must be"):
        comp.matrix("ratio")  # type: ignore[arg-type]


def test_where_restricts_segments_rest_and_overall(study):
    comp = segment_differences(study, "role", where={"role": ["VP", "Manager"]})
    assert list(comp.segments["segment"]) == ["Manager", "VP"]
    assert comp.n_by_segment["All"] == 376
    vp = comp.table[(comp.table["segment"] == "VP") & (comp.table["measure"] == "importance")]
    assert (vp["n_rest"] <= 300).all()


def test_blank_attribute_values_are_a_segment():
    s = tiny_survey()
    resp = s.respondents.copy()
    resp.iloc[:3, 0] = np.nan
    s = Survey.from_frames(
        outcomes=s.outcomes,
        importance=s.importance,
        satisfaction=s.satisfaction,
        respondents=resp,
        scale=s.scale,
    )
    comp = segment_differences(s, "team", min_n=0)
    assert list(comp.segments["segment"]) == ["A", "B", "(blank)"]
    assert comp.n_by_segment["(blank)"] == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"by": "nope"}, "does not exist"),
        ({"by": "role", "alpha": 1.5}, "alpha must be"),
        ({"by": "role", "min_n": -1}, "min_n must be"),
    ],
    ids=["unknown-attribute", "alpha", "min_n"],
)
def test_bad_arguments_are_explained(study, kwargs, message):
    with pytest.raises(ValueError, match=message):
        segment_differences(study, **kwargs)


# --------------------------------------------------------------------------- whole table


def null_survey(rng: np.random.Generator, *, n: int, outcomes: int, segments: int) -> Survey:
    """No real difference: every respondent answers top box with the outcome's own
    probability, whatever their segment."""
    ids = [f"O{i}" for i in range(outcomes)]
    p_imp = rng.uniform(0.2, 0.8, size=outcomes)
    p_sat = rng.uniform(0.2, 0.8, size=outcomes)
    imp = np.where(rng.random((n, outcomes)) < p_imp, 5.0, 2.0)
    sat = np.where(rng.random((n, outcomes)) < p_sat, 5.0, 2.0)
    labels = np.array([f"S{i}" for i in range(segments)])[rng.integers(0, segments, n)]
    return Survey.from_frames(
        outcomes=pd.DataFrame({"statement": ids}, index=ids),
        importance=pd.DataFrame(imp, columns=ids),
        satisfaction=pd.DataFrame(sat, columns=ids),
        respondents=pd.DataFrame({"segment": labels}),
        scale=Scale.from_range(1, 5),
    )


def test_the_family_is_the_whole_table(study):
    comp = segment_differences(study, "role", min_n=30)
    t = comp.table
    tested = ~t["small_n"] & t["p_value"].notna()
    assert comp.family_size == int(tested.sum())
    np.testing.assert_allclose(
        t.loc[tested, "p_adjusted"], bh_adjust(t.loc[tested, "p_value"].to_numpy())
    )
    assert t.loc[~tested, "p_adjusted"].isna().all()
    assert f"all {comp.family_size:,} tests shown" in comp.family
    assert "4 segments" in comp.family
    # The heatmap marks exactly the cells the table calls significant.
    sig = comp.significance_matrix()
    marked = t.groupby(["outcome_id", "segment"])["significant"].any()
    for (oid, seg), value in marked.items():
        assert bool(sig.loc[oid, seg]) == bool(value)


def test_null_false_discovery_rate_over_the_whole_heatmap_is_at_most_nominal():
    """A pure-noise 6-segment heatmap: under the null every discovery is false, so the FDR
    is the chance of any cell marked significant. Per segment and side it was about 0.4;
    over the whole table it must be at most 0.05 (up to simulation error: 60 runs, so
    the bound checked is 0.05 plus 2.5 standard errors; the larger run is in
    benchmarks/bench_significance.py)."""
    rng = np.random.default_rng(1130)
    runs = 60
    any_whole = any_per_segment = 0
    for _ in range(runs):
        survey = null_survey(rng, n=300, outcomes=8, segments=6)
        comp = segment_differences(survey, "segment", min_n=20)
        any_whole += bool(comp.table["significant"].any())
        # The old family (one segment's outcomes on one side), from the same p-values.
        per = comp.table.groupby(["segment", "measure"])["p_value"].transform(
            lambda p: bh_adjust(p.to_numpy())
        )
        any_per_segment += bool((per < comp.alpha).any())
    whole, per_segment = any_whole / runs, any_per_segment / runs
    bound = 0.05 + 2.5 * np.sqrt(0.05 * 0.95 / runs)
    assert whole <= bound
    assert per_segment > bound  # the check can fail: the old families exceed it
