"""Each subcommand loads only what it needs: ``score``, ``inspect`` and a score-table export
never load the storage layer (SQLAlchemy, Alembic), the charts or the persona exports
(matplotlib, fpdf, pptx)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "surveys" / "pipeline_demo.csv"
pytestmark = pytest.mark.slow  # each test starts a Python process

HEAVY = ("sqlalchemy", "alembic", "odi.storage", "plotly", "matplotlib", "fpdf", "pptx")

PROBE = """
import json, sys
from odi.cli.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded_after(*argv: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    last = json.loads(done.stdout.strip().splitlines()[-1])
    return int(last["code"]), set(last["modules"])


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["score", str(DEMO), "--bootstrap", "0", "-o", "{out}.csv"], id="score"),
        pytest.param(["inspect", str(DEMO), "--json"], id="inspect"),
        pytest.param(
            ["export", str(DEMO), "-f", "scores-csv", "-o", "{out}.csv", "--bootstrap", "0"],
            id="export-scores",
        ),
    ],
)
def test_reading_subcommands_do_not_load_storage_or_charts(argv: list[str], tmp_path: Path) -> None:
    code, modules = loaded_after(*(a.format(out=tmp_path / "scores") for a in argv))
    assert code == 0
    assert "odi.importers" in modules  # the probe saw the run
    assert sorted(m for m in HEAVY if m in modules) == []


def test_workspace_loads_storage(tmp_path: Path) -> None:
    code, modules = loaded_after(
        "workspace", "--database", f"sqlite:///{tmp_path / 'w.db'}", "list"
    )
    assert code == 0
    assert "sqlalchemy" in modules
    assert "odi.cli.score" not in modules


def test_help_lists_every_subcommand_without_loading_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from odi.cli.main import COMMANDS, main

    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)
