"""Ranked opportunity bars: order, intervals, zone colours, threshold flag, grouping, size."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from odi.analysis.scoring import Thresholds
from odi.charts import ZONE_STYLES, ranked_bar_figure, zone_label
from odi.survey import JOB_STEPS


def bars(fig):
    return fig.data[0]


def bar_ids(fig):
    return [c[0] for c in bars(fig).customdata]


def test_sorted_by_opportunity_descending(overall):
    fig = ranked_bar_figure(overall)
    x = np.asarray(bars(fig).x, dtype=float)
    assert len(x) == 150
    assert (np.diff(x) <= 0).all()
    assert fig.layout.yaxis.autorange == "reversed"  # highest at the top
    assert bar_ids(fig)[0] == overall.loc[overall["opportunity"].idxmax(), "outcome_id"]


def test_error_bars_are_the_opportunity_interval(overall):
    fig = ranked_bar_figure(overall)
    t = overall.set_index("outcome_id").loc[bar_ids(fig)]
    err = bars(fig).error_x
    assert err.symmetric is False
    np.testing.assert_allclose(err.array, t["opportunity_high"] - t["opportunity"])
    np.testing.assert_allclose(err.arrayminus, t["opportunity"] - t["opportunity_low"])


def test_colours_follow_the_zone(overall):
    fig = ranked_bar_figure(overall)
    t = overall.set_index("outcome_id").loc[bar_ids(fig)]
    expected = [ZONE_STYLES[z].colour for z in t["zone"]]
    assert list(bars(fig).marker.color) == expected
    legend = [tr.name for tr in fig.data[1:]]
    for zone in set(t["zone"]):
        assert zone_label(zone) in legend


def test_intervals_crossing_the_threshold_are_flagged(overall):
    fig = ranked_bar_figure(overall)
    t = overall.set_index("outcome_id").loc[bar_ids(fig)]
    crosses = t["crosses_threshold"].to_numpy()
    assert crosses.any()
    assert not crosses.all()
    shapes = np.asarray(bars(fig).marker.pattern.shape)
    assert (shapes[crosses] == "/").all()
    assert (shapes[~crosses] == "").all()
    widths = np.asarray(bars(fig).marker.line.width)
    assert (widths[crosses] > 0).all()
    assert (widths[~crosses] == 0).all()
    assert "Interval crosses O = 10" in [tr.name for tr in fig.data]
    hover = np.asarray(bars(fig).hovertext)
    assert all("crosses O = 10" in h for h in hover[crosses])


def test_threshold_line_is_drawn(overall):
    th = Thresholds(solid=11, high=13, extreme=16)
    fig = ranked_bar_figure(overall, thresholds=th)
    xs = [s.x0 for s in fig.layout.shapes if s.type == "line"]
    assert 11 in xs
    solid_line = next(s for s in fig.layout.shapes if s.x0 == 11)
    assert solid_line.layer == "above"
    assert any("underserved ≥ 11" in a.text for a in fig.layout.annotations)


def test_height_grows_with_rows_and_labels_are_cut(overall):
    small = ranked_bar_figure(overall, top=10)
    full = ranked_bar_figure(overall)
    assert full.layout.height >= 22 * 150
    assert full.layout.height > small.layout.height
    labels = list(full.data[0].y)
    assert all(len(lab) <= 52 + len("O150  ") for lab in labels)
    assert len(set(labels)) == 150  # ids keep labels unique
    long = overall.loc[overall["outcome"].str.len() > 60].iloc[0]
    i = bar_ids(full).index(long["outcome_id"])
    assert labels[i].endswith("…")
    plain = re.sub(r"<br>", " ", full.data[0].hovertext[i])
    assert long["outcome"] in " ".join(plain.split())


def test_top_keeps_the_highest(overall):
    fig = ranked_bar_figure(overall, top=15)
    expected = overall.sort_values("opportunity", ascending=False)["outcome_id"].head(15)
    assert bar_ids(fig) == list(expected)


def test_group_by_step_orders_steps_then_opportunity(overall):
    fig = ranked_bar_figure(overall, group_by_step=True)
    steps, labels = fig.data[0].y
    assert len(labels) == 150
    seen = list(dict.fromkeys(steps))
    assert seen == [s for s in JOB_STEPS if s in seen]
    x = np.asarray(fig.data[0].x)
    frame = pd.DataFrame({"step": steps, "x": x})
    for _, grp in frame.groupby("step", sort=False):
        assert (np.diff(grp["x"].to_numpy()) <= 0).all()


def test_unscored_outcomes_are_skipped(overall):
    t = overall.copy()
    t.loc[t.index[:2], "opportunity"] = np.nan
    assert len(ranked_bar_figure(t).data[0].x) == 148


def test_empty_table_gives_an_empty_chart_with_a_note(overall):
    fig = ranked_bar_figure(overall.iloc[:0])
    assert len(fig.data[0].x) == 0
    assert any("No scored outcomes" in a.text for a in fig.layout.annotations)


def test_bad_top_is_rejected(overall):
    with pytest.raises(ValueError, match="top must be a positive number"):
        ranked_bar_figure(overall, top=0)
