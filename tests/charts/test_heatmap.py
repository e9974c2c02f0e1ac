"""The segment heatmap: values, significance marks, small segments greyed out with their n."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from odi.charts import segment_heatmap_figure

M = pd.DataFrame(
    {"VP": [14.04, 6.0, np.nan], "SDR": [9.0, 7.0, 5.0], "Manager": [12.0, 11.0, -0.04]},
    index=["O1", "O2", "O3"],
)
N = {"VP": 120, "SDR": 12, "Manager": 300}


def test_headers_show_n_and_small_segments_are_greyed():
    fig = segment_heatmap_figure(M, n_by_segment=N, min_n=30)
    assert list(fig.layout.xaxis.ticktext) == [
        "VP<br>(n=120)",
        "SDR<br>(n=12, too few)",
        "Manager<br>(n=300)",
    ]
    main, grey = fig.data
    z = np.asarray(main.z, dtype=float)
    assert np.isnan(z[:, 1]).all()  # SDR not coloured by value
    assert np.isfinite(np.asarray(grey.z, dtype=float)[:, 1]).all()
    assert np.isnan(np.asarray(grey.z, dtype=float)[:, [0, 2]]).all()
    assert grey.showscale is False
    # the small column's values are still written, in the grey trace only
    assert list(np.asarray(grey.text)[:, 1]) == ["9.0", "7.0", "5.0"]
    assert list(np.asarray(main.text)[:, 1]) == ["", "", ""]


def test_cell_text_and_significance_marks():
    sig = pd.DataFrame(False, index=M.index, columns=M.columns)
    sig.loc["O1", "VP"] = True
    fig = segment_heatmap_figure(M, significance=sig, n_by_segment=N)
    text = np.asarray(fig.data[0].text)
    assert text[0, 0] == "<b>14.0*</b>"
    assert text[0, 2] == "12.0"
    assert text[2, 0] == ""  # no score, no text
    hover = np.asarray(fig.data[0].hovertext)
    assert "significant difference" in hover[0, 0]
    assert "significant" not in hover[1, 0]


def test_significance_is_aligned_by_label():
    with_all = M.assign(All=[10.0, 10.0, 10.0])[["All", "VP", "SDR", "Manager"]]
    sig = pd.DataFrame({"Manager": [False, True, False]}, index=["O1", "O2", "O3"])
    fig = segment_heatmap_figure(with_all, significance=sig)
    text = np.asarray(fig.data[0].text)
    assert text[1, 3] == "<b>11.0*</b>"
    assert sum("*" in t for t in text.ravel()) == 1


def test_difference_mode_is_diverging_around_zero():
    fig = segment_heatmap_figure(M, mode="difference", n_by_segment=N)
    main = fig.data[0]
    assert main.zmid == 0
    assert main.zmin == -main.zmax
    text = np.asarray(main.text)
    assert text[0, 0] == "+14.0"
    assert text[2, 2] == "0.0" or text[2, 2] == "+0.0"
    assert "-" not in text[2, 2]


def test_opportunity_mode_uses_the_fixed_0_20_scale():
    main = segment_heatmap_figure(M).data[0]
    assert (main.zmin, main.zmax) == (0.0, 20.0)
    assert len(segment_heatmap_figure(M).data) == 1  # no n given: nothing greyed


def test_statements_label_rows_and_height_grows():
    statements = {
        "O1": "Minimize the time it takes to reconcile pipeline with the CRM "
        "when the quarter is closing",
        "O2": "b",
        "O3": "c",
    }
    fig = segment_heatmap_figure(M, statements=statements, label_chars=30)
    assert fig.data[0].y[0].startswith("O1  Minimize")
    assert fig.data[0].y[0].endswith("…")
    assert "when the quarter is closing" in fig.data[0].hovertext[0][0].replace("<br>", " ")
    tall = pd.DataFrame(
        np.ones((150, 3)), index=[f"O{i}" for i in range(150)], columns=["a", "b", "c"]
    )
    assert segment_heatmap_figure(tall).layout.height > fig.layout.height


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="mode must be"):
        segment_heatmap_figure(M, mode="ratio")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="matrix must be a DataFrame"):
        segment_heatmap_figure([[1.0]])  # type: ignore[arg-type]


def test_comparison_matrix_feeds_the_heatmap(study):
    from odi.analysis.significance import segment_differences

    comp = segment_differences(study, "role")
    fig = segment_heatmap_figure(
        comp.matrix("difference"),
        mode="difference",
        significance=comp.significance_matrix(),
        n_by_segment=comp.n_by_segment,
        statements=comp.statements,
    )
    text = np.asarray(fig.data[0].text)
    col = list(comp.matrix("difference").columns).index("VP")
    rows = [list(comp.matrix().index).index(f"O{i}") for i in range(1, 11)]
    assert sum("*" in t for t in text[rows, col]) >= 8
    assert "SDR<br>(n=24, too few)" in list(fig.layout.xaxis.ticktext)
