"""The app's error boundaries: each hostile input of issue 12 shows an error element, never
an exception, and a failed upload leaves no empty study behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from odi.importers import pipeline
from odi.storage import StorageError, Workspace
from tests.app.conftest import APP, _workspace
from tests.hostile import files
from tests.hostile.test_cli import ARCHIVES

__all__ = ["_workspace"]

UPLOADS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "xlsx-bomb": ("bomb.xlsx", lambda: files.xlsx_string_bomb(16), "ratio limit"),
    "xlsx-rows": ("rows.xlsx", lambda: files.xlsx_many_rows(1_500), "rows limit of 1,000"),
    "xlsx-columns": ("wide.xlsx", lambda: files.xlsx_wide(5_001), "columns limit of 5,000"),
    "csv-long-cell": ("long.csv", lambda: files.csv_long_field(140_000), "131,072 characters"),
    "jsonl-deep": ("deep.jsonl", lambda: files.jsonl_deep(3_000), "json\\_depth limit"),
    "sav-crashing-the-reader": (
        "crash.sav",
        lambda: (Path(__file__).parent / "crashes" / "spss-seed103.sav").read_bytes(),
        "the SPSS reader crashed",
    ),
}


def start(page: str = "app_pages/study.py") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(page).run()
    return at


@pytest.mark.parametrize("case", list(UPLOADS), ids=list(UPLOADS))
def test_hostile_upload_shows_an_error_element(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ODI_LIMITS", "rows=1000")  # keeps the row case small and fast
    name, build, needle = UPLOADS[case]
    at = start()
    at.file_uploader(key="survey_file").upload(name, build(), "application/octet-stream").run()
    assert not at.exception, at.exception
    assert at.error, "an error element is shown"
    assert needle in at.error[0].value
    assert name.replace(".", "\\.") in at.error[0].value or name in at.error[0].value


def test_an_unexpected_failure_shows_could_not_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug deep inside")

    monkeypatch.setattr(pipeline, "_parse", broken)
    at = start()
    data = b"id,imp_a,sat_a\n1,5,2\n2,4,1\n"
    at.file_uploader(key="survey_file").upload("odd.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    assert any("could not be read: RuntimeError" in e.value for e in at.error)
    assert not any("a bug deep inside" in e.value for e in at.error), "details go to the log"


def test_a_failed_upload_leaves_no_empty_study(monkeypatch: pytest.MonkeyPatch) -> None:
    at = start()
    before = len(at.selectbox(key="study").options)
    assert before, "the demo studies are there"

    def fail(*args: object, **kwargs: object) -> None:
        raise StorageError("the database is full")

    monkeypatch.setattr(Workspace, "_add_file", fail)
    at.file_uploader(key="survey_file").upload("s.csv", b"id,imp_a,sat_a\n1,5,2\n", "text/csv")
    at.run()
    assert not at.exception, at.exception
    assert any("the database is full" in e.value for e in at.error)
    assert len(start().selectbox(key="study").options) == before


@pytest.mark.parametrize("case", list(ARCHIVES), ids=list(ARCHIVES))
def test_hostile_archive_import_shows_an_error_element(case: str) -> None:
    build, needle = ARCHIVES[case]
    at = start()
    before = len(at.selectbox(key="study").options)
    at.file_uploader(key="archive_file").upload("study.zip", build(), "application/zip").run()
    assert not at.exception, at.exception
    assert at.error, "an error element is shown"
    shown = at.error[0].value.replace("\\", "")  # the message is escaped for Markdown
    assert needle in shown
    assert len(start().selectbox(key="study").options) == before, "nothing was imported"


@pytest.mark.parametrize(
    "text",
    [
        '{"personas": ' + "[" * 3000 + "]" * 3000 + "}",
        '{"personas": [{"name": "A", "goals": [NaN]}]}',
        '{"version": true, "personas": []}',
    ],
    ids=["deep", "nan", "version-true"],
)
def test_hostile_personas_json_shows_an_error_element(text: str) -> None:
    at = start()
    at.switch_page("app_pages/personas.py").run()
    at.text_input(key="new_persona_name").input("Ops lead")
    at.selectbox(key="new_persona_attr").select("role").run()
    at.multiselect(key="new_persona_values").select("VP Marketing").run()
    at.button(key="create_persona").click().run()
    at.file_uploader(key="personas_json").upload("p.json", text.encode(), "application/json")
    at.run()
    at.button(key="import_personas").click().run()
    assert not at.exception, at.exception
    assert any("p\\.json" in e.value or "p.json" in e.value for e in at.error)
