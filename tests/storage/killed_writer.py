"""Child process for test_crash.py: start a big write, say so from inside it, wait to be killed.

Usage: ``python killed_writer.py URL ACTION PHASE READY_FILE [ARCHIVE_FILE]``.

ACTION is ``import`` (import the archive: many rows and a big file in one transaction) or
``save`` (save the first persona of the first study). PHASE says when to signal and stall:
``partial`` (after some rows are flushed), ``uncommitted`` (everything written, before COMMIT)
or ``committed`` (right after COMMIT).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any


def _signal_and_wait(ready: Path) -> None:
    tmp = ready.with_suffix(".tmp")
    tmp.write_text("ready")
    tmp.replace(ready)
    time.sleep(120)  # the parent kills us long before this ends
    sys.exit(3)


def main(argv: list[str]) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from odi.storage import open_workspace

    url, action, phase, ready_name, *rest = argv
    ready = Path(ready_name)
    ws = open_workspace(url)

    flushes = [0]
    partial_at = 3 if action == "import" else 1  # import: study, then files + persona 1, ...

    def partial(session: Session, _context: Any) -> None:
        flushes[0] += 1
        if flushes[0] == partial_at:
            _signal_and_wait(ready)

    def uncommitted(session: Session) -> None:
        session.flush()
        _signal_and_wait(ready)

    def committed(session: Session) -> None:
        _signal_and_wait(ready)

    hooks = {
        "partial": ("after_flush", partial),
        "uncommitted": ("before_commit", uncommitted),
        "committed": ("after_commit", committed),
    }
    # read what the write needs first: the hooks fire on every session, readers included
    study = ws.list_studies()[0]
    persona = ws.list_personas(study.id)[0]
    archive = Path(rest[0]).read_bytes()
    name, hook = hooks[phase]
    event.listen(Session, name, hook)
    if action == "import":
        ws.import_study(archive)
    else:
        big = {"name": "half-saved", "big": "x" * 2_000_000}
        ws.save_persona(study.id, persona.id, big, expected_version=persona.version)
    sys.exit(4)  # the hook never returned: we should have been killed


if __name__ == "__main__":
    main(sys.argv[1:])
