"""The persona editor's form, without a UI: what each field's widget starts with, and the
persona document after the user's edits.

A form is a flat mapping of field names to widget values, as a UI keeps them:

- a card field by its name (``"goals"``): text, one item per line for list fields, and
  the buying role's value or ``""``;
- ``"inf_<field>"`` (bool) and ``"note_<field>"`` (text): the field is inferred, and how
  to validate it;
- ``"seg_<attribute>"``: the segment's values of one attribute;
- ``"negative"`` (bool) and ``"last_reviewed"`` (a date or None).

Only the keys present are applied, so a form that shows a few widgets changes only those.

Examples
--------
>>> data = Persona(id="vp", name="VP", goals=("Hit target",)).to_dict()
>>> form = form_values(data, attributes=["role"])
>>> form["goals"], form["inf_goals"], form["seg_role"]
('Hit target', False, [])
>>> edited = apply_form(data, {"goals": "Hit target\\n\\n Grow pipeline ", "inf_goals": True,
...                            "note_goals": "ask 5 VPs", "seg_role": ["VP Sales"]},
...                     attributes=["role"])
>>> Persona.from_dict(edited).goals, edited["inferred"], edited["segment"]
(('Hit target', 'Grow pipeline'), {'goals': 'ask 5 VPs'}, {'role': ['VP Sales']})
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Literal

from odi.personas.model import (
    _LIST_FIELDS,
    CARD_FIELDS,
    ICP,
    Persona,
    PersonaSet,
    check_within_icp,
    new_persona_id,
)

__all__ = [
    "LONG_FIELDS",
    "FieldKind",
    "apply_form",
    "field_kind",
    "form_values",
    "merge_imported",
    "new_persona",
]

#: Text fields edited in a text area rather than a one-line input.
LONG_FIELDS = frozenset(
    {"context", "functional_job", "emotional_job", "social_job", "buying_process", "messaging_hook"}
)

FieldKind = Literal["list", "long", "text", "role"]


def field_kind(name: str) -> FieldKind:
    """Which widget a card field needs.

    Examples
    --------
    >>> [field_kind(n) for n in ("goals", "context", "seniority", "buying_role")]
    ['list', 'long', 'text', 'role']
    """
    if name not in CARD_FIELDS:
        raise ValueError(f"field must be one of the card fields; got {name!r}")
    if name == "buying_role":
        return "role"
    if name in _LIST_FIELDS:
        return "list"
    return "long" if name in LONG_FIELDS else "text"


def form_values(data: Mapping[str, Any], *, attributes: Iterable[str]) -> dict[str, Any]:
    """Every widget's starting value for a stored persona document."""
    inferred = data.get("inferred") or {}
    segment = data.get("segment") or {}
    out: dict[str, Any] = {}
    for name in CARD_FIELDS:
        value = data.get(name)
        out[name] = "\n".join(value or []) if field_kind(name) == "list" else (value or "")
        out[f"inf_{name}"] = name in inferred
        out[f"note_{name}"] = inferred.get(name, "")
    for attr in attributes:
        out[f"seg_{attr}"] = list(segment.get(attr, []))
    out["negative"] = bool(data.get("negative"))
    raw = data.get("last_reviewed")
    out["last_reviewed"] = date.fromisoformat(raw) if raw else None
    return out


def _lines(value: object) -> list[str]:
    return [line.strip() for line in str(value).splitlines() if line.strip()]


def apply_form(
    data: Mapping[str, Any], form: Mapping[str, Any], *, attributes: Iterable[str]
) -> dict[str, Any]:
    """The stored persona document with the form's values applied (only keys present)."""
    out = dict(data)
    for name in CARD_FIELDS:
        if name not in form:
            continue
        kind = field_kind(name)
        value = form[name]
        if kind == "list":
            out[name] = _lines(value)
        elif kind == "role":
            out[name] = value or None
        else:
            out[name] = str(value)
    if any(f"inf_{n}" in form for n in CARD_FIELDS):
        out["inferred"] = {
            n: str(form.get(f"note_{n}") or "") for n in CARD_FIELDS if form.get(f"inf_{n}")
        }
    if "negative" in form:
        out["negative"] = bool(form["negative"])
    if "last_reviewed" in form:
        day = form["last_reviewed"]
        out["last_reviewed"] = day.isoformat() if day else None
    attrs = list(attributes)
    if any(f"seg_{a}" in form for a in attrs):
        out["segment"] = {a: list(form[f"seg_{a}"]) for a in attrs if form.get(f"seg_{a}")}
    return out


def new_persona(
    name: str,
    *,
    attribute: str = "",
    values: Sequence[str] = (),
    taken: Iterable[str] = (),
    icp: ICP | None = None,
    today: date,
) -> Persona:
    """A persona from the "New persona" form: a name and one segment condition.

    Raises ``ValueError`` for a blank name or a segment outside the study's ICP.

    Examples
    --------
    >>> p = new_persona(" The VP ", attribute="role", values=["VP"], taken=["the-vp"],
    ...                 today=date(2026, 5, 1))
    >>> p.id, p.name, dict(p.segment), p.last_reviewed
    ('the-vp-2', 'The VP', {'role': ('VP',)}, datetime.date(2026, 5, 1))
    """
    if not name.strip():
        raise ValueError("a persona needs a name (its archetype name); got a blank one")
    persona = Persona(
        id=new_persona_id(name, taken=taken),
        name=name.strip(),
        segment={attribute: tuple(values)} if attribute and values else {},
        last_reviewed=today,
    )
    check_within_icp(persona, icp)
    return persona


def merge_imported(
    incoming: PersonaSet, *, existing: Collection[Persona]
) -> tuple[list[Persona], list[str]]:
    """Which imported personas to add to a study, and which are already there.

    A persona identical to one in the study is skipped (importing a file twice adds
    nothing); one whose id is taken by a different persona gets a fresh id.

    Returns
    -------
    (list of Persona, list of str)
        The personas to add, and the names of those skipped.
    """
    same = {p.id: p for p in existing}
    taken = set(same)
    add, skipped = [], []
    for p in incoming.personas:
        if same.get(p.id) == p:
            skipped.append(p.name)
            continue
        if p.id in taken:
            p = Persona.from_dict({**p.to_dict(), "id": None}, taken=taken)
        taken.add(p.id)
        add.append(p)
    return add, skipped
