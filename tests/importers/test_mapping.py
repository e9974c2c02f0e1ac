from __future__ import annotations

import pandas as pd
import pytest

from odi.analysis.scoring import score
from odi.importers.mapping import apply_outcome_edits, edits_from_table, outcome_table
from odi.scale import Scale
from odi.survey import Survey


@pytest.fixture
def survey() -> Survey:
    return Survey.from_frames(
        outcomes=pd.DataFrame({"statement": ["a", "b", "c"]}, index=["O1", "O2", "O3"]),
        importance=pd.DataFrame({"O1": [5.0, 4.0], "O2": [1.0, 2.0], "O3": [5.0, 5.0]}),
        satisfaction=pd.DataFrame({"O1": [1.0, 2.0], "O2": [5.0, 5.0], "O3": [1.0, 1.0]}),
        scale=Scale.from_range(1, 5),
    )


def test_edits_round_trip_through_the_table(survey):
    table = outcome_table(survey)
    table.loc[0, "statement"] = "Minimize the time it takes to a"
    table.loc[1, "job_step"] = "Monitor"
    table.loc[2, "include"] = False
    edits = edits_from_table(survey, table)
    assert edits == {
        "O1": {"statement": "Minimize the time it takes to a"},
        "O2": {"job_step": "Monitor"},
        "O3": {"include": False},
    }
    edited = apply_outcome_edits(survey, edits)
    assert list(edited.outcomes.index) == ["O1", "O2"]
    assert list(edited.importance.columns) == ["O1", "O2"]
    t = score(edited, bootstrap=0).table
    assert set(t["outcome_id"]) == {"O1", "O2"}
    assert t.set_index("outcome_id").loc["O1", "outcome"] == "Minimize the time it takes to a"
    pd.testing.assert_frame_equal(outcome_table(survey, edits), table, check_dtype=False)


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        (
            {"O1": {"include": False}, "O2": {"include": False}, "O3": {"include": False}},
            "every outcome is excluded",
        ),
        ({"O1": {"statement": "  "}}, "must not be empty"),
        ({"O1": {"job_step": "Launch"}}, "job step of outcome O1 must be one of Define"),
        ({"O1": {"colour": "red"}}, "outcome edits must use"),
    ],
    ids=["all-excluded", "empty-statement", "unknown-step", "unknown-key"],
)
def test_bad_edits_are_clear_errors(survey, edits, message):
    with pytest.raises(ValueError, match=message):
        apply_outcome_edits(survey, edits)


def test_edits_for_outcomes_no_longer_imported_are_ignored(survey):
    assert apply_outcome_edits(survey, {"O9": {"include": False}}).n_outcomes == 3
