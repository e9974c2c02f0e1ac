"""The opportunity landscape figure: fixed axes, zones, points, labels, hover, comparison."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from odi.analysis.scoring import ZONES, Thresholds, zone_of
from odi.charts import ZONE_STYLES, landscape_figure, zone_label
from odi.charts.labels import overlaps, place_labels
from odi.charts.landscape import MARKER_PX, label_boxes

ROLE_OUTCOME = "outcome"


def outcome_traces(fig):
    return [
        t
        for t in fig.data
        if t.customdata is not None and len(t.customdata) and t.customdata[0][1] == ROLE_OUTCOME
    ]


def zone_traces(fig):
    names = {zone_label(z): z for z in ZONES}
    return {names[t.name]: t for t in fig.data if t.name in names}


def labels(fig):
    """outcome id -> label text, from the annotations named "label:<id>"."""
    return {
        a.name.removeprefix("label:"): a.text
        for a in fig.layout.annotations
        if (a.name or "").startswith("label:")
    }


def points(fig):
    """outcome id -> (x, y, label, hovertext, trace name) over the outcome traces."""
    text = labels(fig)
    out = {}
    for t in outcome_traces(fig):
        for i, cd in enumerate(t.customdata):
            out[cd[0]] = (t.x[i], t.y[i], text.get(cd[0], ""), t.hovertext[i], t.name)
    return out


def test_axes_are_fixed_at_0_to_10(overall):
    fig = landscape_figure(overall)
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        lo, hi = axis.range
        assert -0.5 <= lo < 0
        assert 10 < hi <= 10.5
        assert list(axis.tickvals) == list(range(11))
        assert axis.fixedrange is True
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.yaxis.scaleratio == 1


def test_selection_modes(overall):
    fig = landscape_figure(overall)
    assert fig.layout.dragmode == "select"
    assert fig.layout.clickmode == "event+select"


def _paths(fig):
    return [s.path for s in fig.layout.shapes if s.type == "path"]


def test_zone_lines_and_shading(overall):
    fig = landscape_figure(overall)
    paths = _paths(fig)
    # the boundary lines named in the method: O = 10, 12, 15 and the diagonal
    for line in ("M 5,0 L 10,10", "M 6,0 L 10,8", "M 7.5,0 L 10,5", "M 0,0 L 10,10"):
        assert line in paths
    fills = {s.fillcolor for s in fig.layout.shapes if s.type == "path" and s.fillcolor}
    expected = {ZONE_STYLES[z].fill for z in ZONES if z != "appropriately-served"}
    assert expected <= fills
    # the extreme band is the triangle below O = 15
    assert "M 7.5,0 L 10,5 L 10,0 Z" in paths
    texts = [a.text for a in fig.layout.annotations]
    for label in ("O = 10", "O = 12", "O = 15", "S = I"):
        assert label in texts
    assert any("Overserved" in t for t in texts)
    assert any("Extreme" in t for t in texts)


def test_lower_threshold_region_reaches_above_the_diagonal(overall):
    fig = landscape_figure(overall, thresholds=Thresholds(solid=8, high=12, extreme=15))
    # O >= 8 holds where S <= 2I - 8 and, above the diagonal, where I >= 8
    assert "M 4,0 L 8,8 L 8,10 L 10,10 L 10,0 Z" in _paths(fig)
    assert "O = 8" in [a.text for a in fig.layout.annotations]


def test_one_point_per_outcome_with_ids(overall):
    fig = landscape_figure(overall)
    pts = points(fig)
    assert len(pts) == len(overall) == 150
    assert set(pts) == set(overall["outcome_id"])
    for oid, (x, y, *_rest) in pts.items():
        row = overall.set_index("outcome_id").loc[oid]
        assert (x, y) == pytest.approx((row["importance"], row["satisfaction"]))


def test_each_zone_has_its_own_symbol_and_colour(overall):
    fig = landscape_figure(overall)
    traces = zone_traces(fig)
    assert list(traces) == list(ZONES)  # all five, in order: the legend is a full key
    symbols = [t.marker.symbol for t in traces.values()]
    colours = [t.marker.color for t in traces.values()]
    assert len(set(symbols)) == len(ZONES)
    assert len(set(colours)) == len(ZONES)
    for zone, trace in traces.items():
        if len(trace.x):
            got = zone_of(np.asarray(trace.x), np.asarray(trace.y))
            assert set(got) == {zone}
    assert sum(len(t.x) > 0 for t in traces.values()) >= 4  # the study spans the zones


@pytest.mark.parametrize("label_top", [0, 10, 25, 500], ids=["none", "ten", "25", "more-than-n"])
def test_only_the_top_outcomes_are_labelled(overall, label_top):
    fig = landscape_figure(overall, label_top=label_top)
    labelled = set(labels(fig))
    expected = set(
        overall.sort_values("opportunity", ascending=False).head(label_top)["outcome_id"]
    )
    # Every label belongs to a top outcome; the top ten always find room.
    assert labelled <= expected
    assert len(labelled) >= min(label_top, 10)


def test_statement_labels_are_short(overall):
    fig = landscape_figure(overall, label_by="statement", label_top=5)
    texts = [p[2] for p in points(fig).values() if p[2]]
    assert 1 <= len(texts) <= 5
    assert all(len(t) <= 28 for t in texts)
    assert any(t.endswith("…") for t in texts)


@pytest.mark.parametrize("label_by", ["id", "statement", "rank"])
@pytest.mark.parametrize("height", [420, 560, 700], ids=["small", "medium", "large"])
def test_labels_overlap_neither_markers_nor_each_other(overall, label_by, height):
    px_per_unit = (height - 134) / 10.7
    fig = landscape_figure(overall, label_top=15, label_by=label_by, height=height)
    boxes = label_boxes(overall, label_top=15, label_by=label_by, px_per_unit=px_per_unit)
    drawn = [a for a in fig.layout.annotations if (a.name or "").startswith("label:")]
    assert [a.text for a in drawn] == [b.text for b in boxes], "the figure draws these boxes"
    imp, sat = overall["importance"].to_numpy(), overall["satisfaction"].to_numpy()
    assert overlaps(boxes, imp, sat, px_per_unit=px_per_unit, marker_px=MARKER_PX) == []
    # Numbers and ids fit beside most of the top 15 of 150 crowded outcomes; long statements
    # find room for fewer, and are left out rather than drawn over a marker.
    assert len(boxes) >= (2 if label_by == "statement" else 10)


def test_overlaps_finds_a_label_on_a_marker():
    box = place_labels([5.0], [5.0], ["A"], [0])[0]
    assert overlaps([box], [box.x], [box.y]) == [("A", "point 0")]


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", " ", text.replace("<br>", " "))


def test_hover_has_full_statement_scores_intervals_and_n(overall):
    fig = landscape_figure(overall)
    row = overall.iloc[0]
    hover = points(fig)[row["outcome_id"]][3]
    plain = " ".join(_plain(hover).split())
    assert row["outcome"] in plain
    assert (
        f"Importance {row['importance']:.1f} ({row['importance_low']:.1f}–"
        f"{row['importance_high']:.1f})" in plain
    )
    assert f"Satisfaction {row['satisfaction']:.1f} ({row['satisfaction_low']:.1f}–" in plain
    assert (
        f"Opportunity {row['opportunity']:.1f} ({row['opportunity_low']:.1f}–"
        f"{row['opportunity_high']:.1f})" in plain
    )
    assert f"n = {row['n_importance']:,}" in plain
    assert f"n = {row['n_satisfaction']:,}" in plain
    assert f"P(O ≥ 10) = {row['p_underserved']:.2f}" in plain
    assert zone_label(row["zone"]) in plain
    assert "<br>" in hover  # statements are wrapped
    assert fig.data[0].hovertemplate.endswith("<extra></extra>")


def test_hover_escapes_html_and_tolerates_missing_interval_columns():
    t = pd.DataFrame(
        {
            "outcome_id": ["O1"],
            "outcome": ["Minimize <b>x</b> & y"],
            "importance": [8.0],
            "satisfaction": [3.0],
            "opportunity": [13.0],
        }
    )
    hover = points(landscape_figure(t))["O1"][3]
    assert "Minimize &lt;b&gt;x&lt;/b&gt; &amp; y" in hover
    assert "Importance <b>8.0</b> · n = –" in hover


def test_unscored_outcomes_are_left_out_and_counted(overall):
    t = overall.copy()
    t.loc[t.index[:3], "satisfaction"] = np.nan
    t.loc[t.index[:3], "opportunity"] = np.nan
    fig = landscape_figure(t)
    assert len(points(fig)) == len(t) - 3
    assert any("3 outcomes without a score" in a.text for a in fig.layout.annotations)


def test_zones_follow_the_thresholds_given(overall):
    strict = Thresholds(solid=12, high=14, extreme=17)
    fig = landscape_figure(overall, thresholds=strict)
    traces = zone_traces_for(fig, strict)
    assert zone_label("underserved-extreme", strict) == "Underserved: extreme (O ≥ 17)"
    bounds = {
        "underserved-extreme": (17, 21),
        "underserved-high": (14, 17),
        "underserved-solid": (12, 14),
    }
    for zone, (lo, hi) in bounds.items():
        x, y = np.asarray(traces[zone].x), np.asarray(traces[zone].y)
        opp = x + np.maximum(x - y, 0)
        assert ((opp >= lo) & (opp < hi)).all()
    # the score table's own zone column (thresholds 10/12/15) is not what is drawn
    assert len(traces["underserved-solid"].x) != (overall["zone"] == "underserved-solid").sum()


def zone_traces_for(fig, thresholds):
    names = {zone_label(z, thresholds): z for z in ZONES}
    return {names[t.name]: t for t in fig.data if t.name in names}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (pd.DataFrame({"outcome_id": ["O1"]}), "missing"),
        (
            pd.DataFrame(
                {
                    "outcome_id": ["O1", "O1"],
                    "outcome": ["a", "a"],
                    "importance": [1.0, 2.0],
                    "satisfaction": [1.0, 2.0],
                    "opportunity": [1.0, 2.0],
                }
            ),
            "one row per outcome",
        ),
    ],
    ids=["missing-columns", "two-segments"],
)
def test_bad_tables_are_explained(table, message):
    with pytest.raises(ValueError, match=message):
        landscape_figure(table)


def test_negative_label_top_is_rejected(overall):
    with pytest.raises(ValueError, match="label_top must be 0 or more"):
        landscape_figure(overall, label_top=-1)


# --------------------------------------------------------------------------- comparison


def test_comparison_draws_overall_positions_and_arrows(vp, overall):
    fig = landscape_figure(vp, compare=overall, arrows_top=12)
    faint = [
        t
        for t in fig.data
        if t.customdata is not None and len(t.customdata) and t.customdata[0][1] == "overall"
    ]
    assert len(faint) == 1
    assert len(faint[0].x) == len(overall)
    arrows = [
        a for a in fig.layout.annotations if a.showarrow and not (a.name or "").startswith("label:")
    ]
    assert 1 <= len(arrows) <= 12
    seg = vp.set_index("outcome_id")
    ov = overall.set_index("outcome_id")
    moves = []
    for a in arrows:
        # each arrow runs from the overall position (tail) to the segment's (head)
        match = seg.index[
            (np.isclose(seg["importance"], a.x)) & (np.isclose(seg["satisfaction"], a.y))
        ]
        assert len(match) >= 1
        oid = next(
            o
            for o in match
            if np.isclose(ov.loc[o, "importance"], a.ax)
            and np.isclose(ov.loc[o, "satisfaction"], a.ay)
        )
        moves.append(np.hypot(a.x - a.ax, a.y - a.ay))
        assert oid in seg.index
        assert (a.axref, a.ayref) == ("x", "y")
    # the largest moves are the ones drawn
    all_moves = np.hypot(
        seg["importance"] - ov["importance"].reindex(seg.index),
        seg["satisfaction"] - ov["satisfaction"].reindex(seg.index),
    )
    assert min(moves) >= sorted(all_moves, reverse=True)[len(moves) - 1] - 1e-9


def test_the_vp_effect_shows_as_arrows(vp, overall):
    # the synthetic VPs rate O1-O10 much more important: those move most
    fig = landscape_figure(vp, compare=overall, arrows_top=10)
    heads = {(round(a.x, 6), round(a.y, 6)) for a in fig.layout.annotations if a.showarrow}
    seg = vp.set_index("outcome_id")
    moved = {
        o
        for o in seg.index
        if (round(seg.loc[o, "importance"], 6), round(seg.loc[o, "satisfaction"], 6)) in heads
    }
    assert len(moved & {f"O{i}" for i in range(1, 11)}) >= 7


def test_comparison_hover_shows_the_overall_score(vp, overall):
    fig = landscape_figure(vp, compare=overall, compare_label="Everyone")
    oid = vp["outcome_id"].iloc[0]
    hover = points(fig)[oid][3]
    o = overall.set_index("outcome_id").loc[oid, "opportunity"]
    assert "Everyone: I " in hover
    assert f"O {o:.1f}" in hover
    assert "ΔO" in hover


def test_no_arrows_when_nothing_moves(overall):
    fig = landscape_figure(overall, compare=overall)
    assert not [a for a in fig.layout.annotations if a.showarrow]


# --------------------------------------------------------------------------- size
# (its build time is measured in benchmarks/bench_speed.py)


def test_150_outcome_landscape_shows_every_outcome_once(overall, vp):
    fig = landscape_figure(vp, compare=overall)
    assert len(vp) == 150
    assert sorted(points(fig)) == sorted(vp["outcome_id"])


def test_empty_and_unscored_tables_still_draw_the_frame():
    empty = pd.DataFrame(
        {"outcome_id": [], "outcome": [], "importance": [], "satisfaction": [], "opportunity": []}
    )
    fig = landscape_figure(empty)
    assert [len(t.x) for t in fig.data] == [0] * len(ZONES)
    assert "M 5,0 L 10,10" in _paths(fig)
    numeric_ids = pd.DataFrame(
        {
            "outcome_id": [1, 2],
            "outcome": ["a", "b"],
            "importance": [np.nan, 10.0],
            "satisfaction": [np.nan, 0.0],
            "opportunity": [np.nan, 20.0],
        }
    )
    pts = points(landscape_figure(numeric_ids))
    assert list(pts) == ["2"]
    assert pts["2"][:2] == (10.0, 0.0)  # a corner point is drawn inside the padded range


def test_hover_says_when_an_interval_is_weak() -> None:
    from odi.analysis.scoring import DEFAULT_THRESHOLDS
    from odi.charts.base import _hover_texts

    table = pd.DataFrame(
        {
            "outcome_id": ["O1", "O2"],
            "outcome": ["Minimize the time it takes to do a", "Minimize the time it takes to do b"],
            "importance": [9.5, 6.0],
            "satisfaction": [3.0, 4.0],
            "opportunity": [16.0, 8.0],
            "weak_interval": [True, False],
            "small_n": [False, False],
        }
    )
    zones = np.array(["underserved-extreme", "appropriately-served"])
    texts = _hover_texts(table, zones, DEFAULT_THRESHOLDS)
    assert "interval is unsure" in texts[0]
    assert "interval is unsure" not in texts[1]
