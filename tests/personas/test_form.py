"""The persona form without a UI: starting values, edits applied, the create form, imports."""

from __future__ import annotations

from datetime import date

import pytest

from odi.personas import CARD_FIELDS, ICP, Persona, PersonaSet
from odi.personas.form import apply_form, field_kind, form_values, merge_imported, new_persona

DAY = date(2026, 5, 1)


def full_persona() -> Persona:
    return Persona(
        id="vp",
        name="The VP",
        titles=("VP Sales", "CRO"),
        functional_job="Hit the number",
        buying_role="champion",
        inferred={"functional_job": "ask 5 VPs"},
        segment={"role": ("VP Sales",)},
        negative=True,
        last_reviewed=DAY,
        pins=("O1",),
        hides={"O2": "roadmap"},
    )


def test_form_round_trip_changes_nothing() -> None:
    data = full_persona().to_dict()
    form = form_values(data, attributes=["role", "size"])
    assert form["titles"] == "VP Sales\nCRO"
    assert form["buying_role"] == "champion"
    assert (form["inf_functional_job"], form["note_functional_job"]) == (True, "ask 5 VPs")
    assert form["seg_role"] == ["VP Sales"]
    assert form["seg_size"] == []
    assert form["last_reviewed"] == DAY
    assert Persona.from_dict(apply_form(data, form, attributes=["role", "size"])) == full_persona()


@pytest.mark.parametrize(
    ("edit", "field", "expected"),
    [
        ({"titles": " CRO \n\n VP  "}, "titles", ("CRO", "VP")),
        ({"buying_role": ""}, "buying_role", None),
        ({"seniority": "Director"}, "seniority", "Director"),
        ({"negative": False}, "negative", False),
        ({"last_reviewed": None}, "last_reviewed", None),
        ({"seg_role": []}, "segment", {}),
        ({"inf_functional_job": False}, "inferred", {}),
    ],
    ids=["list-lines-trimmed", "role-cleared", "text", "negative-off", "review-cleared",
         "segment-cleared", "inferred-off"],
)  # fmt: skip
def test_one_edit_changes_one_field(edit: dict, field: str, expected: object) -> None:
    before = full_persona()
    after = Persona.from_dict(apply_form(before.to_dict(), edit, attributes=["role"]))
    assert getattr(after, field) == expected
    untouched = [n for n in CARD_FIELDS if n != field and n not in edit]
    assert all(getattr(after, n) == getattr(before, n) for n in untouched)
    assert after.pins == before.pins
    assert after.hides == before.hides


def test_field_kind_rejects_unknown_fields() -> None:
    with pytest.raises(ValueError, match="card fields; got 'colour'"):
        field_kind("colour")


def test_new_persona_checks_name_and_icp() -> None:
    with pytest.raises(ValueError, match="needs a name"):
        new_persona("   ", today=DAY)
    icp = ICP({"size": ("SMB",)})
    with pytest.raises(ValueError, match="outside the ICP"):
        new_persona("Big", attribute="size", values=["Enterprise"], icp=icp, today=DAY)
    p = new_persona("The VP", attribute="role", values=["VP"], taken=["the-vp"], today=DAY)
    assert (p.id, dict(p.segment)) == ("the-vp-2", {"role": ("VP",)})
    assert new_persona("Any", attribute="role", values=[], today=DAY).segment == {}


def test_import_twice_adds_nothing_and_clashing_ids_get_fresh_ones() -> None:
    vp = full_persona()
    other = Persona(id="vp", name="Another VP")
    add, skipped = merge_imported(PersonaSet(personas=(vp,)), existing=[])
    assert add == [vp]
    assert skipped == []
    add, skipped = merge_imported(PersonaSet(personas=(vp,)), existing=[vp])
    assert add == []
    assert skipped == ["The VP"]
    add, _ = merge_imported(PersonaSet(personas=(other,)), existing=[vp])
    assert add[0].id != "vp"
    assert add[0].name == "Another VP"
