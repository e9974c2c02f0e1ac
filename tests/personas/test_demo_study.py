"""On the demo study, personas for its planted roles show the unmet needs the generator
planted for them (surveys/pipeline_demo_truth.json, written by surveys/generate_demo.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from odi.analysis.unmet_needs import unmet_needs
from odi.importers.load import load_survey, read_file_bytes
from odi.personas import Persona
from odi.survey import Survey

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"
TRUTH = json.loads((SURVEYS / "pipeline_demo_truth.json").read_text(encoding="utf-8"))
PLANTED: dict[str, list[str]] = TRUTH["planted"]["role"]
BROAD: list[str] = TRUTH["planted"]["broadly_underserved"]


@pytest.fixture(scope="module")
def demo() -> Survey:
    path = SURVEYS / "pipeline_demo.csv"
    return load_survey(read_file_bytes(path), source=path.name)


def test_every_planted_role_is_in_the_demo(demo: Survey) -> None:
    assert set(PLANTED) == set(demo.respondents["role"].dropna())


@pytest.mark.parametrize("role", sorted(PLANTED), ids=lambda r: r.lower().replace(" ", "-"))
def test_persona_shows_its_planted_needs(demo: Survey, role: str) -> None:
    persona = Persona(id="p", name=f"The {role}", segment={"role": [role]})
    u = unmet_needs(demo, persona, bootstrap=500)
    listed = u.table["outcome_id"].tolist()
    planted = PLANTED[role]
    # Every planted need is listed, and the planted ones lead the ranking.
    assert set(planted) <= set(listed)
    assert set(listed[: len(planted) - 1]) <= set(planted)
    # Nothing else is listed but the needs planted as underserved for everyone.
    assert set(listed) - set(planted) <= set(BROAD)
    # Other roles' planted needs are not this persona's.
    others = {o for r, outs in PLANTED.items() if r != role for o in outs}
    assert not others & set(listed)
    # They hold up: enough respondents, and they replicate in both random halves.
    assert not u.small_sample
    assert u.warnings == ()
    rep = u.replication
    assert rep is not None
    replicated = rep.table.set_index("outcome_id")["replicated"]
    assert replicated.reindex(planted).fillna(False).all()


def test_side_by_side_separates_two_roles(demo: Survey) -> None:
    from odi.analysis.unmet_needs import compare_personas

    vp = unmet_needs(
        demo,
        Persona(id="vp", name="VP", segment={"role": ["VP Marketing"]}),
        bootstrap=0,
        replicate=False,
    )
    ops = unmet_needs(
        demo,
        Persona(id="ops", name="Ops", segment={"role": ["Marketing Operations"]}),
        bootstrap=0,
        replicate=False,
    )
    t = compare_personas(vp, ops).table.set_index("outcome_id")
    vp_only = t.loc[PLANTED["VP Marketing"]]
    assert (vp_only["difference"] > 3).all()
    assert (~vp_only["listed_b"]).all()
    assert pd.Series(t["in_both"]).loc[lambda s: s].index.isin(BROAD).all()
