"""SQL statements the Personas page issues, through AppTest with two personas seeded in
``odi.storage``: a plain rerun, and one field edit (autosaved).

Counted with a SQLAlchemy ``before_cursor_execute`` listener on every engine. Run:
``.venv/bin/python benchmarks/bench_persona_sql.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run() -> dict[str, int]:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from streamlit.testing.v1 import AppTest

    from odi.personas import Persona
    from odi.storage import open_workspace

    counts = {"n": 0}

    def count(*_: object) -> None:
        counts["n"] += 1

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'ws.db'}"
        os.environ["ODI_DATABASE_URL"] = url
        os.chdir(ROOT)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        ws = open_workspace(url)
        study = next(s for s in ws.list_studies() if str(s.id) == str(at.session_state["study"]))
        for pid, role in (("vp", "VP Marketing"), ("ops", "Marketing Operations")):
            persona = Persona(id=pid, name=f"The {role}", segment={"role": (role,)})
            ws.create_persona(study.id, persona.to_dict())
        at.switch_page("app_pages/personas.py").run()
        assert not at.exception, at.exception
        pick = at.session_state["persona_pick"]
        if "persona_tab" in at.session_state:  # lazy tabs: open the editor
            at.session_state["persona_tab"] = "Edit"
        at.run()
        event.listen(Engine, "before_cursor_execute", count)
        at.run()
        rerun = counts["n"]
        counts["n"] = 0
        at.text_input(key=f"pf_{pick}_seniority").input("VP").run()
        edit = counts["n"]
        event.remove(Engine, "before_cursor_execute", count)
        assert not at.exception, at.exception
    return {"plain rerun": rerun, "one field edit": edit}


def report(counts: dict[str, int]) -> str:
    return "\n".join(
        f"personas page, two personas, {name}: {n} SQL statements" for name, n in counts.items()
    )


if __name__ == "__main__":
    print(report(run()))
