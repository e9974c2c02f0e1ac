"""Two audiences for one list of unmet needs: sales and marketing, and analysts.

- **Sales and marketing** read the outcome statement in plain words, a short line on why
  it matters (the share of respondents who rate it important and the share satisfied
  today) and a simple strength marker. No I/S/O letters, no intervals, no seeds.
- **Analysts** get importance, satisfaction, opportunity, the opportunity interval and n,
  and a flags column only when some need is flagged.

:func:`card_table` is the table every card format (Markdown, HTML, PDF) draws, so the
formats cannot drift apart; :func:`needs_brief_frame` is the sales list for spreadsheets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from odi.analysis.unmet_needs import UnmetNeeds

__all__ = [
    "AUDIENCES",
    "BRIEF_PCT",
    "STRENGTH_NOTE",
    "Audience",
    "CardTable",
    "card_needs",
    "card_table",
    "flags_text",
    "interval_text",
    "needs_brief_frame",
    "num_text",
    "strength",
    "why_it_matters",
]

Audience = Literal["sales", "analyst"]
AUDIENCES: tuple[Audience, ...] = ("sales", "analyst")

#: What the strength marker means, in plain words (printed once under a sales list).
STRENGTH_NOTE = (
    "Strength: ●●● strong, ●●○ clear, ●○○ moderate unmet need; ○○○ kept by the team "
    "although below the line. “To confirm”: few answers, or the evidence sits close to "
    "the line."
)

#: The rounded share columns of :func:`needs_brief_frame`.
BRIEF_PCT = ("Rate it important (%)", "Satisfied today (%)")

_MARKERS = {
    "underserved-extreme": "●●● Strong",
    "underserved-high": "●●○ Clear",
    "underserved-solid": "●○○ Moderate",
}


def num_text(value: float, digits: int = 1) -> str:
    """A score for display; a dash when missing.

    Examples
    --------
    >>> num_text(12.345), num_text(float("nan"))
    ('12.3', '–')
    """
    return "–" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def interval_text(low: float, high: float) -> str:
    """An interval for display, e.g. ``'9.8–14.1'``; a dash when unknown."""
    if math.isnan(low) or math.isnan(high):
        return "–"
    return f"{low:.1f}–{high:.1f}"


def flags_text(row: pd.Series, *, threshold: float, min_n: int) -> str:
    """The flags of one unmet need in words: pinned, below threshold, interval, small n."""
    flags = []
    if bool(row.get("pinned", False)):
        flags.append("pinned")
    if bool(row.get("below_threshold", False)):
        flags.append(f"below {threshold:g}")
    if bool(row.get("crosses_threshold", False)):
        flags.append(f"interval crosses {threshold:g}")
    if bool(row.get("small_n", False)):
        flags.append(f"n < {min_n}")
    return "; ".join(flags)


def strength(row: pd.Series) -> str:
    """A simple strength marker for one unmet need, from its zone.

    Examples
    --------
    >>> import pandas as pd
    >>> strength(pd.Series({"zone": "underserved-high", "below_threshold": False}))
    '●●○ Clear'
    >>> strength(pd.Series({"zone": "underserved-solid", "small_n": True}))
    '●○○ Moderate (to confirm)'
    >>> strength(pd.Series({"zone": "overserved", "below_threshold": True}))
    '○○○ Kept by the team'
    """
    if bool(row.get("below_threshold", False)):
        return "○○○ Kept by the team"
    text = _MARKERS.get(str(row.get("zone", "")), "●○○ Moderate")
    if bool(row.get("small_n", False)) or bool(row.get("crosses_threshold", False)):
        text += " (to confirm)"
    return text


def why_it_matters(row: pd.Series) -> str:
    """One plain line: how many rate the outcome important, how few are satisfied today.

    Importance and satisfaction are 10 × the top-box share, so 8.2 reads as 82 %.

    Examples
    --------
    >>> import pandas as pd
    >>> why_it_matters(pd.Series({"importance": 8.2, "satisfaction": 3.1}))
    '82% call it important; only 31% are satisfied today.'
    >>> why_it_matters(pd.Series({"importance": 6.0, "satisfaction": 7.0}))
    '60% call it important; 70% are satisfied today.'
    """
    imp, sat = float(row["importance"]), float(row["satisfaction"])
    if math.isnan(imp) or math.isnan(sat):
        return "Too few answers to say."
    only = "only " if sat < imp else ""
    return f"{imp * 10:.0f}% call it important; {only}{sat * 10:.0f}% are satisfied today."


def card_needs(needs: UnmetNeeds, *, top: int) -> pd.DataFrame:
    """The unmet needs a card shows: the top ``top`` plus every pinned one, ranked."""
    t = needs.table
    keep = (t["rank"] <= top) | t["pinned"]
    return t.loc[keep].reset_index(drop=True)


@dataclass(frozen=True, slots=True)
class CardTable:
    """The unmet-needs table of a card, as display text.

    Attributes
    ----------
    headers : tuple of str
    numeric : tuple of bool
        Right-aligned columns.
    widths : tuple of float
        Relative column widths (the PDF scales them to the page).
    rows : tuple of tuple of str
    more : int
        Unmet needs in the full list that the card leaves out.
    """

    headers: tuple[str, ...]
    numeric: tuple[bool, ...]
    widths: tuple[float, ...]
    rows: tuple[tuple[str, ...], ...]
    more: int


def _n_text(row: pd.Series) -> str:
    a, b = int(row["n_importance"]), int(row["n_satisfaction"])
    return str(a) if a == b else f"{a}/{b}"


def card_table(needs: UnmetNeeds, *, audience: Audience, top: int) -> CardTable:
    """The card's unmet-needs table for ``audience``.

    Sales: ``#, Unmet need, Why it matters, Strength``. Analyst: ``#, Outcome, I, S, O,
    O 95% interval, n`` and ``Flags`` only when some shown need is flagged; n is one
    number when importance and satisfaction have the same count.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}; got {audience!r}")
    shown = card_needs(needs, top=top)
    more = len(needs.table) - len(shown)
    if audience == "sales":
        rows = tuple(
            (str(int(r["rank"])), str(r["outcome"]), why_it_matters(r), strength(r))
            for _, r in shown.iterrows()
        )
        return CardTable(
            ("#", "Unmet need", "Why it matters", "Strength"),
            (True, False, False, False),
            (5, 90, 62, 29),
            rows,
            more,
        )
    flags = [
        flags_text(r, threshold=needs.threshold, min_n=needs.min_n) for _, r in shown.iterrows()
    ]
    with_flags = any(flags)
    out = []
    for (_, r), flag in zip(shown.iterrows(), flags, strict=True):
        cells = [
            str(int(r["rank"])),
            f"{r['outcome']} ({r['outcome_id']})",
            num_text(r["importance"]),
            num_text(r["satisfaction"]),
            num_text(r["opportunity"]),
            interval_text(r["opportunity_low"], r["opportunity_high"]),
            _n_text(r),
        ]
        out.append(tuple([*cells, flag] if with_flags else cells))
    headers: tuple[str, ...] = ("#", "Outcome", "I", "S", "O", "O 95% interval", "n")
    numeric: tuple[bool, ...] = (True, False, True, True, True, True, True)
    widths: tuple[float, ...] = (6, 96, 10, 10, 10, 20, 12)
    if with_flags:
        headers, numeric, widths = (*headers, "Flags"), (*numeric, False), (*widths, 30)
    return CardTable(headers, numeric, widths, tuple(out), more)


def needs_brief_frame(needs: Sequence[UnmetNeeds]) -> pd.DataFrame:
    """The unmet-needs list for sales and marketing: plain words, rounded, one row per need.

    Columns (human headers): ``Persona, Rank, Unmet need, Why it matters, Strength,
    Rate it important (%), Satisfied today (%)``; the shares are whole percentages of the
    persona's respondents, rounded for display.
    """
    rows = []
    for n in needs:
        for _, r in n.table.iterrows():
            imp, sat = float(r["importance"]), float(r["satisfaction"])
            rows.append(
                {
                    "Persona": n.persona.name,
                    "Rank": int(r["rank"]),
                    "Unmet need": str(r["outcome"]),
                    "Why it matters": why_it_matters(r),
                    "Strength": strength(r),
                    BRIEF_PCT[0]: None if math.isnan(imp) else round(imp * 10),
                    BRIEF_PCT[1]: None if math.isnan(sat) else round(sat * 10),
                }
            )
    columns = ["Persona", "Rank", "Unmet need", "Why it matters", "Strength", *BRIEF_PCT]
    return pd.DataFrame(rows, columns=columns).astype(dict.fromkeys(BRIEF_PCT, "Int64"))
