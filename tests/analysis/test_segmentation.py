"""Needs-based segmentation: planted segments are found, noise is not segmented, the demo's
hidden segment is recovered, the statistics match scipy, runs repeat."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency
from scipy.stats.contingency import association
from sklearn.metrics import adjusted_rand_score

from odi.analysis.segmentation import (
    SegmentationSettings,
    attribute_profile,
    chi_square,
    jaccard_stability,
    needs_features,
    search_k,
    segment,
    suggest_name,
)
from odi.analysis.segmentation.method import _ordered, parallel_analysis
from odi.analysis.segmentation.saved import (
    attach_segmentations,
    attach_segments_file,
    cluster_conditions,
    cluster_persona,
)
from odi.analysis.segmentation.simulate import planted_survey
from odi.analysis.unmet_needs import unmet_needs
from odi.importers import import_survey
from odi.personas import ClusterRef, Persona
from odi.scale import MISSING_CODE

ROOT = Path(__file__).resolve().parents[2]
FAST = {"ks": (2, 3, 4, 5), "resamples": 6}


@pytest.mark.parametrize("seed", [1, 2], ids=lambda s: f"seed{s}")
def test_three_planted_segments_are_recommended_and_recovered(seed):
    survey, truth = planted_survey(n=300, n_outcomes=30, k=3, per_segment=10, seed=seed)
    search = search_k(survey, seed=seed, **FAST)
    assert search.recommended_k == 3
    assert search.chosen_k == 3
    assert adjusted_rand_score(truth, search.assignment) >= 0.8
    assert search.chosen.stability >= 0.75


@pytest.mark.parametrize("seed", [1, 2], ids=lambda s: f"seed{s}")
def test_no_structure_gives_low_stability_and_no_recommendation(seed):
    survey, _ = planted_survey(n=300, n_outcomes=30, k=1, seed=seed)
    search = search_k(survey, seed=seed, **FAST)
    assert search.recommended_k is None
    assert search.table["stability"].max() < 0.5
    assert not search.table["qualifies"].any()
    assert any(r.startswith(("no structure", "no stable segments")) for r in search.reasons)
    # The k shown is the best-scoring one, since none was asked for.
    assert search.chosen_k in FAST["ks"]


def test_asked_k_is_used_even_when_another_is_recommended():
    survey, _ = planted_survey(n=200, n_outcomes=24, k=3, per_segment=8, seed=4)
    search = search_k(survey, k=4, **FAST)
    assert search.recommended_k == 3
    assert search.chosen_k == 4
    assert sorted(search.assignment.unique()) == ["C1", "C2", "C3", "C4"]


def test_same_seed_same_clusters_and_labels_by_size():
    survey, _ = planted_survey(n=200, n_outcomes=24, k=3, per_segment=8, seed=5)
    a = search_k(survey, seed=7, **FAST)
    b = search_k(survey, seed=7, **FAST)
    pd.testing.assert_series_equal(a.assignment, b.assignment)
    pd.testing.assert_frame_equal(a.table, b.table)
    sizes = a.assignment.value_counts().reindex(["C1", "C2", "C3"]).to_numpy()
    assert (np.diff(sizes) <= 0).all()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=60))
def test_labels_are_ordered_by_size_then_first_appearance(raw):
    labels = _ordered(np.array(raw), 5)
    sizes = np.bincount(labels, minlength=5)
    assert (np.diff(sizes) <= 0).all()
    # Same partition: relabelling keeps who is with whom.
    assert adjusted_rand_score(raw, labels) == pytest.approx(1.0)
    firsts = [np.flatnonzero(labels == c)[0] for c in range(5) if sizes[c]]
    for c in range(len(firsts) - 1):
        if sizes[c] == sizes[c + 1]:
            assert firsts[c] < firsts[c + 1]


def test_demo_default_settings_find_the_data_starved_members():
    data = (ROOT / "surveys" / "pipeline_demo.csv").read_bytes()
    survey = import_survey(data, source="pipeline_demo.csv").survey
    truth = json.loads((ROOT / "surveys" / "pipeline_demo_truth.json").read_text())
    members = set(truth["needs_segment_members"])
    planted = set(truth["planted"]["needs_segment"]["outcomes"])
    run = segment(survey, bootstrap=0)
    # Default settings: a recommendation, and the recommended k is the one used.
    assert run.recommended_k is not None
    assert run.k == run.recommended_k
    starved = run.assignment.index.isin(list(members))
    jaccards = {}
    for label in run.assignment.unique():
        mine = (run.assignment == label).to_numpy()
        jaccards[label] = (mine & starved).sum() / (mine | starved).sum()
    best = max(jaccards, key=jaccards.__getitem__)
    # The classifier that knows the seven planted outcomes and the exact answer
    # distributions reaches 0.99 on this file (0.73 from top-box indicators alone).
    assert jaccards[best] >= 0.75, jaccards
    profile = next(p for p in run.profiles if p.label == best)
    assert planted <= set(profile.distinctive_needs), profile.distinctive_needs
    # Titles hide it: the cluster does not depend on role.
    role = profile.attribute_tests.set_index("attribute").loc["role"]
    assert role["p_value"] > 0.01
    assert role["cramers_v"] < 0.15


def test_missing_answers_are_imputed_within_the_outcome_and_empty_outcomes_dropped():
    survey, _ = planted_survey(n=60, n_outcomes=10, k=2, per_segment=4, seed=1, missing=0.1)
    codes = survey.importance_codes.copy()
    codes[:, survey.outcomes.index.get_loc("O010")] = MISSING_CODE  # every answer blank
    s = replace(survey, importance_codes=codes)
    f = needs_features(s)
    assert f.dropped_outcomes == ("O010",)
    assert 0.1 < f.imputed_share < 0.3
    assert np.isfinite(f.matrix).all()


def test_parallel_analysis_counts_the_planted_dimensions():
    survey, _ = planted_survey(n=400, n_outcomes=24, k=3, per_segment=8, seed=3)
    assert needs_features(survey).above_noise == 2
    noise, _ = planted_survey(n=400, n_outcomes=24, k=1, seed=3)
    # Parallel analysis is itself an estimate: noise may show one component by chance
    # (the stability and silhouette checks then refuse it).
    assert needs_features(noise).above_noise <= 1
    rng = np.random.default_rng(0)
    assert parallel_analysis(rng.normal(size=(300, 8))) == 0


@pytest.mark.parametrize(
    "table",
    [
        [[30, 10], [20, 40]],
        [[12, 5, 9], [3, 14, 20]],
        [[8, 0, 2, 11], [1, 7, 6, 4], [5, 5, 5, 5]],
    ],
    ids=["2x2", "2x3", "3x4"],
)
def test_chi_square_and_cramers_v_match_scipy(table):
    chi2, p, v = chi_square(np.array(table))
    ref = chi2_contingency(np.array(table), correction=False)
    assert chi2 == pytest.approx(ref.statistic, rel=1e-12)
    assert p == pytest.approx(ref.pvalue, rel=1e-12)
    assert v == pytest.approx(association(np.array(table), method="cramer"), rel=1e-12)


def test_chi_square_hand_checked():
    # Expected counts 20/20/30/30 (n = 100): chi2 = 100/20 + 100/20 + 100/30 + 100/30.
    chi2, _, v = chi_square(np.array([[30, 10], [20, 40]]))
    assert chi2 == pytest.approx(5 + 5 + 10 / 3 + 10 / 3)
    assert v == pytest.approx(np.sqrt(chi2 / 100))


def test_attribute_profile_over_index_and_tests():
    respondents = pd.DataFrame({"role": ["VP"] * 30 + ["SDR"] * 10 + ["VP"] * 20 + ["SDR"] * 40})
    in_cluster = np.array([True] * 40 + [False] * 60)
    values, tests = attribute_profile(respondents, in_cluster, attributes=["role"])
    vp = values.set_index("value").loc["VP"]
    assert vp["share_cluster"] == pytest.approx(0.75)
    assert vp["share_all"] == pytest.approx(0.5)
    assert vp["over_index"] == pytest.approx(150.0)
    ref = chi2_contingency(np.array([[10, 30], [40, 20]]), correction=False)
    assert tests.iloc[0]["chi2"] == pytest.approx(ref.statistic)
    assert tests.iloc[0]["dof"] == 1


def test_jaccard_stability_counts_each_resampled_respondent_once():
    full = np.array([0, 0, 0, 1, 1, 1])
    index = np.array([0, 0, 1, 3, 4, 4])
    boot = np.array([1, 1, 1, 0, 0, 0])
    assert jaccard_stability(full, boot, index, 2).tolist() == [1.0, 1.0]
    boot = np.array([0, 0, 1, 1, 1, 1])
    # Cluster 0 seen as {0, 1}: best match {0} (1/2) or {1, 3, 4} (1/4); cluster 1 {3, 4}.
    assert jaccard_stability(full, boot, index, 2).tolist() == [0.5, 2 / 3]


@pytest.mark.parametrize(
    ("statement", "name"),
    [
        (
            "Minimize the time it takes to get content through legal review",
            "Get content through legal review",
        ),
        ("Increase the likelihood that a forecast holds", "A forecast holds"),
        ("Know which channel works", "Know which channel works"),
    ],
    ids=["time", "likelihood", "plain"],
)
def test_suggested_names_keep_the_object_of_control(statement, name):
    assert suggest_name(statement) == name


def test_bad_settings_and_tiny_surveys_are_clear_errors():
    with pytest.raises(ValueError, match="ks must be"):
        SegmentationSettings(ks=(1, 2))
    with pytest.raises(ValueError, match="resamples must be"):
        SegmentationSettings(resamples=1)
    with pytest.raises(ValueError, match="unknown key"):
        SegmentationSettings.from_dict({"kk": 3})
    survey, _ = planted_survey(n=3, n_outcomes=4, k=1)
    with pytest.raises(ValueError, match="at least 4 respondents"):
        search_k(survey)


def test_cluster_persona_scores_the_saved_assignment_not_a_rerun():
    survey, truth = planted_survey(n=120, n_outcomes=12, k=2, per_segment=6, seed=2)
    s = attach_segmentations(survey, {"7": truth.str.replace("P", "C")})
    persona = Persona(id="c1", name="C1", cluster=ClusterRef(segmentation="7", cluster="C1"))
    needs = unmet_needs(s, persona, bootstrap=0, replicate=False)
    same = unmet_needs(
        s,
        Persona(id="a", name="A", segment={"needs segments 7": ["C1"]}),
        bootstrap=0,
        replicate=False,
    )
    assert needs.n_respondents == int((truth == "P1").sum())
    pd.testing.assert_frame_equal(needs.table, same.table)
    # Cluster AND attribute conditions both apply.
    vp = replace(persona, segment={"role": ("VP",)})
    assert unmet_needs(s, vp, bootstrap=0, replicate=False).n_respondents < needs.n_respondents
    # A segmentation the study does not carry is a clear error, not "not supported yet".
    gone = Persona(id="g", name="G", cluster=ClusterRef(segmentation="99", cluster="C1"))
    with pytest.raises(ValueError, match="saved segmentation 99"):
        unmet_needs(s, gone, bootstrap=0)
    with pytest.raises(ValueError, match="which this study does not have"):
        cluster_conditions(ClusterRef("99", "C1"), survey.respondents)


def test_cluster_persona_fills_inferred_fields_from_the_profile():
    survey, _ = planted_survey(n=150, n_outcomes=12, k=2, per_segment=6, seed=3)
    run = segment(survey, ks=(2,), resamples=3, bootstrap=0)
    p = run.profiles[0]
    persona = cluster_persona(p, segmentation_id=4, taken=[])
    assert persona.cluster == ClusterRef("4", p.label)
    assert persona.titles
    assert persona.is_inferred("titles")
    assert persona.is_inferred("context")
    assert "validate" in persona.inferred["titles"]
    assert set(persona.titles) <= {"VP", "Manager", "Analyst"}
    assert Persona.from_dict(persona.to_dict()) == persona


def test_segments_file_becomes_an_attribute():
    survey, truth = planted_survey(n=20, n_outcomes=6, k=2, per_segment=3)
    csv = truth.rename("needs").reset_index().to_csv(index=False).encode()
    s = attach_segments_file(survey, csv, "seg.csv")
    assert s.respondents["needs"].tolist() == truth.tolist()
    with pytest.raises(ValueError, match="two columns, respondent_id"):
        attach_segments_file(survey, b"id,segment\nR1,C1\n", "seg.csv")
    with pytest.raises(ValueError, match="none of its 1 respondent ids"):
        attach_segments_file(survey, b"respondent_id,x\nnobody,C1\n", "seg.csv")
    with pytest.raises(ValueError, match="already has an attribute 'role'"):
        attach_segments_file(survey, b"respondent_id,role\nR00001,C1\n", "seg.csv")
