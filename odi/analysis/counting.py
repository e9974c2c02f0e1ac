"""Top-box and valid-answer counts straight from the int8 rating codes.

Every count here is an exact integer, read a block of respondents at a time so that the
temporaries stay a few MiB at any size, and in the order that suits the matrix's memory
layout: row blocks for a row-major matrix, one contiguous column at a time for a
column-major one. Segments are counted in the same pass: each block's rows are
ordered by segment once (for both sides) and every segment sums its own slice, so no
segment copies the full rows of the matrix. A bootstrap of a small study builds its
float32 indicators once (:class:`Indicators`) and every segment's resamples read a run
of their rows; a large one is counted a block of respondents at a time
(:func:`bootstrap_counts`), so its memory stays bounded.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from threadpoolctl import ThreadpoolController

from odi.scale import MISSING_CODE

__all__ = ["Indicators", "bootstrap_counts", "group_counts", "side_counts"]

#: Rows per block: 255 x 128, so a block's 0/1 indicators sum exactly in uint8 per 255 rows.
_BLOCK = 255 * 128
#: Below this many multiply-adds (resamples x respondents x outcomes) a bootstrap's
#: products run on one BLAS thread.
_SMALL_PRODUCT = 200_000_000
#: Indicator cells (respondents x outcomes) per block of the bootstrap.
_BOOT_CELLS = 1 << 21
#: Up to this many respondents x outcomes, a bootstrap builds its indicators once
#: (:class:`Indicators`, 16 bytes a cell at most) instead of block by block.
SHARED_CELLS = 1 << 20


def _sum_rows(flags: np.ndarray, out: np.ndarray) -> None:
    """Add the column sums of a C-contiguous 0/1 matrix to ``out`` (exact, fast: 255 rows
    at a time in uint8, then in int64)."""
    rows, cols = flags.shape
    full = rows - rows % 255
    as_bytes = flags.view(np.uint8)
    if full:
        # 255 slabs of rows added cell by cell: an outer-axis reduction, which NumPy
        # vectorises over whole rows (summing a middle axis is about 4x slower).
        partial = np.add.reduce(as_bytes[:full].reshape(255, -1, cols), axis=0, dtype=np.uint8)
        out += partial.sum(axis=0, dtype=np.int64)
    if rows > full:  # under 255 rows: exact in uint8 too
        out += np.add.reduce(as_bytes[full:], axis=0, dtype=np.uint8)


def side_counts(codes: np.ndarray, top_code: int) -> tuple[np.ndarray, np.ndarray]:
    """Valid and top-box answers per outcome, over every respondent.

    Parameters
    ----------
    codes : numpy.ndarray
        Respondents x outcomes int8 codes, :data:`~odi.scale.MISSING_CODE` for blank;
        row-major, column-major or any strided view.
    top_code : int
        The lowest top-box code.

    Returns
    -------
    (n_valid, n_top) : int64 arrays, one entry per outcome

    Examples
    --------
    >>> import numpy as np
    >>> codes = np.array([[5, 1], [4, -128], [2, 5]], dtype=np.int8)
    >>> [c.tolist() for c in side_counts(codes, 4)]
    [[3, 2], [2, 1]]
    >>> [c.tolist() for c in side_counts(np.asfortranarray(codes), 4)]
    [[3, 2], [2, 1]]
    """
    n_rows, n_cols = codes.shape
    valid = np.zeros(n_cols, dtype=np.int64)
    top = np.zeros(n_cols, dtype=np.int64)
    if codes.flags.f_contiguous and not codes.flags.c_contiguous:
        for j in range(n_cols):
            column = codes[:, j]
            valid[j] = n_rows - np.count_nonzero(column == MISSING_CODE)
            top[j] = np.count_nonzero(column >= top_code)
        return valid, top
    flags = np.empty((min(n_rows, _BLOCK), n_cols), dtype=bool)  # reused: no page faults
    for start in range(0, n_rows, _BLOCK):
        block = codes[start : start + _BLOCK]
        f = flags[: len(block)]
        np.not_equal(block, MISSING_CODE, out=f)
        _sum_rows(f, valid)
        np.greater_equal(block, top_code, out=f)
        _sum_rows(f, top)
    return valid, top


def group_counts(
    sides: Sequence[np.ndarray], top_code: int, groups: np.ndarray, n_groups: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Valid and top-box answers per group and outcome, all groups in one pass.

    Parameters
    ----------
    sides : sequence of numpy.ndarray
        Respondents x outcomes int8 codes (importance, satisfaction, ...), any memory
        order; each block of respondents is put in group order once for all of them.
    top_code : int
        The lowest top-box code.
    groups : numpy.ndarray
        The group of each respondent, ``0 .. n_groups - 1``, or -1 for none.
    n_groups : int
        Number of groups.

    Returns
    -------
    list of (n_valid, n_top)
        One pair per side: int64 arrays of shape (n_groups, outcomes).

    Examples
    --------
    >>> import numpy as np
    >>> codes = np.array([[5, 1], [4, -128], [2, 5], [5, 5]], dtype=np.int8)
    >>> [(valid, top)] = group_counts([codes], 4, np.array([0, 1, 0, -1]), 2)
    >>> valid.tolist(), top.tolist()
    ([[2, 2], [1, 0]], [[1, 1], [1, 0]])
    """
    n_rows = len(groups)
    if groups.ndim != 1 or any(codes.shape[0] != n_rows for codes in sides):
        shapes = [codes.shape for codes in sides]
        raise ValueError(
            f"groups must have one entry per respondent of every side {shapes}; got {groups.shape}"
        )
    out = [
        (np.zeros((n_groups, c.shape[1]), np.int64), np.zeros((n_groups, c.shape[1]), np.int64))
        for c in sides
    ]
    if not n_rows:
        return out
    # Blocks of equal size (a multiple of 255 rows), so no block is a small remainder.
    n_blocks = -(-n_rows // _BLOCK)
    step = -(-n_rows // (n_blocks * 255)) * 255
    buffers: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    for start in range(0, n_rows, step):
        g = groups[start : start + step]
        if n_groups == 1:  # a subset (where=): its rows, in order
            rows = np.flatnonzero(g == 0)
            bounds = np.array([0, len(rows)])
        else:
            if n_groups < 2**15:
                g = g.astype(np.int16, copy=False)  # a stable sort of 16-bit keys is a radix sort
            order = np.argsort(g, kind="stable")
            bounds = np.searchsorted(g[order], np.arange(n_groups + 1))
            rows = order[bounds[0] :]
            bounds = bounds - bounds[0]
        if not len(rows):
            continue
        spans = [(i, int(lo), int(hi)) for i, (lo, hi) in enumerate(pairwise(bounds)) if hi > lo]
        for codes, (valid, top) in zip(sides, out, strict=True):
            n_cols = codes.shape[1]
            if n_cols not in buffers:  # reused block to block and side to side
                buffers[n_cols] = tuple(  # type: ignore[assignment]
                    np.empty((min(n_rows, step), n_cols), dtype=dt)
                    for dt in (np.int8, np.int8, bool)
                )
            staged, gathered, flags = buffers[n_cols]
            block = codes[start : start + step]
            if n_groups == 1 and len(rows) == len(block) and block.flags.c_contiguous:
                sorted_block = block  # every row of the block, in order
            else:
                if block.flags.c_contiguous:
                    # Read the block in one stream first: gathering rows straight from main
                    # memory in group order is several times slower than from the cache.
                    np.copyto(staged[: len(block)], block)
                    block = staged[: len(block)]
                sorted_block = gathered[: len(rows)]
                np.take(block, rows, axis=0, out=sorted_block, mode="clip")
            f = flags[: len(sorted_block)]
            for counts, op, value in (
                (valid, np.not_equal, MISSING_CODE),
                (top, np.greater_equal, top_code),
            ):
                op(sorted_block, value, out=f)
                for i, lo, hi in spans:
                    _sum_rows(f[lo:hi], counts[i])
    return out


def bootstrap_counts(
    importance: np.ndarray,
    satisfaction: np.ndarray,
    top_code: int,
    weights: np.ndarray,
    members: np.ndarray | None = None,
) -> np.ndarray:
    """Top-box and valid counts of every resample, a block of respondents at a time.

    Parameters
    ----------
    importance, satisfaction : numpy.ndarray
        Respondents x outcomes int8 codes.
    top_code : int
        The lowest top-box code.
    weights : numpy.ndarray
        Resamples x members: how often each member was drawn (float32, exact counts).
    members : numpy.ndarray, optional
        Row positions of the resampled respondents (every row if omitted).

    Returns
    -------
    numpy.ndarray
        Resamples x (4 * outcomes) float64 exact counts: importance top-box, importance
        valid, satisfaction top-box, satisfaction valid.

    Examples
    --------
    >>> import numpy as np
    >>> imp = np.array([[5], [1], [-128]], dtype=np.int8)
    >>> sat = np.array([[4], [4], [2]], dtype=np.int8)
    >>> bootstrap_counts(imp, sat, 4, np.array([[1, 1, 1], [3, 0, 0]], np.float32)).tolist()
    [[1.0, 2.0, 2.0, 3.0], [3.0, 3.0, 3.0, 3.0]]
    """
    with _blas_threads(weights.shape[0], weights.shape[1], importance.shape[1]):
        return _bootstrap_counts(importance, satisfaction, top_code, weights, members)


def _blas_threads(n_res: int, n_members: int, k: int) -> AbstractContextManager[object]:
    """Small products run faster on one BLAS thread: on a busy machine, waking the
    others costs more than the work (a segment's bootstrap is often this small)."""
    if n_res * n_members * k < _SMALL_PRODUCT:
        return _blas_controller().limit(limits=1, user_api="blas")  # type: ignore[no-any-return]
    return nullcontext()


@functools.cache
def _blas_controller() -> ThreadpoolController:
    return ThreadpoolController()


def _bootstrap_counts(
    importance: np.ndarray,
    satisfaction: np.ndarray,
    top_code: int,
    weights: np.ndarray,
    members: np.ndarray | None,
) -> np.ndarray:
    n_res, n_members = weights.shape
    k = importance.shape[1]
    out = np.zeros((n_res, 4 * k), dtype=np.float64)
    step = max(1, _BOOT_CELLS // max(k, 1))
    for start in range(0, n_members, step):
        w = weights[:, start : start + step]
        rows = None if members is None else members[start : start + step]
        totals = w.sum(axis=1, dtype=np.float64)[:, None]
        for side, codes in enumerate((importance, satisfaction)):
            block = codes[start : start + step] if rows is None else codes.take(rows, axis=0)
            top = (block >= top_code).astype(np.float32)
            out[:, 2 * side * k : (2 * side + 1) * k] += w @ top
            # Valid = drawn - drawn blank; only columns with a blank in this block need a product.
            blank = block == MISSING_CODE
            cols = np.flatnonzero(blank.any(axis=0))
            valid = out[:, (2 * side + 1) * k : (2 * side + 2) * k]
            valid += totals
            if len(cols):
                valid[:, cols] -= w @ blank[:, cols].astype(np.float32)
    return out


@dataclass(frozen=True, slots=True)
class Indicators:
    """Float32 top-box and blank indicators of some respondents, built once and shared.

    Every resample of these respondents, or of any run of consecutive rows of them
    (put each segment's members together and every segment is a run), gets its counts
    from one matrix product with a view of :attr:`matrix`: no rows are copied or
    compared again. For small studies (:data:`SHARED_CELLS`); larger ones count a
    block of respondents at a time (:func:`bootstrap_counts`).

    Attributes
    ----------
    matrix : numpy.ndarray
        Rows x (2 outcomes + blank columns) float32: importance top box, satisfaction
        top box, then the blank indicators of the outcomes with a blank on each side.
    n_outcomes : int
        Number of outcomes.
    blank_columns : tuple of numpy.ndarray
        The outcomes with a blank, importance then satisfaction.

    Examples
    --------
    >>> import numpy as np
    >>> imp = np.array([[5], [1], [-128]], dtype=np.int8)
    >>> sat = np.array([[4], [4], [2]], dtype=np.int8)
    >>> ind = Indicators.build(imp, sat, 4)
    >>> ind.counts(np.array([[1, 1, 1], [3, 0, 0]], np.float32)).tolist()
    [[1.0, 2.0, 2.0, 3.0], [3.0, 3.0, 3.0, 3.0]]
    >>> ind.counts(np.array([[0, 2]], np.float32), start=1).tolist()  # rows 1 and 2
    [[0.0, 0.0, 0.0, 2.0]]
    """

    matrix: np.ndarray
    n_outcomes: int
    blank_columns: tuple[np.ndarray, np.ndarray]

    @classmethod
    def build(
        cls,
        importance: np.ndarray,
        satisfaction: np.ndarray,
        top_code: int,
        rows: np.ndarray | None = None,
    ) -> Indicators:
        """The indicators of ``rows`` (every row if omitted), in that order."""
        sides = [c if rows is None else c.take(rows, axis=0) for c in (importance, satisfaction)]
        k = importance.shape[1]
        blanks = [c == MISSING_CODE for c in sides]
        cols = tuple(np.flatnonzero(b.any(axis=0)) for b in blanks)
        flags = np.empty((len(sides[0]), 2 * k + len(cols[0]) + len(cols[1])), dtype=bool)
        at = 2 * k
        for side, (codes, blank, c) in enumerate(zip(sides, blanks, cols, strict=True)):
            np.greater_equal(codes, top_code, out=flags[:, side * k : (side + 1) * k])
            # Every outcome usually has a blank somewhere: then no columns are picked.
            flags[:, at : at + len(c)] = blank if len(c) == k else blank.take(c, axis=1)
            at += len(c)
        return cls(flags.astype(np.float32), k, (cols[0], cols[1]))

    def counts(self, weights: np.ndarray, start: int = 0) -> np.ndarray:
        """What :func:`bootstrap_counts` gives for the members ``start ..
        start + weights.shape[1] - 1`` (positions in :attr:`matrix`)."""
        k = self.n_outcomes
        n_res, n_members = weights.shape
        # Every product is an exact integer: its partial sums are at most n_members
        # (< 2**24, so exact in float32).
        with _blas_threads(n_res, n_members, k):
            product = weights @ self.matrix[start : start + n_members]
        out = np.empty((n_res, 4 * k), dtype=np.float64)
        totals = weights.sum(axis=1, dtype=np.float64)[:, None]
        at = 2 * k
        for side, cols in enumerate(self.blank_columns):
            out[:, 2 * side * k : (2 * side + 1) * k] = product[:, side * k : (side + 1) * k]
            valid = out[:, (2 * side + 1) * k : (2 * side + 2) * k]
            valid[:] = totals
            if len(cols) == k:
                valid -= product[:, at : at + k]
            elif len(cols):
                valid[:, cols] -= product[:, at : at + len(cols)]
            at += len(cols)
        return out
