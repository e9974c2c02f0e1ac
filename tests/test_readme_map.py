"""The README's package map lists every folder of the package (and the top-level folders),
and nothing that is not there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = {"__pycache__"}


def map_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"The package map:.*?```text\n(.*?)```", readme, re.S)
    assert block, "README.md has a package map in a ```text block after 'The package map:'"
    return block.group(1).splitlines()


def entries() -> list[tuple[bool, str]]:
    """(indented, first column) of every line of the map."""
    return [
        (line.startswith(" "), re.split(r"\s{2,}", line.strip())[0])
        for line in map_lines()
        if line.strip()
    ]


def listed() -> tuple[set[str], set[str]]:
    """(folders under odi/, top-level folders) named in the map."""
    inner, top = set(), set()
    for indented, path in entries():
        if path.endswith("/"):
            (inner if indented else top).add(path.rstrip("/"))
    return inner, top


def test_every_package_folder_is_in_the_map_and_only_those() -> None:
    inner, _ = listed()
    actual = {
        p.relative_to(ROOT / "odi").as_posix()
        for p in (ROOT / "odi").rglob("*")
        if p.is_dir() and not SKIP & set(p.parts)
    }
    assert sorted(actual - inner) == [], "folders missing from the README's package map"
    assert sorted(inner - actual) == [], "the README's package map names folders that are gone"


def test_every_top_level_folder_named_in_the_map_exists() -> None:
    _, top = listed()
    assert "odi" in top
    assert sorted(t for t in top if not (ROOT / t).is_dir()) == []


def test_the_modules_named_in_the_map_exist() -> None:
    named = [
        name.strip()
        for indented, path in entries()
        if indented and ".py" in path
        for name in path.split(",")
    ]
    assert named, "the map names the data-model modules"
    assert all((ROOT / "odi" / n).is_file() for n in named)
