"""The app's score table says in words when a number should be read with care."""

from __future__ import annotations

import pandas as pd
import pytest

from app_pages._shared import display_table


def _row(**flags: bool) -> pd.DataFrame:
    base = {
        "outcome_id": "O1",
        "outcome": "Minimize the time it takes to assemble the weekly pipeline report",
        "importance": 7.0,
        "satisfaction": 3.0,
        "opportunity": 11.0,
        "opportunity_low": 9.5,
        "opportunity_high": 12.5,
        "n_importance": 40,
        "n_satisfaction": 40,
        "zone": "underserved-solid",
        "crosses_threshold": False,
        "small_n": False,
        "weak_interval": False,
    }
    return pd.DataFrame([{**base, **flags}])


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        pytest.param({}, "", id="clean"),
        pytest.param({"weak_interval": True}, "weak interval", id="weak-interval"),
        pytest.param(
            {"small_n": True, "weak_interval": True}, "small sample", id="small-sample-says-it-once"
        ),
        pytest.param(
            {"crosses_threshold": True, "weak_interval": True},
            "near the threshold, weak interval",
            id="near-and-weak",
        ),
    ],
)
def test_read_with_care_names_each_reason(flags: dict[str, bool], expected: str) -> None:
    assert display_table(_row(**flags))["flags"].iloc[0] == expected


def test_a_table_without_the_flag_columns_has_empty_flags() -> None:
    table = _row().drop(columns=["crosses_threshold", "small_n", "weak_interval"])
    assert display_table(table)["flags"].tolist() == [""]
