"""Data-quality screening: each rule, its setting, its switch, and the counts by reason.

Most rule tests run with every rule on (``ALL``); the default policy (only the platform's
record excludes; the judgement rules flag and keep) has its own tests below.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odi.importers import ImportOptions, ScreeningOptions, import_survey
from odi.importers.screening import FLAG_RULES, RULES, ScreeningInputs, abandoned, screen
from tests.importers import builders as b

NAN = np.nan
GOOD = np.array([[5, 4, 3, 2, 1, 5], [4, 4, 2, 5, 3, 1]], dtype=float)
ALL = ScreeningOptions(**dict.fromkeys(FLAG_RULES, True))


def matrices(*rows: list[float]) -> np.ndarray:
    return np.array(rows, dtype=float)


def run(imp: np.ndarray, sat: np.ndarray | None = None, **inputs: object) -> np.ndarray:
    series = {k: pd.Series(v) for k, v in inputs.items()}
    result = screen(
        ScreeningInputs(imp, imp if sat is None else sat, **series),  # type: ignore[arg-type]
        ALL,
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
        ScreeningOptions(speeders=True, speeder_fraction=0.5),
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
        ALL,
    )
    assert result.reason.tolist() == ["previews", "", ""]
    assert dict(result.counts)["straightliners"] == 0
    assert result.summary() == "kept 2 of 3 respondents; excluded 1: previews, tests and spam 1"


def test_rules_without_their_columns_are_noted_not_silent():
    result = screen(ScreeningInputs(GOOD, GOOD), ALL)
    notes = " ".join(result.notes)
    for needle in ("Status", "Finished", "response id", "duration"):
        assert needle in notes
    assert [rule for rule, _ in result.counts] == ["sparse", "straightliners"]
    few = screen(ScreeningInputs(GOOD[:, :3], GOOD[:, :3]), ALL)
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
    everything = screen(inputs, ALL)
    fewer = screen(inputs, replace(ALL, **dict.fromkeys(off, False)))
    for result in (everything, fewer):
        assert result.n_total - result.n_kept == sum(n for _, n in result.counts)
        assert set(result.reason[~result.keep]) <= set(RULES)
        # Flags only mark kept respondents, and are counted.
        assert (result.flag[~result.keep] == "").all()
        assert (result.flag != "").sum() == sum(n for _, n in result.flagged)
    assert all(rule not in off for rule, _ in fewer.counts)
    assert everything.flagged == ()
    # A judgement rule switched off flags exactly whom it would have excluded as the
    # first judgement rule (when the applied rules are the same).
    assert fewer.n_kept >= everything.n_kept
    assert {rule for rule, _ in fewer.flagged} == {r for r in FLAG_RULES if r in off} - {
        note.split(":")[0] for note in fewer.notes
    }
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
        options=ImportOptions(screening=replace(ALL, **{rule: False})),
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


def test_the_default_policy_excludes_only_by_the_platform_record():
    assert ScreeningOptions().enabled == ("previews", "unfinished", "duplicates")
    result = import_survey(b.csv_bytes(b.qualtrics_rows()), source="q.csv")
    report = result.report
    assert {r: n for r, n in report.excluded if n} == {
        "previews": 1,
        "unfinished": 1,
        "duplicates": 1,
    }
    assert dict(report.flagged) == {"sparse": 1, "straightliners": 1, "speeders": 1}
    assert result.survey.n_respondents == 13  # the flagged three are kept and scored
    assert set(report.flagged_respondents["respondent_id"]) == {
        "R_Sparse00001",
        "R_Straight001",
        "R_Speeder0001",
    }
    assert report.exclusion_summary().endswith(
        "flagged: 1 sparse respondents, 1 straight-liners, 1 speeders, kept"
    )
    assert "flagged: 1 sparse respondents" in report.to_text()
    assert report.to_dict()["respondents"]["flagged_kept_by_reason"] == dict(report.flagged)


def test_a_clean_plain_file_is_neither_screened_nor_flagged():
    result = import_survey(b.csv_bytes(b.wide_rows()), source="w.csv")
    assert result.report.respondents_excluded == 0
    assert all(n == 0 for _, n in result.report.flagged)
    assert result.report.exclusion_summary() == "kept all 10 respondents; none excluded"


def test_sparse_counts_only_the_items_shown():
    imp = matrices([5, 4, NAN, NAN, NAN, NAN], [5, NAN, NAN, NAN, NAN, NAN])
    shown = np.array([[1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 0, 0]], dtype=bool)
    # Row 1 answered both items it was shown; row 2 one of four shown (2 of 8 answers).
    result = screen(ScreeningInputs(imp, imp, shown=shown), ALL)
    assert result.reason.tolist() == ["", "sparse"]
    assert screen(ScreeningInputs(imp, imp), ALL).reason.tolist() == ["sparse", "sparse"]


@pytest.mark.parametrize(
    ("answered", "stopped"),
    [
        ([1, 1, 1, 1, 1, 1], False),
        ([1, 1, 1, 0, 0, 0], True),
        ([1, 1, 1, 1, 0, 0], False),
        ([0, 1, 0, 1, 0, 1], False),
        ([0, 0, 0, 0, 0, 0], True),
        ([1, 0, 0, 0, 0, 1], False),
    ],
    ids=["complete", "stops-halfway", "stops-late", "scattered", "empty", "gap-but-finished"],
)
def test_abandoned_is_a_blank_tail_of_half_the_items(answered, stopped):
    assert abandoned(np.array([answered], dtype=bool)).tolist() == [stopped]


@pytest.mark.parametrize(
    "rows",
    [b.surveymonkey_rows, b.googleforms_rows],
    ids=["surveymonkey", "googleforms"],
)
def test_an_abandoned_platform_response_counts_as_unfinished(rows):
    table = rows(screening=False)  # type: ignore[operator]
    first = 2 if rows is b.surveymonkey_rows else 1
    stop = table[first][:]
    statement = b.STATEMENTS[2]
    # Blank every cell after the third importance item: the respondent left the survey.
    cut = next(i for i, h in enumerate(table[first - 1]) if statement in h)
    stop[cut:] = [""] * (len(stop) - cut)
    stop[0] = "99999"
    if rows is b.googleforms_rows:
        stop[1] = "left@example.com"  # the duplicate key there is the email
    table.append(stop)
    report = import_survey(b.csv_bytes(table), source="x.csv").report
    assert dict(report.excluded)["unfinished"] == 1
    assert report.exclusions["reason"].tolist() == ["unfinished"]
    kept_all = import_survey(
        b.csv_bytes(table),
        source="x.csv",
        options=ImportOptions(screening=ScreeningOptions(unfinished=False)),
    )
    assert kept_all.report.respondents_kept == kept_all.report.respondents_total
