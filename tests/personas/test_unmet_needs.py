"""Unmet needs from a persona's segment: threshold, ranking, pins and hides, small n,
ICP, replication and the side-by-side comparison. Reference numbers are by hand from the
top-box shares in conftest.SPEC (e.g. VP Sales on O1: 54/60 top-box importance = 9.0,
6/60 satisfaction = 1.0, opportunity 9 + 8 = 17)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odi.analysis.unmet_needs import NEEDS_COLUMNS, compare_personas, unmet_needs
from odi.personas import ICP, ClusterRef, Persona
from odi.scale import Scale
from odi.survey import Survey


def ids(frame: pd.DataFrame) -> list[str]:
    return frame["outcome_id"].tolist()


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [(10.0, ["O1", "O2", "O6"]), (12.0, ["O1", "O2"]), (13.0, ["O1", "O2"]), (17.5, [])],
    ids=["default-10", "12", "13-inclusive", "above-all"],
)
def test_threshold_and_ranking(
    survey: Survey, vp: Persona, threshold: float, expected: list[str]
) -> None:
    u = unmet_needs(survey, vp, threshold=threshold, bootstrap=200)
    assert ids(u.table) == expected
    assert u.table["rank"].tolist() == list(range(1, len(expected) + 1))
    assert list(u.table.columns) == list(NEEDS_COLUMNS)


def test_scores_intervals_and_n_are_reported(survey: Survey, vp: Persona) -> None:
    u = unmet_needs(survey, vp)
    t = u.table.set_index("outcome_id")
    assert t.loc["O1", ["importance", "satisfaction", "opportunity"]].tolist() == [9.0, 1.0, 17.0]
    assert t.loc["O2", "opportunity"] == pytest.approx(13.0)
    assert t.loc["O6", "opportunity"] == pytest.approx(10.5)
    assert (t["n_importance"] == 60).all()
    assert (t["n_satisfaction"] == 60).all()
    assert (t["opportunity_low"] <= t["opportunity"]).all()
    assert (t["opportunity"] <= t["opportunity_high"]).all()
    assert t.loc["O6", "crosses_threshold"]
    assert not t.loc["O1", "crosses_threshold"]
    assert u.n_respondents == 60
    assert u.definition == "role = VP Sales"
    assert u.warnings == ()
    assert not u.small_sample
    assert len(u.scores) == survey.n_outcomes


def test_same_seed_same_result(survey: Survey, vp: Persona) -> None:
    a = unmet_needs(survey, vp, seed=3)
    b = unmet_needs(survey, vp, seed=3)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.replication.table, b.replication.table)  # type: ignore[union-attr]


def test_pins_are_always_listed(survey: Survey, vp: Persona) -> None:
    u = unmet_needs(survey, vp.pin(["O3", "O1"]))
    t = u.table.set_index("outcome_id")
    assert ids(u.table) == ["O1", "O2", "O6", "O3"]  # O3 (O = 8) is listed, last by score
    assert t.loc["O3", "pinned"]
    assert t.loc["O3", "below_threshold"]
    assert t.loc["O1", "pinned"]
    assert not t.loc["O1", "below_threshold"]
    assert not t.loc["O2", "pinned"]
    assert ids(u.unmet) == ["O1", "O2", "O6"]


def test_hides_are_removed_and_listed_with_reason(survey: Survey, vp: Persona) -> None:
    u = unmet_needs(survey, vp.hide("O2", "Covered by the 2026 roadmap").hide("O4", "n/a"))
    assert ids(u.table) == ["O1", "O6"]
    hidden = u.hidden.set_index("outcome_id")
    assert hidden.loc["O2", "reason"] == "Covered by the 2026 roadmap"
    assert bool(hidden.loc["O2", "unmet"])
    assert not bool(hidden.loc["O4", "unmet"])
    assert hidden.loc["O2", "opportunity"] == pytest.approx(13.0)


def test_pins_and_hides_survive_rescoring_and_reimport(build, survey: Survey, vp: Persona) -> None:
    p = vp.pin(["O3", "O6"]).hide("O2", "later")
    everything = survey.outcomes["statement"].to_dict()
    statements = {k: v for k, v in everything.items() if k != "O6"}
    reordered = dict(reversed(list(statements.items())))
    reimported = build(statements=reordered)
    u = unmet_needs(reimported, p.hide("O9", "gone"), threshold=12.0, seed=7)
    assert ids(u.table) == ["O1", "O3"]
    assert u.table.set_index("outcome_id").loc["O3", "pinned"]
    assert u.unknown_pins == ("O6",)
    assert u.unknown_hides == ("O9",)
    assert any("O6 are not in this survey" in w for w in u.warnings)
    assert any("O9 are not in this survey" in w for w in u.warnings)
    assert ids(u.hidden) == ["O2"]


def test_small_segment_warns(survey: Survey) -> None:
    cfo = Persona(id="cfo", name="The CFO", segment={"role": ["CFO"]})
    u = unmet_needs(survey, cfo)
    assert u.n_respondents == 12
    assert u.small_sample
    assert "only 12 respondents" in u.warnings[0]
    assert "fewer than 30" in u.warnings[0]
    assert u.table["small_n"].all()
    assert ids(u.table) == ["O5", "O2"]  # O 20 and 12.5
    relaxed = unmet_needs(survey, cfo, min_n=10)
    assert not relaxed.small_sample
    assert relaxed.warnings == (
        "each random half has fewer than 10 respondents, so the split-half check has little "
        "power: real needs near the threshold often fail it",
    )


def test_icp_and_persona_both_filter(survey: Survey, vp: Persona) -> None:
    u = unmet_needs(survey, vp, icp=ICP({"company_size": ["SMB"]}))
    assert u.n_respondents == 40  # every third VP is Enterprise
    assert u.conditions == {"company_size": ["SMB"], "role": ["VP Sales"]}
    assert u.definition == "company_size = SMB and role = VP Sales"


def test_values_nobody_has_are_reported_not_fatal(survey: Survey) -> None:
    p = Persona(id="intern", name="Intern", segment={"role": ["Intern"]})
    u = unmet_needs(survey, p)
    assert u.n_respondents == 0
    assert u.table.empty
    assert u.replication is None
    assert any("no respondents match" in w for w in u.warnings)
    assert any("no respondent has role = 'Intern'" in w for w in u.warnings)
    mixed = unmet_needs(survey, Persona(id="m", name="M", segment={"role": ["sdr", "Intern"]}))
    assert mixed.n_respondents == 50  # case forgiven, the unknown value reported
    assert mixed.excluded_values == {"role": ("Intern",)}


@pytest.mark.parametrize(
    ("persona", "message"),
    [
        (
            Persona(id="a", name="A", segment={"seniority": ["VP"]}),
            "persona 'A' segment column 'seniority' does not exist; the attribute columns are: "
            "role, company_size",
        ),
        (
            Persona(id="b", name="B", cluster=ClusterRef("km", "1")),
            "saved segmentation km, which this study does not have",
        ),
    ],
    ids=["unknown-column", "cluster-not-saved"],
)
def test_bad_segments_raise(survey: Survey, persona: Persona, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        unmet_needs(survey, persona)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"threshold": 21}, "threshold must be between 0 and 20"), ({"top_n": 0}, "top_n must")],
    ids=["threshold", "top-n"],
)
def test_bad_settings_raise(
    survey: Survey, vp: Persona, kwargs: dict[str, float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        unmet_needs(survey, vp, **kwargs)  # type: ignore[arg-type]


def test_split_half_check_of_strong_needs(survey: Survey, vp: Persona) -> None:
    u = unmet_needs(survey, vp, top_n=10, bootstrap=200)
    rep = u.replication
    assert rep is not None
    assert rep.n_half_a + rep.n_half_b == 60
    assert abs(rep.n_half_a - rep.n_half_b) <= 1
    assert rep.splits == 20
    t = rep.table.set_index("outcome_id")
    # The full list is shown beside; what the first split found on its discovery half
    # is confirmed on the other half.
    assert set(t.index[t["in_full_list"]]) == {"O1", "O2", "O6"}
    row = t.loc["O1"]
    assert row["found"]
    assert row["held"]
    assert row["opportunity_discovery"] >= 10
    assert row["opportunity_confirmation"] >= 10
    assert row["confirmation_low"] <= row["opportunity_confirmation"] <= row["confirmation_high"]
    assert row["share_held"] == 1.0
    found = t.loc[t["found"]]
    assert rep.checked == len(found)
    assert rep.replicated == int((found["opportunity_confirmation"] >= 10).sum())
    assert (t["share_held"] <= t["share_found"]).all()
    assert rep.summary.startswith(f"Split-half check: of {rep.checked} needs found")
    assert "untouched half" in rep.summary
    assert "does not show" in rep.explanation
    assert unmet_needs(survey, vp, top_n=1).replication.checked == 1  # type: ignore[union-attr]


def test_replication_catches_a_need_carried_by_some_respondents(build) -> None:
    # 40 VPs: half rate O1 top box for importance, half bottom; nobody is satisfied.
    # Overall I = 5, S = 0, O = 10 (just unmet); a random half holding fewer than 10 of
    # the first group falls below 10. O2 is unmet for everyone (O = 20).
    n = 40
    imp = pd.DataFrame({"O1": [5.0] * 20 + [1.0] * 20, "O2": [5.0] * n})
    sat = pd.DataFrame({"O1": [1.0] * n, "O2": [1.0] * n})
    idx = [f"r{i}" for i in range(n)]
    s = Survey.from_frames(
        outcomes=pd.DataFrame({"statement": ["carried", "shared"]}, index=["O1", "O2"]),
        importance=imp.set_axis(idx),
        satisfaction=sat.set_axis(idx),
        respondents=pd.DataFrame({"role": ["VP"] * n}, index=idx),
        scale=Scale.from_range(1, 5),
    )
    p = Persona(id="vp", name="VP", segment={"role": ["VP"]})
    results = [unmet_needs(s, p, seed=seed, bootstrap=0).replication for seed in range(10)]
    carried = [r.table.set_index("outcome_id").loc["O1", "replicated"] for r in results]  # type: ignore[union-attr]
    shared = [r.table.set_index("outcome_id").loc["O2", "replicated"] for r in results]  # type: ignore[union-attr]
    assert all(shared)
    assert not all(carried)


def test_compare_personas_side_by_side(survey: Survey, vp: Persona, sdr: Persona) -> None:
    a = unmet_needs(survey, vp, bootstrap=100)
    b = unmet_needs(survey, sdr, bootstrap=100)
    cmp = compare_personas(a, b)
    t = cmp.table.set_index("outcome_id")
    assert set(t.index) == {"O1", "O2", "O6", "O3", "O4"}
    assert t.loc["O3", "opportunity_a"] == pytest.approx(8.0)
    assert t.loc["O3", "opportunity_b"] == pytest.approx(16.0)
    assert t.loc["O3", "difference"] == pytest.approx(-8.0)
    assert np.isnan(t.loc["O3", "rank_a"])
    assert t.loc["O3", "rank_b"] == 1
    assert t.loc["O1", "listed_a"]
    assert not t.loc["O1", "listed_b"]
    assert not t["in_both"].any()
    assert cmp.table["outcome_id"].iloc[0] == "O1"  # sorted by the larger opportunity (17)
    labelled = cmp.labelled()
    assert f"opportunity ({vp.name})" in labelled.columns
    assert f"rank ({sdr.name})" in labelled.columns


@st.composite
def surveys_and_personas(draw: st.DrawFn) -> tuple[Survey, Persona, float]:
    n = draw(st.integers(min_value=2, max_value=30))
    k = draw(st.integers(min_value=1, max_value=6))
    answers = st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, np.nan]), min_size=n, max_size=n)
    outcomes = [f"O{j}" for j in range(k)]
    idx = [f"r{i}" for i in range(n)]
    imp = pd.DataFrame({o: draw(answers) for o in outcomes}, index=idx)
    sat = pd.DataFrame({o: draw(answers) for o in outcomes}, index=idx)
    roles = draw(st.lists(st.sampled_from(["A", "B"]), min_size=n, max_size=n))
    s = Survey.from_frames(
        outcomes=pd.DataFrame({"statement": outcomes}, index=outcomes),
        importance=imp,
        satisfaction=sat,
        respondents=pd.DataFrame({"role": roles}, index=idx),
        scale=Scale.from_range(1, 5),
    )
    pins = draw(st.lists(st.sampled_from([*outcomes, "gone"]), unique=True, max_size=2))
    hides = [
        o
        for o in draw(st.lists(st.sampled_from(outcomes), unique=True, max_size=2))
        if o not in pins
    ]
    p = Persona(
        id="p",
        name="P",
        segment={"role": [roles[0]]},
        pins=tuple(pins),
        hides=dict.fromkeys(hides, "why"),
    )
    return s, p, draw(st.sampled_from([8.0, 10.0, 12.0]))


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(surveys_and_personas())
def test_unmet_needs_invariants(case: tuple[Survey, Persona, float]) -> None:
    s, p, threshold = case
    u = unmet_needs(s, p, threshold=threshold, bootstrap=0)
    t = u.table
    opp = t["opportunity"].to_numpy(dtype=float)
    # Listed: at or above the threshold, or pinned; never hidden; ranked 1..n by score.
    assert ((opp >= threshold) | t["pinned"].to_numpy()).all()
    assert not set(t["outcome_id"]) & set(p.hides)
    assert t["rank"].tolist() == list(range(1, len(t) + 1))
    finite = opp[~np.isnan(opp)]
    assert (np.diff(finite) <= 0).all()
    # Every outcome at or above the threshold is either listed or hidden.
    scores = u.scores.set_index("outcome_id")["opportunity"]
    over = set(scores[scores >= threshold].index)
    assert over <= set(t["outcome_id"]) | set(p.hides)
    # Every pin the survey has is listed; the others are reported.
    assert {x for x in p.pins if x != "gone"} <= set(t["outcome_id"])
    assert u.unknown_pins == (("gone",) if "gone" in p.pins else ())
    assert set(u.hidden["outcome_id"]) == set(p.hides)
    assert (t["below_threshold"] == ~(opp >= threshold)).all()
