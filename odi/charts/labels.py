"""Label placement for scatter charts: boxes that overlap neither markers nor each other.

Both the interactive landscape (:mod:`odi.charts.landscape`) and the static PNG
(:mod:`odi.charts.static`) place their labels here, in data units, so a test can check the
result: :func:`overlaps` lists any pair of boxes that intersect.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["LabelBox", "overlaps", "place_labels"]

#: A box as ``(x0, x1, y0, y1)`` in data units.
Box = tuple[float, float, float, float]

# How far out a label may go, in label heights beyond the nearest ring.
_STEPS = 14
# Directions tried around a point, nearest first: right, above, left, below, then diagonals.
_DIRECTIONS: tuple[tuple[float, float], ...] = (
    (1.0, 0.0),
    (0.0, 1.0),
    (-1.0, 0.0),
    (0.0, -1.0),
    (1.0, 1.0),
    (-1.0, 1.0),
    (1.0, -1.0),
    (-1.0, -1.0),
    (0.5, 1.0),
    (-0.5, 1.0),
    (0.5, -1.0),
    (-0.5, -1.0),
)


@dataclass(frozen=True, slots=True)
class LabelBox:
    """Where one label goes, in data units.

    Attributes
    ----------
    index : int
        The point's row in the inputs.
    text : str
        The label.
    x, y : float
        The centre of the label box.
    x0, x1, y0, y1 : float
        The box's edges.
    leader : bool
        True when the label sits away from its point and needs a line back to it.
    """

    index: int
    text: str
    x: float
    y: float
    x0: float
    x1: float
    y0: float
    y1: float
    leader: bool

    def intersects(self, other: tuple[float, float, float, float]) -> bool:
        """True if this box and ``(x0, x1, y0, y1)`` overlap (touching edges do not count)."""
        x0, x1, y0, y1 = other
        return self.x0 < x1 and x0 < self.x1 and self.y0 < y1 and y0 < self.y1


def place_labels(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    texts: Sequence[str],
    chosen: Sequence[int] | np.ndarray,
    *,
    px_per_unit: float = 40.0,
    font_px: float = 11.0,
    marker_px: float = 11.0,
    bounds: tuple[float, float, float, float] = (0.0, 10.0, 0.0, 10.0),
) -> list[LabelBox]:
    """Place the labels of the ``chosen`` points, greedily in the order given.

    Each label is tried right of, above, left of and below its point, then diagonally, at
    growing distances; the first box that stays inside ``bounds`` and overlaps no marker and
    no label already placed wins. A label that fits nowhere is left out (the caller lists it
    elsewhere), so the result never overlaps.

    Parameters
    ----------
    x, y : sequence of float
        Every point's position in data units (all of them are obstacles; NaN ones are not).
    texts : sequence of str
        One label per point.
    chosen : sequence of int
        The points to label, most important first.
    px_per_unit : float
        Pixels per data unit on the drawn chart (the text and markers are sized in pixels).
    font_px : float
        Label font size in pixels.
    marker_px : float
        Marker diameter in pixels.
    bounds : tuple of float
        ``(x0, x1, y0, y1)``: the labels stay inside.

    Returns
    -------
    list of LabelBox
        The placed labels, in the order of ``chosen`` (missing those that did not fit).

    Examples
    --------
    >>> boxes = place_labels([1.0, 1.2, 8.0], [1.0, 1.0, 8.0], ["1", "2", "3"], [0, 1, 2])
    >>> [b.text for b in boxes], overlaps(boxes, [1.0, 1.2, 8.0], [1.0, 1.0, 8.0])
    (['1', '2', '3'], [])
    """
    if px_per_unit <= 0 or font_px <= 0 or marker_px < 0:
        raise ValueError(
            "px_per_unit and font_px must be above 0 and marker_px 0 or more; got "
            f"{px_per_unit}, {font_px}, {marker_px}"
        )
    px = np.asarray(x, dtype=float)
    py = np.asarray(y, dtype=float)
    if not (len(px) == len(py) == len(texts)):
        raise ValueError(
            f"x, y and texts must have the same length; got {len(px)}, {len(py)}, {len(texts)}"
        )
    unit = 1.0 / px_per_unit
    r = marker_px / 2 * unit
    obstacles = _marker_boxes(px, py, r)
    placed: list[LabelBox] = []
    gap = 2.0 * unit
    for i in chosen:
        if not (math.isfinite(px[i]) and math.isfinite(py[i])):
            continue
        w = (0.62 * font_px * max(len(texts[i]), 1) + 4) * unit
        h = (font_px + 3) * unit
        box = _first_free(px[i], py[i], w, h, r + gap, obstacles, bounds, i, texts[i])
        if box is not None:
            placed.append(box)
            obstacles = np.vstack([obstacles, [box.x0, box.x1, box.y0, box.y1]])
    return placed


def _marker_boxes(px: np.ndarray, py: np.ndarray, r: float) -> np.ndarray:
    """Every plotted marker's box as rows of ``x0, x1, y0, y1``."""
    ok = np.isfinite(px) & np.isfinite(py)
    return np.column_stack([px[ok] - r, px[ok] + r, py[ok] - r, py[ok] + r])


def _hits(boxes: np.ndarray, x0: float, x1: float, y0: float, y1: float) -> bool:
    if not len(boxes):
        return False
    return bool(
        np.any((boxes[:, 0] < x1) & (x0 < boxes[:, 1]) & (boxes[:, 2] < y1) & (y0 < boxes[:, 3]))
    )


def _first_free(
    cx: float,
    cy: float,
    w: float,
    h: float,
    near: float,
    obstacles: np.ndarray,
    bounds: Box,
    index: int,
    text: str,
) -> LabelBox | None:
    bx0, bx1, by0, by1 = bounds
    for step in range(_STEPS):
        reach = near + step * h
        for dx, dy in _DIRECTIONS:
            x = cx + dx * (reach + w / 2)
            y = cy + dy * (reach + h / 2)
            x0, x1, y0, y1 = x - w / 2, x + w / 2, y - h / 2, y + h / 2
            if x0 < bx0 or x1 > bx1 or y0 < by0 or y1 > by1:
                continue
            if _hits(obstacles, x0, x1, y0, y1):
                continue
            return LabelBox(index, text, x, y, x0, x1, y0, y1, leader=step >= 1)
    return None


def overlaps(
    boxes: Sequence[LabelBox],
    x: Sequence[float] | np.ndarray = (),
    y: Sequence[float] | np.ndarray = (),
    *,
    px_per_unit: float = 40.0,
    marker_px: float = 11.0,
) -> list[tuple[str, str]]:
    """Pairs that intersect: two labels, or a label and a marker (named ``"point i"``).

    Examples
    --------
    >>> a = LabelBox(0, "A", 1, 1, 0.5, 1.5, 0.8, 1.2, False)
    >>> b = LabelBox(1, "B", 1.2, 1, 0.7, 1.7, 0.8, 1.2, False)
    >>> overlaps([a, b])
    [('A', 'B')]
    """
    found = [
        (a.text, b.text)
        for k, a in enumerate(boxes)
        for b in boxes[k + 1 :]
        if a.intersects((b.x0, b.x1, b.y0, b.y1))
    ]
    px, py = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    r = marker_px / 2 / px_per_unit
    for j, (a, b) in enumerate(zip(px, py, strict=True)):
        if not (math.isfinite(a) and math.isfinite(b)):
            continue
        found.extend(
            (box.text, f"point {j}")
            for box in boxes
            if box.intersects((a - r, a + r, b - r, b + r))
        )
    return found
