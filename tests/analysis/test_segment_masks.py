"""Segment masks from a factorised column match the plain pandas reading of the conditions."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from odi.analysis.segments import factorize_trimmed, resolve_with_mask, segment_mask

SPELLINGS = ["VP", " VP", "VP ", "SDR", "sdr", "Ops", "", "  "]


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.sampled_from([*SPELLINGS, None]), min_size=1, max_size=40),
    dtype=st.sampled_from(["str", "object", "category", "category-with-unused"]),
)
def test_mask_matches_trimmed_string_isin(values: list[str | None], dtype: str) -> None:
    column = pd.Series(values, dtype=dtype.removesuffix("-with-unused"))
    if dtype == "category-with-unused":  # as a subset of a survey's rows could leave it
        column = column.cat.add_categories(["CMO", " Ops "])
    respondents = pd.DataFrame({"role": column})
    trimmed = column.astype("string").str.strip()
    present = sorted(set(trimmed.dropna()))
    for wanted in ([present[0]], present[:2]) if present else ():
        expected = trimmed.isin(wanted).fillna(False).to_numpy(dtype=bool)
        resolved, mask = resolve_with_mask(respondents, {"role": wanted})
        assert resolved == {"role": sorted(set(wanted))}
        np.testing.assert_array_equal(mask, expected)
        np.testing.assert_array_equal(segment_mask(respondents, {"role": wanted}), expected)


def test_factorised_codes_trim_only_distinct_values() -> None:
    codes, names = factorize_trimmed(pd.Series(["VP ", None, "VP", " SDR", np.nan]))
    assert names == ["VP", "SDR"]
    assert codes.tolist() == [0, -1, 0, 1, -1]


def test_categorical_columns_factorise_to_the_values_present_only() -> None:
    column = pd.Series(["VP ", None, "VP", " SDR"], dtype="category").cat.add_categories(["CMO"])
    codes, names = factorize_trimmed(column)
    assert sorted(names) == ["SDR", "VP"]
    assert [names[c] if c >= 0 else None for c in codes] == ["VP", None, "VP", "SDR"]


def test_two_spellings_of_a_column_are_any_of() -> None:
    respondents = pd.DataFrame({"role": ["VP", "SDR", "Ops"]})
    resolved, mask = resolve_with_mask(respondents, {"role": ["VP"], "Role": ["ops"]})
    assert resolved == {"role": ["Ops", "VP"]}
    assert mask.tolist() == [True, False, True]
