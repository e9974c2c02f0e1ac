"""The persona model: validation, edits, ICP containment, warnings and the JSON round trip."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odi.personas import (
    CARD_FIELDS,
    ICP,
    BuyingRole,
    ClusterRef,
    Persona,
    PersonaSet,
    effective_conditions,
    new_persona_id,
    persona_warnings,
    personas_from_json,
    personas_to_json,
)


def test_fields_are_normalised(vp: Persona) -> None:
    p = Persona(
        id="x",
        name="X",
        buying_role="Economic Buyer",
        segment={"role": "CFO"},
        titles=["CFO", " "],
        pins=["O1", "O1", " O2"],
    )
    assert p.buying_role is BuyingRole.ECONOMIC_BUYER
    assert p.segment == {"role": ("CFO",)}
    assert p.titles == ("CFO",)
    assert p.pins == ("O1", "O2")
    assert vp.is_inferred("messaging_hook")
    assert not vp.is_inferred("goals")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"id": "has space"}, "persona id must be"),
        ({"id": ""}, "persona id must be"),
        ({"name": "  "}, "needs an archetype name"),
        ({"goals": ("a", "b", "c", "d")}, "goals holds the top 3 only; got 4"),
        ({"challenges": ["a"] * 4}, "challenges holds the top 3"),
        ({"buying_role": "decider"}, "buying_role must be one of economic buyer, champion"),
        ({"inferred": {"hook": "x"}}, "unknown card field 'hook'"),
        ({"segment": {"role": []}}, "'role' must list at least one value"),
        ({"segment": {"role": ["A"], "Role": ["B"]}}, "names the column 'Role' twice"),
        ({"segment": ["role=VP"]}, "must map attribute columns to lists"),
        ({"hides": {"O1": " "}}, "hiding outcome 'O1' needs a reason"),
        ({"pins": ("O1",), "hides": {"O1": "why"}}, "O1 are both pinned and hidden"),
        ({"goals": "one goal"}, "goals must be a list of text items"),
        ({"context": 3}, "context must be text"),
        ({"negative": "yes"}, "negative must be true or false"),
        ({"last_reviewed": "2026-01-01"}, "last_reviewed must be a date"),
    ],
    ids=[
        "id-space",
        "id-empty",
        "name-blank",
        "goals-4",
        "challenges-4",
        "role-unknown",
        "inferred-unknown",
        "segment-empty-values",
        "segment-duplicate-column",
        "segment-not-mapping",
        "hide-without-reason",
        "pin-and-hide",
        "goals-string",
        "context-number",
        "negative-text",
        "reviewed-string",
    ],
)
def test_validation_errors_are_clear(kwargs: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"id": "p1", "name": "The Persona"}
    with pytest.raises(ValueError, match=message):
        Persona(**{**base, **kwargs})  # type: ignore[arg-type]


def test_edits_return_new_personas(vp: Persona) -> None:
    pinned = vp.pin(["O3", "O1"])
    assert pinned.pins == ("O3", "O1")
    assert vp.pins == ()
    hidden = pinned.hide("O3", "not our market")
    assert hidden.pins == ("O1",)
    assert hidden.hides == {"O3": "not our market"}
    again = hidden.pin(["O3"])  # pinning a hidden outcome shows it again
    assert again.hides == {}
    assert again.pins == ("O1", "O3")
    assert again.unpin(["O1"]).pins == ("O3",)
    assert hidden.unhide(["O3"]).hides == {}
    assert vp.reviewed(date(2026, 6, 1)).last_reviewed == date(2026, 6, 1)


def test_new_persona_id_is_a_unique_slug() -> None:
    assert new_persona_id("The Müller CFO!") == "the-m-ller-cfo"
    assert new_persona_id("A", taken=["a", "a-2"]) == "a-3"
    assert new_persona_id("???").startswith("persona-")


def test_icp_containment_and_effective_segment() -> None:
    icp = ICP({"company_size": ["SMB", "Mid"], "region": ["EU"]})
    inside = Persona(id="a", name="A", segment={"Company Size": ["smb"], "role": ["VP"]})
    assert effective_conditions(inside, icp) == {
        "region": ["EU"],
        "Company Size": ["smb"],
        "role": ["VP"],
    }
    assert effective_conditions(inside, None) == {"Company Size": ["smb"], "role": ["VP"]}
    outside = Persona(id="b", name="B", segment={"company_size": ["Enterprise", "SMB"]})
    with pytest.raises(ValueError, match=r"company_size = 'Enterprise', outside the ICP"):
        effective_conditions(outside, icp)
    with pytest.raises(ValueError, match="outside the ICP"):
        PersonaSet((outside,), icp=icp)


def test_persona_set_ids_and_lookup(vp: Persona, sdr: Persona) -> None:
    with pytest.raises(ValueError, match="persona ids must be unique; got duplicates vp-sales"):
        PersonaSet((vp, vp))
    pset = PersonaSet((vp, sdr))
    assert pset.get("sdr") is sdr
    with pytest.raises(ValueError, match="no persona has the id 'cfo'; the ids are: vp-sales, sdr"):
        pset.get("cfo")
    renamed = pset.upsert(Persona(id="sdr", name="Renamed"))
    assert [p.name for p in renamed.personas] == [vp.name, "Renamed"]
    assert len(renamed.remove("vp-sales")) == 1


@pytest.mark.parametrize(
    ("reviewed", "today", "kinds"),
    [
        (date(2025, 5, 1), date(2026, 5, 1), []),
        (date(2025, 4, 30), date(2026, 5, 1), ["review-overdue"]),
        (date(2024, 2, 29), date(2025, 2, 28), []),
        (None, date(2026, 5, 1), ["never-reviewed"]),
    ],
    ids=["exactly-12-months", "a-day-over", "leap-day", "never"],
)
def test_review_warnings(reviewed: date | None, today: date, kinds: list[str]) -> None:
    p = Persona(id="p", name="P", last_reviewed=reviewed)
    assert [w.kind for w in persona_warnings([p], today=today)] == kinds


def test_more_than_five_personas_warns_and_negatives_do_not_count() -> None:
    day = date(2026, 1, 1)
    five = [Persona(id=f"p{i}", name=f"P{i}", last_reviewed=day) for i in range(5)]
    negative = Persona(id="neg", name="Tyre kicker", negative=True, last_reviewed=day)
    assert persona_warnings([*five, negative], today=day) == []
    six = [*five, Persona(id="p6", name="P6", last_reviewed=day)]
    (warning,) = persona_warnings(six, today=day)
    assert warning.kind == "too-many"
    assert "6 personas" in warning.message


def test_json_is_stable_and_readable(vp: Persona, icp: ICP) -> None:
    text = personas_to_json([vp], icp=icp)
    data = json.loads(text)
    assert data["format"] == "odi-personas"
    assert data["version"] == 1
    assert list(data["personas"][0])[:3] == ["id", "name", "titles"]
    assert data["personas"][0]["buying_role"] == "champion"
    assert data["personas"][0]["last_reviewed"] == "2026-01-15"
    assert "100–500" in text  # non-ASCII kept readable
    assert personas_to_json(personas_from_json(text)) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", r"people.json is not valid JSON: .* line 1"),
        (
            '{"personas": [{"name": "A", "colour": "red"}]}',
            r"persona #1: .*unknown key\(s\) colour",
        ),
        ('{"personas": [{"id": "a"}]}', "needs a name"),
        ('{"format": "other"}', "format must be 'odi-personas'"),
        ('{"version": 9}', "reads personas file version 1; got 9"),
        ('{"personas": [{"name": "A", "last_reviewed": "May"}]}', "last_reviewed must be a date"),
        ('"text"', "must hold an object"),
        (
            '{"icp": {"conditions": {"size": ["S"]}}, "personas": [{"name": "A", '
            '"segment": {"size": ["L"]}}]}',
            "outside the ICP",
        ),
    ],
    ids=[
        "bad-json",
        "unknown-key",
        "no-name",
        "wrong-format",
        "newer-version",
        "bad-date",
        "not-object",
        "outside-icp",
    ],
)
def test_bad_json_is_reported(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        personas_from_json(text, source="people.json")


def test_bare_list_and_missing_ids_are_accepted() -> None:
    pset = personas_from_json('[{"name": "The CFO"}, {"name": "The CFO"}]')
    assert [p.id for p in pset.personas] == ["the-cfo", "the-cfo-2"]


def test_cluster_reference_round_trips() -> None:
    p = Persona(id="c", name="C", cluster=ClusterRef("kmeans-4", "2"))
    assert Persona.from_dict(p.to_dict()) == p
    assert p.definition == "needs-based cluster 2 of kmeans-4"
    with pytest.raises(ValueError, match="non-empty cluster"):
        ClusterRef("kmeans-4", "")


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
# A name is one line of plain text: no control, format or line-separator characters.
_name = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda s: s.strip() != "")
_items = st.lists(_text.filter(lambda s: s.strip() != ""), max_size=3).map(tuple)


@st.composite
def personas(draw: st.DrawFn) -> Persona:
    pins = draw(st.lists(st.sampled_from(["O1", "O2", "O3"]), unique=True, max_size=2))
    hide_ids = [o for o in ["O4", "O5"] if draw(st.booleans())]
    return Persona(
        id=draw(st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True)),
        name=draw(_name),
        titles=draw(_items),
        context=draw(_text),
        goals=draw(_items),
        challenges=draw(_items),
        objections=draw(_items),
        buying_role=draw(st.none() | st.sampled_from(list(BuyingRole))),
        messaging_hook=draw(_text),
        inferred=draw(st.dictionaries(st.sampled_from(CARD_FIELDS), _text, max_size=3)),
        segment=draw(
            st.dictionaries(
                st.sampled_from(["role", "company_size"]),
                st.lists(
                    _text.filter(lambda s: s.strip() != "").map(str.strip),
                    min_size=1,
                    max_size=2,
                    unique=True,
                ).map(tuple),
                max_size=2,
            )
        ),
        negative=draw(st.booleans()),
        last_reviewed=draw(st.none() | st.dates()),
        pins=tuple(pins),
        hides={o: draw(_text.filter(lambda s: s.strip() != "")) for o in hide_ids},
    )


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(st.lists(personas(), max_size=4, unique_by=lambda p: p.id))
def test_json_round_trip(items: list[Persona]) -> None:
    pset = PersonaSet(tuple(items))
    assert personas_from_json(personas_to_json(pset)) == pset
    for p in items:
        assert Persona.from_dict(json.loads(json.dumps(p.to_dict()))) == p
