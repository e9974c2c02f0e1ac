"""Field-by-field differences between two JSON documents, and a three-way merge.

Dictionaries are compared key by key, giving dotted paths (``identity.titles``); anything else,
lists included, is compared as one value. A field that is absent on one side shows as ``None``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = ["FieldChange", "MergeResult", "diff_documents", "merge_documents"]


class FieldChange(NamedTuple):
    """One field that differs: its dotted path, the old value and the new value."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class MergeResult:
    """Result of :func:`merge_documents`.

    Attributes
    ----------
    data : dict
        The merged document. Where both sides changed a field differently, it holds *mine*.
    conflicts : tuple of str
        The dotted paths of the fields both sides changed differently (to settle by hand).
    """

    data: dict[str, Any]
    conflicts: tuple[str, ...]


_MISSING: Any = object()


def _same(a: Any, b: Any) -> bool:
    """Strict JSON equality: ``1``, ``1.0`` and ``true`` differ; key order does not matter."""
    if a is _MISSING or b is _MISSING:
        return a is b
    return bool(
        json.dumps(a, sort_keys=True, default=repr) == json.dumps(b, sort_keys=True, default=repr)
    )


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def _diff(old: Any, new: Any, prefix: str, out: list[FieldChange]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            path = _join(prefix, key)
            if key not in new:
                out.append(FieldChange(path, old[key], None))
            elif key not in old:
                out.append(FieldChange(path, None, new[key]))
            else:
                _diff(old[key], new[key], path, out)
    elif not _same(old, new):
        out.append(FieldChange(prefix, old, new))


def diff_documents(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """List the fields that differ between two documents, in document order.

    Parameters
    ----------
    old, new : dict
        Two JSON documents, e.g. two versions of a persona.

    Returns
    -------
    list of FieldChange
        ``(path, old, new)`` for each changed leaf; empty when the documents are equal.

    Examples
    --------
    >>> a = {"name": "Ops lead", "identity": {"titles": ["COO"], "seniority": "VP"}}
    >>> b = {"name": "Ops lead", "identity": {"titles": ["COO", "CFO"], "seniority": "VP"},
    ...      "hook": "Close faster"}
    >>> for change in diff_documents(a, b):
    ...     print(change)
    FieldChange(path='identity.titles', old=['COO'], new=['COO', 'CFO'])
    FieldChange(path='hook', old=None, new='Close faster')
    >>> diff_documents(a, a)
    []
    """
    out: list[FieldChange] = []
    _diff(old, new, "", out)
    return out


def _merge(base: Any, mine: Any, theirs: Any, prefix: str, conflicts: list[str]) -> Any:
    if _same(mine, theirs) or _same(base, theirs):
        return mine
    if _same(base, mine):
        return theirs
    if isinstance(mine, dict) and isinstance(theirs, dict):
        b = base if isinstance(base, dict) else {}
        merged: dict[str, Any] = {}
        for key in [*theirs, *(k for k in mine if k not in theirs)]:
            value = _merge(
                b.get(key, _MISSING),
                mine.get(key, _MISSING),
                theirs.get(key, _MISSING),
                _join(prefix, key),
                conflicts,
            )
            if value is not _MISSING:
                merged[key] = value
        return merged
    conflicts.append(prefix)
    return mine


def merge_documents(
    base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]
) -> MergeResult:
    """Merge two edits of the same document, field by field.

    A field changed on one side only takes that side's value; a field both sides changed
    the same way is kept; a field both sides changed differently keeps *mine* and is listed
    in ``conflicts`` so the user can settle it by hand.

    Parameters
    ----------
    base : dict
        The version both edits started from.
    mine, theirs : dict
        The two edited documents.

    Returns
    -------
    MergeResult

    Examples
    --------
    >>> base = {"name": "Ops lead", "hook": "Save time", "goals": ["a"]}
    >>> mine = {"name": "Ops lead", "hook": "Save hours", "goals": ["a"]}
    >>> theirs = {"name": "Operations lead", "hook": "Save days", "goals": ["a"]}
    >>> result = merge_documents(base, mine, theirs)
    >>> result.data
    {'name': 'Operations lead', 'hook': 'Save hours', 'goals': ['a']}
    >>> result.conflicts
    ('hook',)
    """
    conflicts: list[str] = []
    merged = _merge(base, mine, theirs, "", conflicts)
    return MergeResult(data=merged, conflicts=tuple(conflicts))
