"""Buyer personas: the card's fields, the segment each persona points at, and the study's ICP.

Everything here is pure data with validation: no scoring (see :mod:`odi.analysis.unmet_needs`),
no storage. Personas round-trip through JSON (:func:`personas_to_json`,
:func:`personas_from_json`) so teams can keep them in version control.

- A :class:`Persona` holds the persona card's fields (identity, context, jobs, goals,
  challenges, triggers, buying role and process, objections, information sources,
  messaging hook). Any field can be marked *inferred* with a note saying how to
  validate it; cards show such fields with an asterisk.
- Its ``segment`` is a set of attribute conditions ``{column: [values]}``, the same
  form :func:`odi.analysis.segments.segment_mask` takes. Its unmet needs are scored from the
  respondents who match it.
- The study's :class:`ICP` (ideal customer profile) is a set of company-level
  conditions that every persona's segment sits inside: a persona's condition on an
  ICP column may only narrow the ICP's values, and the respondents scored for a
  persona are those matching the ICP *and* the persona.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any

from odi.analysis.segments import describe_conditions
from odi.limits import check_stored_json, loads_limited, one_line_name

__all__ = [
    "CARD_FIELDS",
    "FIELD_LABELS",
    "ICP",
    "MAX_PERSONAS",
    "REVIEW_MONTHS",
    "BuyingRole",
    "ClusterRef",
    "Persona",
    "PersonaSet",
    "PersonaWarning",
    "check_within_icp",
    "effective_conditions",
    "new_persona_id",
    "persona_warnings",
    "personas_from_json",
    "personas_to_json",
]

#: More primary personas than this usually means the ICP is not focused.
MAX_PERSONAS = 5
#: Review personas at least this often.
REVIEW_MONTHS = 12

#: The format tag and version written into persona JSON files.
JSON_FORMAT = "odi-personas"
JSON_VERSION = 1
#: The longest persona name (the workspace stores names of up to 200 characters).
NAME_LIMIT = 200


class BuyingRole(StrEnum):
    """The part a persona plays in the purchase."""

    ECONOMIC_BUYER = "economic buyer"
    CHAMPION = "champion"
    TECHNICAL_EVALUATOR = "technical evaluator"
    END_USER = "end user"
    BLOCKER = "blocker"


#: The persona card's fields, in card order; these are the keys of ``Persona.inferred``.
CARD_FIELDS: tuple[str, ...] = (
    "name",
    "titles",
    "seniority",
    "reporting_line",
    "context",
    "functional_job",
    "emotional_job",
    "social_job",
    "goals",
    "challenges",
    "trigger_events",
    "buying_role",
    "buying_process",
    "objections",
    "information_sources",
    "messaging_hook",
)

#: Display label of each card field.
FIELD_LABELS: dict[str, str] = {
    "name": "Archetype",
    "titles": "Typical titles",
    "seniority": "Seniority",
    "reporting_line": "Reports to",
    "context": "Context",
    "functional_job": "Functional job",
    "emotional_job": "Emotional job",
    "social_job": "Social job",
    "goals": "Goals (top 3)",
    "challenges": "Challenges (top 3)",
    "trigger_events": "Trigger events",
    "buying_role": "Buying role",
    "buying_process": "Buying process",
    "objections": "Key objections",
    "information_sources": "Information sources",
    "messaging_hook": "Messaging hook",
}

_LIST_FIELDS = (
    "titles",
    "goals",
    "challenges",
    "trigger_events",
    "objections",
    "information_sources",
)
#: The free-text fields: every card field but the lists and the buying role (an enum).
_TEXT_FIELDS = tuple(f for f in CARD_FIELDS if f not in (*_LIST_FIELDS, "buying_role"))
_TOP3 = ("goals", "challenges")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def new_persona_id(name: str = "", *, taken: Iterable[str] = ()) -> str:
    """A readable, unique id for a new persona: a slug of its name, or a random one.

    Examples
    --------
    >>> new_persona_id("The Pipeline-Accountable VP")
    'the-pipeline-accountable-vp'
    >>> new_persona_id("The Pipeline-Accountable VP", taken=["the-pipeline-accountable-vp"])
    'the-pipeline-accountable-vp-2'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:48].strip("-")
    if not slug:
        slug = "persona-" + uuid.uuid4().hex[:8]
    used = set(taken)
    candidate, k = slug, 2
    while candidate in used:
        candidate = f"{slug}-{k}"
        k += 1
    return candidate


def _norm(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", name.casefold())


def _conditions(value: object, *, what: str) -> dict[str, tuple[str, ...]]:
    """Validate and normalise ``{column: [values]}``; a lone string is one value."""
    if not isinstance(value, Mapping):
        raise ValueError(
            f"{what} must map attribute columns to lists of values, e.g. "
            f'{{"role": ["VP Sales"]}}; got {type(value).__name__}'
        )
    out: dict[str, tuple[str, ...]] = {}
    seen: dict[str, str] = {}
    for column, values in value.items():
        if not isinstance(column, str) or not column.strip():
            raise ValueError(f"{what} column names must be non-empty text; got {column!r}")
        if _norm(column) in seen:
            raise ValueError(
                f"{what} names the column {column!r} twice (also as {seen[_norm(column)]!r}); "
                "put all its values in one list"
            )
        seen[_norm(column)] = column
        items = [values] if isinstance(values, str) else values
        if not isinstance(items, Sequence) or not all(isinstance(v, str) for v in items):
            raise ValueError(
                f"{what}: the values of {column!r} must be a list of text values; got {values!r}"
            )
        cleaned = list(dict.fromkeys(v.strip() for v in items if v.strip()))
        if not cleaned:
            raise ValueError(
                f"{what}: {column!r} must list at least one value; got {values!r}. "
                "Remove the column to match every value"
            )
        out[column.strip()] = tuple(cleaned)
    return out


def _text(value: object, *, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text; got {type(value).__name__} {value!r}")
    return value


def _texts(value: object, *, what: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValueError(f"{what} must be a list of text items; got {value!r}")
    items = []
    for item in value:
        if not isinstance(item, str):
            raise ValueError(f"{what} must hold text items; got {item!r}")
        if item.strip():
            items.append(item)
    return tuple(items)


@dataclass(frozen=True, slots=True)
class ClusterRef:
    """A needs-based cluster a persona points at, once needs-based segmentation exists.

    Attributes
    ----------
    segmentation : str
        Id of the saved segmentation run (its settings and seed).
    cluster : str
        The cluster's label within that run.
    """

    segmentation: str
    cluster: str

    def __post_init__(self) -> None:
        for name in ("segmentation", "cluster"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"a cluster reference needs a non-empty {name}; got {value!r}")


@dataclass(frozen=True, slots=True)
class ICP:
    """The ideal customer profile: company-level conditions every persona sits inside.

    Attributes
    ----------
    conditions : mapping of str to tuple of str
        Attribute column -> allowed values (company size, industry, region...).
    description : str
        Free text: revenue, tech stack, triggers, anything the survey cannot filter on.

    Examples
    --------
    >>> icp = ICP({"company_size": ["100-249", "250-499"]})
    >>> icp.definition
    'company_size in {100-249, 250-499}'
    """

    conditions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "conditions", _conditions(self.conditions, what="the ICP"))
        _text(self.description, what="the ICP description")

    def __hash__(self) -> int:
        return hash(json.dumps(self.to_dict(), sort_keys=True))

    @property
    def definition(self) -> str:
        """The conditions in words."""
        return describe_conditions(self.conditions)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "conditions": {k: list(v) for k, v in self.conditions.items()},
            "description": self.description,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ICP:
        """Build from :meth:`to_dict` output; unknown keys are an error."""
        if not isinstance(data, Mapping):
            raise ValueError(f"the ICP must be an object; got {type(data).__name__}")
        _no_unknown_keys(data, {"conditions", "description"}, what="the ICP")
        return cls(conditions=data.get("conditions", {}), description=data.get("description", ""))


@dataclass(frozen=True, slots=True)
class Persona:
    """A buyer persona card, its segment and its curation of unmet needs.

    Attributes
    ----------
    id : str
        Stable id (letters, digits, ``.``, ``_``, ``-``; at most 64): pins, storage
        and file names key on it. See :func:`new_persona_id`.
    name : str
        Archetype name, role-based ("The Pipeline-Accountable VP").
    titles, seniority, reporting_line, context
        Identity and context.
    functional_job, emotional_job, social_job : str
        The jobs to be done.
    goals, challenges : tuple of str
        At most three each.
    trigger_events, objections, information_sources : tuple of str
    buying_role : BuyingRole or None
    buying_process, messaging_hook : str
    inferred : mapping of str to str
        Card field -> note on how to validate it, for fields filled by inference rather
        than data. Keys are from :data:`CARD_FIELDS`.
    segment : mapping of str to tuple of str
        Attribute conditions for the persona's respondents (within the study's ICP).
    cluster : ClusterRef or None
        A needs-based cluster, for later.
    negative : bool
        A negative persona: a profile the team does *not* want to win.
    last_reviewed : datetime.date or None
    pins : tuple of str
        Outcome ids always shown among the unmet needs, even below the threshold.
    hides : mapping of str to str
        Outcome id -> the reason it is hidden from the unmet needs.

    Examples
    --------
    >>> p = Persona(id="vp", name="The Pipeline-Accountable VP",
    ...             buying_role="champion", segment={"role": "VP Marketing"},
    ...             inferred={"messaging_hook": "A/B test in Q3"})
    >>> p.buying_role, p.segment, p.is_inferred("messaging_hook")
    (<BuyingRole.CHAMPION: 'champion'>, {'role': ('VP Marketing',)}, True)
    >>> Persona.from_dict(p.to_dict()) == p
    True
    """

    id: str
    name: str
    titles: tuple[str, ...] = ()
    seniority: str = ""
    reporting_line: str = ""
    context: str = ""
    functional_job: str = ""
    emotional_job: str = ""
    social_job: str = ""
    goals: tuple[str, ...] = ()
    challenges: tuple[str, ...] = ()
    trigger_events: tuple[str, ...] = ()
    buying_role: BuyingRole | None = None
    buying_process: str = ""
    objections: tuple[str, ...] = ()
    information_sources: tuple[str, ...] = ()
    messaging_hook: str = ""
    inferred: Mapping[str, str] = field(default_factory=dict)
    segment: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    cluster: ClusterRef | None = None
    negative: bool = False
    last_reviewed: date | None = None
    pins: tuple[str, ...] = ()
    hides: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _ID_RE.match(self.id):
            raise ValueError(
                "a persona id must be 1-64 letters, digits, '.', '_' or '-' starting with a "
                f"letter or digit; got {self.id!r}"
            )
        who = f"persona {self.id!r}"
        for name in _TEXT_FIELDS:
            _text(getattr(self, name), what=f"{who}: {name}")
        if not self.name.strip():
            raise ValueError(f"{who} needs an archetype name, e.g. 'The Pipeline-Accountable VP'")
        one_line_name(self.name, what=f"{who}: name", limit=NAME_LIMIT)
        for name in _LIST_FIELDS:
            object.__setattr__(self, name, _texts(getattr(self, name), what=f"{who}: {name}"))
        for name in _TOP3:
            items = getattr(self, name)
            if len(items) > 3:
                raise ValueError(
                    f"{who}: {name} holds the top 3 only; got {len(items)}. Keep the three "
                    "that matter most"
                )
        raw_role: object = self.buying_role
        if raw_role is not None and not isinstance(raw_role, BuyingRole):
            try:
                role = BuyingRole(str(raw_role).strip().casefold())
            except ValueError:
                allowed = ", ".join(r.value for r in BuyingRole)
                raise ValueError(
                    f"{who}: buying_role must be one of {allowed}; got {self.buying_role!r}"
                ) from None
            object.__setattr__(self, "buying_role", role)
        if not isinstance(self.inferred, Mapping):
            raise ValueError(f"{who}: inferred must map card fields to validation notes")
        inferred: dict[str, str] = {}
        for key, note in self.inferred.items():
            if key not in CARD_FIELDS:
                raise ValueError(
                    f"{who}: inferred names an unknown card field {key!r}; the fields are "
                    f"{', '.join(CARD_FIELDS)}"
                )
            inferred[key] = _text(note, what=f"{who}: the validation note of {key}")
        object.__setattr__(self, "inferred", {k: inferred[k] for k in CARD_FIELDS if k in inferred})
        object.__setattr__(self, "segment", _conditions(self.segment, what=f"{who}: segment"))
        if self.cluster is not None and not isinstance(self.cluster, ClusterRef):
            raise ValueError(f"{who}: cluster must be a ClusterRef; got {self.cluster!r}")
        if not isinstance(self.negative, bool):
            raise ValueError(f"{who}: negative must be true or false; got {self.negative!r}")
        if self.last_reviewed is not None and not isinstance(self.last_reviewed, date):
            raise ValueError(f"{who}: last_reviewed must be a date; got {self.last_reviewed!r}")
        pins = _texts(self.pins, what=f"{who}: pins")
        object.__setattr__(self, "pins", tuple(dict.fromkeys(p.strip() for p in pins)))
        if not isinstance(self.hides, Mapping):
            raise ValueError(f"{who}: hides must map outcome ids to reasons")
        hides: dict[str, str] = {}
        for oid, reason in self.hides.items():
            if not isinstance(oid, str) or not oid.strip():
                raise ValueError(f"{who}: hidden outcome ids must be text; got {oid!r}")
            if not isinstance(reason, str) or not reason.strip():
                raise ValueError(
                    f"{who}: hiding outcome {oid!r} needs a reason, e.g. 'out of scope for "
                    f"this release'; got {reason!r}"
                )
            hides[oid.strip()] = reason
        both = [p for p in self.pins if p in hides]
        if both:
            raise ValueError(
                f"{who}: outcome(s) {', '.join(both)} are both pinned and hidden; keep one"
            )
        object.__setattr__(self, "hides", hides)

    def __hash__(self) -> int:
        # The mappings are copied and never exposed for mutation; hash the JSON form.
        return hash(json.dumps(self.to_dict(), sort_keys=True))

    # -- field access -------------------------------------------------------------------

    def is_inferred(self, field_name: str) -> bool:
        """Whether a card field is marked as inferred."""
        return field_name in self.inferred

    @property
    def definition(self) -> str:
        """The segment conditions in words (without the ICP)."""
        if not self.segment and self.cluster is not None:
            return f"needs-based cluster {self.cluster.cluster} of {self.cluster.segmentation}"
        return describe_conditions(self.segment)

    # -- edits (each returns a new persona) --------------------------------------------

    def pin(self, outcome_ids: Iterable[str]) -> Persona:
        """Pin outcomes (e.g. the landscape's selection); pinning a hidden one un-hides it.

        Examples
        --------
        >>> Persona(id="p", name="P", hides={"O2": "later"}).pin(["O1", "O2"]).pins
        ('O1', 'O2')
        """
        ids = [str(o) for o in outcome_ids]
        hides = {k: v for k, v in self.hides.items() if k not in ids}
        return replace(self, pins=(*self.pins, *ids), hides=hides)

    def unpin(self, outcome_ids: Iterable[str]) -> Persona:
        """Remove pins."""
        drop = {str(o) for o in outcome_ids}
        return replace(self, pins=tuple(p for p in self.pins if p not in drop))

    def hide(self, outcome_id: str, reason: str) -> Persona:
        """Hide an outcome from the unmet needs, with a reason; un-pins it."""
        return replace(
            self,
            pins=tuple(p for p in self.pins if p != outcome_id),
            hides={**self.hides, outcome_id: reason},
        )

    def unhide(self, outcome_ids: Iterable[str]) -> Persona:
        """Show hidden outcomes again."""
        drop = {str(o) for o in outcome_ids}
        return replace(self, hides={k: v for k, v in self.hides.items() if k not in drop})

    def reviewed(self, on: date) -> Persona:
        """Mark the persona as reviewed on a date."""
        return replace(self, last_reviewed=on)

    # -- JSON ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, keys in card order."""
        out: dict[str, Any] = {"id": self.id}
        for name in CARD_FIELDS:
            value = getattr(self, name)
            if name == "buying_role":
                out[name] = None if value is None else value.value
            elif isinstance(value, tuple):
                out[name] = list(value)
            else:
                out[name] = value
        out["inferred"] = dict(self.inferred)
        out["segment"] = {k: list(v) for k, v in self.segment.items()}
        out["cluster"] = (
            None
            if self.cluster is None
            else {"segmentation": self.cluster.segmentation, "cluster": self.cluster.cluster}
        )
        out["negative"] = self.negative
        reviewed = self.last_reviewed
        out["last_reviewed"] = None if reviewed is None else reviewed.isoformat()
        out["pins"] = list(self.pins)
        out["hides"] = dict(self.hides)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, taken: Iterable[str] = ()) -> Persona:
        """Build from :meth:`to_dict` output.

        Missing fields take their defaults and a missing ``id`` is made from the name
        (unique against ``taken``); unknown keys are an error, so typos are not lost.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a persona must be an object; got {type(data).__name__}")
        known = {
            "id",
            *CARD_FIELDS,
            "inferred",
            "segment",
            "cluster",
            "negative",
            "last_reviewed",
            "pins",
            "hides",
        }
        label = data.get("id") or data.get("name") or "(unnamed)"
        _no_unknown_keys(data, known, what=f"persona {label!r}")
        kwargs: dict[str, Any] = {k: v for k, v in data.items() if v is not None}
        if "id" not in kwargs:
            kwargs["id"] = new_persona_id(str(data.get("name", "")), taken=taken)
        if "name" not in kwargs:
            raise ValueError(f"persona {label!r} needs a name (its archetype name)")
        cluster = kwargs.get("cluster")
        if cluster is not None:
            if not isinstance(cluster, Mapping):
                raise ValueError(
                    f"persona {label!r}: cluster must be an object with segmentation and "
                    f"cluster; got {cluster!r}"
                )
            _no_unknown_keys(cluster, {"segmentation", "cluster"}, what=f"{label!r} cluster")
            kwargs["cluster"] = ClusterRef(
                segmentation=cluster.get("segmentation", ""), cluster=cluster.get("cluster", "")
            )
        reviewed = kwargs.get("last_reviewed")
        if reviewed is not None:
            try:
                kwargs["last_reviewed"] = date.fromisoformat(str(reviewed))
            except ValueError:
                raise ValueError(
                    f"persona {label!r}: last_reviewed must be a date like 2026-03-31; "
                    f"got {reviewed!r}"
                ) from None
        return cls(**kwargs)


def _no_unknown_keys(data: Mapping[str, Any], known: set[str], *, what: str) -> None:
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        raise ValueError(
            f"{what} has unknown key(s) {', '.join(unknown)}; the keys are "
            f"{', '.join(sorted(known))}"
        )


def _folded(values: Iterable[str]) -> set[str]:
    return {v.strip().casefold() for v in values}


def effective_conditions(persona: Persona, icp: ICP | None = None) -> dict[str, list[str]]:
    """The conditions of the respondents scored for a persona: ICP AND persona.

    On a column both name, the persona's values (which must lie within the ICP's) win.

    Examples
    --------
    >>> icp = ICP({"size": ["S", "M"], "region": ["EU"]})
    >>> effective_conditions(Persona(id="p", name="P", segment={"Size": ["S"]}), icp)
    {'region': ['EU'], 'Size': ['S']}
    """
    check_within_icp(persona, icp)
    own = {_norm(c) for c in persona.segment}
    out = {c: list(v) for c, v in (icp.conditions.items() if icp else ()) if _norm(c) not in own}
    out.update({c: list(v) for c, v in persona.segment.items()})
    return out


def check_within_icp(persona: Persona, icp: ICP | None) -> None:
    """Raise a ``ValueError`` when the persona's segment reaches outside the ICP."""
    if icp is None:
        return
    icp_cols = {_norm(c): c for c in icp.conditions}
    for column, values in persona.segment.items():
        icp_col = icp_cols.get(_norm(column))
        if icp_col is None:
            continue
        allowed = icp.conditions[icp_col]
        outside = [v for v in values if v.strip().casefold() not in _folded(allowed)]
        if outside:
            raise ValueError(
                f"persona {persona.id!r}: its segment allows {column} = "
                f"{', '.join(map(repr, outside))}, outside the ICP, which allows {icp_col} in "
                f"{{{', '.join(allowed)}}}; narrow the persona's segment or widen the ICP"
            )


@dataclass(frozen=True, slots=True)
class PersonaWarning:
    """A warning about a study's personas.

    Attributes
    ----------
    kind : str
        ``too-many``, ``review-overdue`` or ``never-reviewed``.
    persona_id : str or None
        The persona concerned; None for study-wide warnings.
    message : str
    """

    kind: str
    persona_id: str | None
    message: str


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 - months, 12)
    y, m = day.year + year, month + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(y, m, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover - day 28 exists in every month


def persona_warnings(
    personas: Sequence[Persona], *, today: date, review_months: int = REVIEW_MONTHS
) -> list[PersonaWarning]:
    """Warnings for a study's personas: more than five, or reviews overdue.

    Negative personas do not count towards the five. A persona is overdue when its last
    review is more than ``review_months`` months before ``today``.

    Examples
    --------
    >>> ps = [Persona(id="a", name="A", last_reviewed=date(2024, 1, 31)),
    ...       Persona(id="b", name="B", last_reviewed=date(2025, 6, 1))]
    >>> [w.kind for w in persona_warnings(ps, today=date(2025, 12, 1))]
    ['review-overdue']
    """
    out: list[PersonaWarning] = []
    primary = [p for p in personas if not p.negative]
    if len(primary) > MAX_PERSONAS:
        out.append(
            PersonaWarning(
                "too-many",
                None,
                f"this study has {len(primary)} personas; more than {MAX_PERSONAS} usually "
                "means the ICP is not focused. Most B2B teams need 2-4: one or two economic "
                "buyers, a champion, and perhaps a technical evaluator",
            )
        )
    cutoff = _months_before(today, review_months)
    for p in personas:
        if p.last_reviewed is None:
            out.append(
                PersonaWarning(
                    "never-reviewed", p.id, f"{p.name}: no review date; review it and record it"
                )
            )
        elif p.last_reviewed < cutoff:
            out.append(
                PersonaWarning(
                    "review-overdue",
                    p.id,
                    f"{p.name}: last reviewed {p.last_reviewed.isoformat()}, more than "
                    f"{review_months} months ago; review it against fresh data",
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class PersonaSet:
    """A study's personas and its ICP, validated together.

    Ids must be unique and every persona's segment must sit inside the ICP.

    Examples
    --------
    >>> s = PersonaSet((Persona(id="a", name="A", segment={"size": ["S"]}),),
    ...                icp=ICP({"size": ["S", "M"]}))
    >>> personas_from_json(personas_to_json(s)) == s
    True
    """

    personas: tuple[Persona, ...] = ()
    icp: ICP | None = None

    def __post_init__(self) -> None:
        personas = tuple(self.personas)
        for p in personas:
            if not isinstance(p, Persona):
                raise ValueError(f"personas must be Persona objects; got {type(p).__name__}")
        ids = [p.id for p in personas]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"persona ids must be unique; got duplicates {', '.join(dup)}")
        for p in personas:
            check_within_icp(p, self.icp)
        object.__setattr__(self, "personas", personas)

    def __len__(self) -> int:
        return len(self.personas)

    def __hash__(self) -> int:
        return hash((self.personas, self.icp))

    def get(self, persona_id: str) -> Persona:
        """The persona with this id; a ``ValueError`` listing the ids otherwise."""
        for p in self.personas:
            if p.id == persona_id:
                return p
        listed = ", ".join(p.id for p in self.personas) or "(none)"
        raise ValueError(f"no persona has the id {persona_id!r}; the ids are: {listed}")

    def upsert(self, persona: Persona) -> PersonaSet:
        """Add the persona, or replace the one with its id (keeping its place)."""
        if any(p.id == persona.id for p in self.personas):
            items = tuple(persona if p.id == persona.id else p for p in self.personas)
        else:
            items = (*self.personas, persona)
        return PersonaSet(items, icp=self.icp)

    def remove(self, persona_id: str) -> PersonaSet:
        """Drop the persona with this id."""
        self.get(persona_id)
        return PersonaSet(tuple(p for p in self.personas if p.id != persona_id), icp=self.icp)

    def warnings(self, *, today: date) -> list[PersonaWarning]:
        """See :func:`persona_warnings`."""
        return persona_warnings(self.personas, today=today)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with a format tag and version."""
        return {
            "format": JSON_FORMAT,
            "version": JSON_VERSION,
            "icp": None if self.icp is None else self.icp.to_dict(),
            "personas": [p.to_dict() for p in self.personas],
        }

    @classmethod
    def from_dict(cls, data: Any) -> PersonaSet:
        """Build from :meth:`to_dict` output, or from a bare list of personas."""
        if isinstance(data, list):
            data = {"personas": data}
        if not isinstance(data, Mapping):
            raise ValueError(
                f"a personas file must hold an object with a 'personas' list; got "
                f"{type(data).__name__}"
            )
        _no_unknown_keys(data, {"format", "version", "icp", "personas"}, what="the personas file")
        fmt = data.get("format", JSON_FORMAT)
        if fmt != JSON_FORMAT:
            raise ValueError(f"format must be {JSON_FORMAT!r}; got {fmt!r}")
        version = data.get("version", JSON_VERSION)
        if (
            isinstance(version, bool)
            or not isinstance(version, int)
            or not 1 <= version <= JSON_VERSION
        ):
            raise ValueError(
                f"this workbench reads personas file version {JSON_VERSION}; got {version!r}. "
                "Update the workbench"
            )
        raw = data.get("personas", [])
        if not isinstance(raw, list):
            raise ValueError(f"'personas' must be a list; got {type(raw).__name__}")
        personas: list[Persona] = []
        for i, item in enumerate(raw, start=1):
            try:
                personas.append(Persona.from_dict(item, taken=[p.id for p in personas]))
            except ValueError as exc:
                raise ValueError(f"persona #{i}: {exc}") from None
        icp = data.get("icp")
        return cls(tuple(personas), icp=None if icp is None else ICP.from_dict(icp))


def personas_to_json(personas: PersonaSet | Sequence[Persona], *, icp: ICP | None = None) -> str:
    """Serialise personas (and the ICP) as stable, diff-friendly JSON.

    Keys keep card order, non-ASCII text stays readable, and the text ends with a
    newline, so the file sits well in version control.

    Examples
    --------
    >>> text = personas_to_json([Persona(id="cfo", name="The Müller CFO")])
    >>> '"name": "The Müller CFO"' in text
    True
    """
    pset = personas if isinstance(personas, PersonaSet) else PersonaSet(tuple(personas), icp=icp)
    if isinstance(personas, PersonaSet) and icp is not None:
        pset = PersonaSet(personas.personas, icp=icp)
    return json.dumps(pset.to_dict(), indent=2, ensure_ascii=False) + "\n"


def personas_from_json(text: str | bytes, *, source: str = "personas JSON") -> PersonaSet:
    """Read personas written by :func:`personas_to_json` (or a bare list of personas).

    Raises
    ------
    ValueError
        Naming ``source`` and what is wrong: bad JSON (with its line), an unknown key,
        a field of the wrong type, a segment outside the ICP, duplicate ids.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(
                f"{source} is not UTF-8 text ({exc.reason}); save it as UTF-8"
            ) from None
    data = loads_limited(text, source=source)
    try:
        check_stored_json(data, what="the personas")
        return PersonaSet.from_dict(data)
    except ValueError as exc:
        raise ValueError(f"{source}: {exc}") from None
