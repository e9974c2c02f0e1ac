"""Data-quality screening: each rule, its setting, its switch, and the counts by reason."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odi.importers import ImportOptions, ScreeningOptions, import_survey
from odi.importers.screening import RULES, ScreeningInputs, screen
from tests.importers import builders as b

NAN = np.nan
GOOD = np.array([[5, 4, 3, 2, 1, 5], [4, 4, 2, 5, 3, 1]], dtype=float)


def matrices(*rows: list[float]) -> np.ndarray:
    return np.array(rows, dtype=float)


def run(imp: np.ndarray, sat: np.ndarray | None = None, **inputs: object) -> np.ndarray:
    series = {k: pd.Series(v) for k, v in inputs.items()}
    result = screen(
        ScreeningInputs(imp, imp if sat is None else sat, **series),  # type: ignore[arg-type]
        ScreeningOptions(),
    )
    return result.reason


@pytest.mark.parametrize(
    ("status", "excluded"),
    [
        (
            ["IP Address", "Survey Preview", "Survey Test", "Spam", "Imported", "EX Spam"],
            [False, True, True, True, False, True],
        ),
        (
            ["0", "1", "2", "8", "4", "16", "9", "12", "17", "40", "32"],
            [False, True, True, True, False, False, True, True, True, True, False],
        ),
    ],
    ids=["labels", "codes"],
)
def test_previews_tests_and_spam(status, excluded):
    imp = np.tile(GOOD[0], (len(status), 1))
    reason = run(imp, status=status)
    assert (reason == "previews").tolist() == excluded


def test_distribution_channel_when_there_is_no_status():
    reason = run(np.tile(GOOD[0], (3, 1)), channel=["anonymous", "preview", "test"])
    assert reason.tolist() == ["", "previews", "previews"]


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        ({"finished": ["True", "False", "1", "0"]}, ["", "unfinished", "", "unfinished"]),
        ({"progress": ["100", "40", "99", ""]}, ["", "unfinished", "unfinished", ""]),
        (
            {"finished": ["True", "True", "1", "1"], "progress": ["100", "40", "0", "0"]},
            ["", "", "", ""],
        ),
    ],
    ids=["finished", "progress-without-finished", "finished-wins-over-progress"],
)
def test_unfinished(inputs, expected):
    assert run(np.tile(GOOD[0], (4, 1)), **inputs).tolist() == expected


def test_duplicates_keep_the_first_kept_row():
    imp = np.tile(GOOD[0], (4, 1))
    reason = run(
        imp,
        response_id=["R_1", "R_1", "R_2", "R_1"],
        status=["Survey Preview", "IP Address", "IP Address", "IP Address"],
    )
    # The preview does not claim R_1, so the second row is the first real R_1.
    assert reason.tolist() == ["previews", "", "", "duplicates"]


def test_speeders_use_a_share_of_the_median():
    imp = np.tile(GOOD[0], (5, 1))
    durations = [600, 500, 190, 210, 700]  # median 500; a third is 166.7, a half is 250
    assert run(imp, duration=durations).tolist() == ["", "", "", "", ""]
    result = screen(
        ScreeningInputs(imp, imp, duration=pd.Series(durations, dtype=float)),
        ScreeningOptions(speeder_fraction=0.5),
    )
    assert result.reason.tolist() == ["", "", "speeders", "speeders", ""]


def test_straightliners_need_enough_answered_items():
    imp = matrices(
        [5, 5, 5, 5, 5, 5], [5, 5, 5, 5, NAN, NAN], [4, 4, 4, 4, 4, 3], [2, 2, 2, 2, 2, NAN]
    )
    assert run(imp).tolist() == ["straightliners", "", "", "straightliners"]


def test_sparse_counts_both_sides():
    imp = matrices([5, NAN, NAN, NAN, NAN, NAN], [5, 4, 3, NAN, NAN, NAN])
    sat = matrices([1, 2, NAN, NAN, NAN, NAN], [NAN, NAN, NAN, 2, 3, 4])
    # 3 of 12 answered -> out; 6 of 12 is half -> kept
    assert run(imp, sat).tolist() == ["sparse", ""]


def test_first_rule_wins_and_counts_add_up():
    imp = matrices([5, 5, 5, 5, 5, 5], *GOOD.tolist())
    result = screen(
        ScreeningInputs(imp, imp, status=pd.Series(["Survey Preview", "IP Address", "x"])),
        ScreeningOptions(),
    )
    assert result.reason.tolist() == ["previews", "", ""]
    assert dict(result.counts)["straightliners"] == 0
    assert result.summary() == "kept 2 of 3 respondents; excluded 1: previews, tests and spam 1"


def test_rules_without_their_columns_are_noted_not_silent():
    result = screen(ScreeningInputs(GOOD, GOOD), ScreeningOptions())
    notes = " ".join(result.notes)
    for needle in ("Status", "Finished", "response id", "duration"):
        assert needle in notes
    assert [rule for rule, _ in result.counts] == ["sparse", "straightliners"]
    few = screen(ScreeningInputs(GOOD[:, :3], GOOD[:, :3]), ScreeningOptions())
    assert "3 importance items; the rule needs at least 5" in " ".join(few.notes)


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"speeder_fraction": 0}, "speeder fraction"),
        ({"speeder_fraction": 1.5}, "speeder fraction"),
        ({"min_answered": 0}, "min answered"),
        ({"straightline_min_items": 1}, "at least 2"),
    ],
    ids=["fraction-zero", "fraction-above-one", "min-answered-zero", "min-items-one"],
)
def test_bad_settings(kwargs, needle):
    with pytest.raises(ValueError, match=needle):
        ScreeningOptions(**kwargs)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=1, max_value=12).flatmap(
        lambda n: st.tuples(
            st.lists(
                st.lists(st.sampled_from([1.0, 3.0, 5.0, NAN]), min_size=6, max_size=6),
                min_size=n,
                max_size=n,
            ),
            st.lists(st.sampled_from(["IP Address", "Survey Preview"]), min_size=n, max_size=n),
            st.lists(st.sampled_from(["True", "False"]), min_size=n, max_size=n),
            st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n),
            st.lists(st.integers(min_value=1, max_value=900), min_size=n, max_size=n),
        )
    ),
    st.sets(st.sampled_from(RULES)),
)
def test_counts_add_up_and_switching_rules_off_never_excludes_more(data, off):
    rows, status, finished, ids, seconds = data
    imp = np.array(rows, dtype=float)
    inputs = ScreeningInputs(
        imp,
        imp[:, ::-1],
        status=pd.Series(status),
        finished=pd.Series(finished),
        response_id=pd.Series(ids),
        duration=pd.Series(seconds, dtype=float),
    )
    everything = screen(inputs, ScreeningOptions())
    fewer = screen(inputs, ScreeningOptions(**dict.fromkeys(off, False)))
    for result in (everything, fewer):
        assert result.n_total - result.n_kept == sum(n for _, n in result.counts)
        assert set(result.reason[~result.keep]) <= set(RULES)
    assert all(rule not in off for rule, _ in fewer.counts)
    # Previews, unfinished and duplicates only ever look at earlier rules' results.
    if not off & {"previews", "unfinished", "duplicates"}:
        early = {"previews", "unfinished", "duplicates"}
        assert (
            (np.isin(fewer.reason, list(early))) == np.isin(everything.reason, list(early))
        ).all()


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_can_be_switched_off(rule):
    data = b.csv_bytes(b.qualtrics_rows())
    result = import_survey(
        data,
        source="q.csv",
        options=ImportOptions(screening=ScreeningOptions(**{rule: False})),
    )
    counts = dict(result.report.excluded)
    assert rule not in counts
    assert result.survey.n_respondents == 11
    assert sum(counts.values()) == 5


def test_zero_respondents_left_is_an_error_with_the_counts():
    rows = b.qualtrics_rows(screening=False)
    for row in rows[3:]:
        row[6] = "False"  # Finished
    with pytest.raises(ValueError, match=r"no respondents are left after screening") as info:
        import_survey(b.csv_bytes(rows), source="q.csv")
    assert "unfinished 10" in str(info.value)
    assert "--keep-unfinished" in str(info.value)
