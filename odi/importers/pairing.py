"""Pair importance and satisfaction columns by statement text or statement id.

Never by column order: the two matrices can list their statements in different
orders, and statement ids (Qualtrics recodes) can be non-contiguous. Text is tried
first; ids are used when there is exactly one importance and one satisfaction
matrix and their texts do not match (for example when each column's text is a
whole question such as ``How important is it to ...``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from odi.importers.text import statement_key

__all__ = ["Candidate", "Pairing", "none_paired_message", "pair_candidates"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A column that looks like one side of an outcome rating.

    ``block`` identifies its question (matrix); ``single`` marks a one-column
    question, which is paired when a partner exists and otherwise left as an
    attribute.
    """

    column: str
    side: str
    block: str
    statement: str
    statement_id: str = ""
    single: bool = False


@dataclass(frozen=True, slots=True)
class Pairing:
    """The outcome key of every paired column, or why pairing failed."""

    outcome: dict[str, str] = field(default_factory=dict)
    basis: str = ""
    unpaired_singles: tuple[Candidate, ...] = ()
    error: str = ""


def none_paired_message(source: str, questions: int, candidates: Sequence[Candidate]) -> str:
    """The error for a file with questions but no importance/satisfaction pairs.

    Examples
    --------
    >>> none_paired_message("s.csv", 3, [])
    's.csv: found 3 questions, none of them importance/satisfaction pairs. An ODI survey ...'
    """
    imp = sorted({c.block for c in candidates if c.side == "importance"})
    sat = sorted({c.block for c in candidates if c.side == "satisfaction"})
    seen = ""
    if imp or sat:
        seen = (
            f" (importance questions: {', '.join(map(repr, imp[:3])) or 'none'}; "
            f"satisfaction questions: {', '.join(map(repr, sat[:3])) or 'none'})"
        )
    return (
        f"{source}: found {questions} question{'s' if questions != 1 else ''}, none of them "
        f"importance/satisfaction pairs{seen}. An ODI survey rates each outcome statement twice, "
        "for importance and for satisfaction, with the same statements on both sides; if the "
        "file has such columns, pair them with a column map"
    )


def _by(cands: Sequence[Candidate], key: str) -> dict[str, Candidate] | None:
    out: dict[str, Candidate] = {}
    for c in cands:
        k = statement_key(c.statement) if key == "text" else c.statement_id
        if not k or k in out:
            return None
        out[k] = c
    return out


def _repeated(cands: Sequence[Candidate]) -> tuple[Candidate, Candidate] | None:
    seen: dict[str, Candidate] = {}
    for c in cands:
        key = statement_key(c.statement)
        if key and key in seen:
            return seen[key], c
        seen.setdefault(key, c)
    return None


def _matched(
    imp: dict[str, Candidate], sat: dict[str, Candidate]
) -> tuple[list[str], list[Candidate], list[Candidate]]:
    keys = [k for k in imp if k in sat]
    only_imp = [c for k, c in imp.items() if k not in sat]
    only_sat = [c for k, c in sat.items() if k not in imp]
    return keys, only_imp, only_sat


def _describe(cands: Sequence[Candidate]) -> str:
    shown = ", ".join(repr(c.statement or c.column) for c in cands[:8])
    return shown + (f" and {len(cands) - 8} more" if len(cands) > 8 else "")


def pair_candidates(candidates: Sequence[Candidate], *, questions: int, source: str) -> Pairing:
    """Pair the candidates; every matrix statement must find its partner.

    Examples
    --------
    >>> cs = [Candidate("Q1_1", "importance", "Q1", "Find it", "1"),
    ...       Candidate("Q1_4", "importance", "Q1", "Fix it", "4"),
    ...       Candidate("Q2_4", "satisfaction", "Q2", "fix it", "4"),
    ...       Candidate("Q2_1", "satisfaction", "Q2", "Find it.", "1")]
    >>> p = pair_candidates(cs, questions=2, source="s.csv")
    >>> p.basis, p.outcome["Q2_4"], p.outcome["Q1_4"]
    ('statement text', 'Fix it', 'Fix it')
    """
    imp = [c for c in candidates if c.side == "importance"]
    sat = [c for c in candidates if c.side == "satisfaction"]
    if not imp or not sat:
        return Pairing(error=none_paired_message(source, questions, candidates))
    options: list[tuple[str, list[str], dict[str, Candidate], dict[str, Candidate]]] = []
    failures: list[tuple[int, list[Candidate], list[Candidate]]] = []
    by_text_imp, by_text_sat = _by(imp, "text"), _by(sat, "text")
    if by_text_imp is not None and by_text_sat is not None:
        keys, only_imp, only_sat = _matched(by_text_imp, by_text_sat)
        if not [c for c in (*only_imp, *only_sat) if not c.single]:
            options.append(("statement text", keys, by_text_imp, by_text_sat))
        else:
            failures.append((len(keys), only_imp, only_sat))
    blocks_imp = {c.block for c in imp if not c.single}
    blocks_sat = {c.block for c in sat if not c.single}
    matrix_imp = [c for c in imp if not c.single]
    matrix_sat = [c for c in sat if not c.single]
    if not options and len(blocks_imp) == 1 and len(blocks_sat) == 1:
        by_id_imp, by_id_sat = _by(matrix_imp, "id"), _by(matrix_sat, "id")
        if by_id_imp is not None and by_id_sat is not None:
            keys, only_imp, only_sat = _matched(by_id_imp, by_id_sat)
            if not only_imp and not only_sat:
                options.append(("statement id", keys, by_id_imp, by_id_sat))
            else:
                failures.append((len(keys), only_imp, only_sat))
    if not options:
        for side, cands in (("importance", imp), ("satisfaction", sat)):
            repeated = _repeated(cands)
            if repeated:
                first, second = repeated
                return Pairing(
                    error=(
                        f"{source}: the statement {first.statement!r} is rated for {side} in "
                        f"two columns ({first.column!r} and {second.column!r}), so it cannot be "
                        "paired by its text; give each statement once per side, or pair the "
                        "columns with a column map"
                    )
                )
        if not failures or max(f[0] for f in failures) == 0:
            return Pairing(error=none_paired_message(source, questions, candidates))
        _, only_imp, only_sat = max(failures, key=lambda f: f[0])
        only_imp = [c for c in only_imp if not c.single]
        only_sat = [c for c in only_sat if not c.single]
        parts = []
        if only_imp:
            parts.append(f"only rated for importance: {_describe(only_imp)}")
        if only_sat:
            parts.append(f"only rated for satisfaction: {_describe(only_sat)}")
        return Pairing(
            error=(
                f"{source}: the importance and satisfaction questions list different "
                f"statements; {'; '.join(parts)}. Make both questions list the same statements, "
                "or pair the columns with a column map"
            )
        )
    basis, keys, imp_map, sat_map = options[0]
    outcome: dict[str, str] = {}
    used: set[str] = set()
    for key in keys:
        label = imp_map[key].statement or imp_map[key].column
        if label in used:
            label = f"{label} [{key}]"
        used.add(label)
        outcome[imp_map[key].column] = label
        outcome[sat_map[key].column] = label
    unpaired = tuple(c for c in candidates if c.column not in outcome)
    return Pairing(outcome=outcome, basis=basis, unpaired_singles=unpaired)
