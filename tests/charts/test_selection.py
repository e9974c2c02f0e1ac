"""Mapping a Streamlit Plotly selection event back to outcome ids."""

from __future__ import annotations

import numpy as np
import pytest

from odi.charts import landscape_figure, ranked_bar_figure, selected_outcome_ids


def box_select(fig, x0, x1, y0, y1, *, with_customdata=True):
    """The event Streamlit returns for a box over the given range (every scatter trace)."""
    points, indices = [], []
    for curve, trace in enumerate(fig.data):
        if trace.x is None:
            continue
        for i, (x, y) in enumerate(zip(trace.x, trace.y, strict=True)):
            if x0 <= x <= x1 and y0 <= y <= y1:
                p = {"curve_number": curve, "point_number": i, "point_index": i, "x": x, "y": y}
                if with_customdata:
                    p["customdata"] = list(trace.customdata[i])
                points.append(p)
                indices.append(i)
    return {
        "selection": {
            "points": points,
            "point_indices": indices,
            "box": [{"xref": "x", "yref": "y", "x": [x0, x1], "y": [y0, y1]}],
            "lasso": [],
        }
    }


def expected_ids(table, x0, x1, y0, y1):
    m = table["importance"].between(x0, x1) & table["satisfaction"].between(y0, y1)
    return set(table.loc[m, "outcome_id"])


def test_box_selection_maps_to_the_outcomes_inside(overall):
    fig = landscape_figure(overall)
    event = box_select(fig, 7.0, 10.0, 0.0, 4.0)
    got = selected_outcome_ids(event)
    assert set(got) == expected_ids(overall, 7.0, 10.0, 0.0, 4.0)
    assert len(got) == len(set(got)) > 3


def test_without_customdata_the_figure_resolves_curve_and_index(overall):
    fig = landscape_figure(overall)
    event = box_select(fig, 0.0, 6.0, 5.0, 10.0, with_customdata=False)
    assert set(selected_outcome_ids(event, fig)) == expected_ids(overall, 0.0, 6.0, 5.0, 10.0)
    # without the figure there is nothing to resolve them with
    assert selected_outcome_ids(event) == []


def test_comparison_points_are_not_selected_outcomes(vp, overall):
    fig = landscape_figure(vp, compare=overall)
    event = box_select(fig, 0.0, 10.0, 0.0, 10.0)
    roles = {p["customdata"][1] for p in event["selection"]["points"]}
    assert roles == {"outcome", "overall"}
    got = selected_outcome_ids(event, fig)
    assert sorted(got) == sorted(vp["outcome_id"])


def test_ranked_bar_clicks_map_too(overall):
    fig = ranked_bar_figure(overall, top=20)
    trace = fig.data[0]
    event = {
        "selection": {
            "points": [
                {"curve_number": 0, "point_index": 3, "customdata": list(trace.customdata[3])}
            ],
            "point_indices": [3],
        }
    }
    assert selected_outcome_ids(event, overall) == [overall["outcome_id"].iloc[3]]


@pytest.mark.parametrize(
    "event",
    [
        None,
        {},
        {"selection": {"points": [], "point_indices": [], "box": [], "lasso": []}},
        {"selection": None},
        {"selection": {"points": [{"curve_number": 0}]}},
        {"selection": {"points": ["junk", {"customdata": None}]}},
    ],
    ids=["none", "empty-dict", "empty-selection", "null-selection", "no-customdata", "junk-points"],
)
def test_empty_or_odd_events_give_no_ids(event):
    assert selected_outcome_ids(event) == []


def test_bare_selection_and_scalar_customdata_are_accepted():
    sel = {"points": [{"customdata": "O3"}, {"customdata": ["O1"]}, {"customdata": "O3"}]}
    assert selected_outcome_ids(sel) == ["O3", "O1"]


def test_table_drops_stale_ids_and_maps_point_indices(overall):
    stale = {
        "selection": {
            "points": [{"customdata": ["O1", "outcome"]}, {"customdata": ["GONE", "outcome"]}]
        }
    }
    assert selected_outcome_ids(stale, overall) == ["O1"]
    by_index = {"selection": {"points": [], "point_indices": [0, 2, 999]}}
    assert selected_outcome_ids(by_index, overall) == list(overall["outcome_id"].iloc[[0, 2]])


def test_streamlit_state_object_works(overall):
    class PlotlyState(dict):  # Streamlit returns a dict subclass with attribute access
        __getattr__ = dict.__getitem__

    fig = landscape_figure(overall)
    event = PlotlyState(selection=PlotlyState(box_select(fig, 8, 10, 0, 10)["selection"]))
    assert set(selected_outcome_ids(event, fig)) == expected_ids(overall, 8, 10, 0, 10)


def test_selection_order_is_kept(overall):
    ids = list(np.random.default_rng(0).permutation(overall["outcome_id"])[:5])
    event = {"selection": {"points": [{"customdata": [i, "outcome"]} for i in ids]}}
    assert selected_outcome_ids(event, overall) == ids
