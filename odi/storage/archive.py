"""A whole study as one zip archive: ``manifest.json`` plus the raw uploaded files.

The manifest holds the study's name, mapping, settings and UI state, every persona with its full
version history, the saved needs-based segmentations (each under the id it had when exported,
which cluster personas refer to; an archive without them still reads), and the name, size and
SHA-256 of each file under ``files/``. Reading an archive checks its structure and every
checksum, and refuses a damaged one with a message.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from odi.limits import (
    DEFAULT_LIMITS,
    Limits,
    check_stored_json,
    check_version,
    check_zip,
    loads_limited,
)
from odi.storage.errors import StorageError

__all__ = [
    "ARCHIVE_FORMAT",
    "ARCHIVE_VERSION",
    "ArchivedFile",
    "ArchivedPersona",
    "ArchivedSegmentation",
    "ArchivedVersion",
    "StudyArchive",
    "read_archive",
    "write_archive",
]

ARCHIVE_FORMAT = "odi-workbench-study"
ARCHIVE_VERSION = 1
MANIFEST = "manifest.json"
_MAX_MEMBERS = 10_000
_README = (
    "ODI Workbench study archive.\n"
    "Import it in the workbench (Studies > Import) to get this study, its files, mapping,\n"
    "settings, personas with their full history and saved segmentations. manifest.json\n"
    "lists the files under files/ with their SHA-256 checksums.\n"
)


@dataclass(frozen=True, slots=True)
class ArchivedFile:
    """An uploaded file in an archive."""

    name: str
    sha256: str
    created_at: datetime
    content: bytes


@dataclass(frozen=True, slots=True)
class ArchivedVersion:
    """One version of a persona in an archive."""

    version: int
    name: str
    data: dict[str, Any]
    author: str | None
    note: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ArchivedPersona:
    """A persona in an archive, with its whole history (oldest first)."""

    name: str
    version: int
    data: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    updated_by: str | None
    history: tuple[ArchivedVersion, ...]


@dataclass(frozen=True, slots=True)
class ArchivedSegmentation:
    """A saved segmentation in an archive; ``ref`` is its id in the exporting workspace."""

    ref: int
    name: str
    settings: dict[str, Any]
    names: dict[str, Any]
    assignment: dict[str, Any]
    summary: dict[str, Any] | None
    source_sha256: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StudyArchive:
    """Everything in a study, independent of any database."""

    name: str
    created_at: datetime
    mapping: dict[str, Any] | None
    settings: dict[str, Any] | None
    ui_state: dict[str, Any] | None
    files: tuple[ArchivedFile, ...]
    personas: tuple[ArchivedPersona, ...]
    segmentations: tuple[ArchivedSegmentation, ...] = ()


def _safe_member(index: int, name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "file"
    return f"files/{index:03d}-{stem[:100]}"


def _time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def write_archive(study: StudyArchive, *, workbench_version: str = "") -> bytes:
    """Pack a study into zip bytes.

    Examples
    --------
    >>> from datetime import datetime, UTC
    >>> t = datetime(2026, 1, 2, tzinfo=UTC)
    >>> study = StudyArchive(name="Demo", created_at=t, mapping=None, settings={}, ui_state={},
    ...     files=(ArchivedFile("s.csv", hashlib.sha256(b"a,b").hexdigest(), t, b"a,b"),),
    ...     personas=())
    >>> back = read_archive(write_archive(study), max_member_bytes=1000)
    >>> back == study
    True
    """
    files = []
    for i, f in enumerate(study.files, start=1):
        files.append(
            {
                "path": _safe_member(i, f.name),
                "name": f.name,
                "size": len(f.content),
                "sha256": f.sha256,
                "created_at": _time(f.created_at),
            }
        )
    manifest = {
        "format": ARCHIVE_FORMAT,
        "format_version": ARCHIVE_VERSION,
        "workbench_version": workbench_version,
        "exported_at": _time(datetime.now(UTC)),
        "study": {
            "name": study.name,
            "created_at": _time(study.created_at),
            "mapping": study.mapping,
            "settings": study.settings,
            "ui_state": study.ui_state,
        },
        "files": files,
        "personas": [
            {
                "name": p.name,
                "version": p.version,
                "data": p.data,
                "created_at": _time(p.created_at),
                "updated_at": _time(p.updated_at),
                "updated_by": p.updated_by,
                "history": [
                    {
                        "version": v.version,
                        "name": v.name,
                        "data": v.data,
                        "author": v.author,
                        "note": v.note,
                        "created_at": _time(v.created_at),
                    }
                    for v in p.history
                ],
            }
            for p in study.personas
        ],
        "segmentations": [
            {
                "ref": g.ref,
                "name": g.name,
                "settings": g.settings,
                "names": g.names,
                "assignment": g.assignment,
                "summary": g.summary,
                "source_sha256": g.source_sha256,
                "created_at": _time(g.created_at),
                "updated_at": _time(g.updated_at),
            }
            for g in study.segmentations
        ],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False, allow_nan=False))
        zf.writestr("README.txt", _README)
        for entry, f in zip(files, study.files, strict=True):
            zf.writestr(str(entry["path"]), f.content)
    return buffer.getvalue()


class _Manifest:
    """Typed reads from the manifest, with messages that name the field."""

    @staticmethod
    def fail(where: str, expected: str, value: Any) -> StorageError:
        shown = repr(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return StorageError(
            f"the study archive's manifest is invalid: {where} must be {expected}; got {shown}"
        )

    @classmethod
    def obj(cls, parent: dict[str, Any], key: str, where: str) -> dict[str, Any]:
        value = parent.get(key)
        if not isinstance(value, dict):
            raise cls.fail(f"{where}{key}", "an object", value)
        cls.stored(value, f"{where}{key}")
        return value

    @classmethod
    def doc(cls, parent: dict[str, Any], key: str, where: str) -> dict[str, Any] | None:
        value = parent.get(key)
        if value is not None and not isinstance(value, dict):
            raise cls.fail(f"{where}{key}", "an object or null", value)
        if value is not None:
            cls.stored(value, f"{where}{key}")
        return value

    @staticmethod
    def stored(value: dict[str, Any], where: str) -> None:
        """Numbers finite and in range, nesting bounded (what the database will hold)."""
        try:
            check_stored_json(value, what=where)
        except ValueError as err:
            raise StorageError(f"the study archive's manifest is invalid: {err}") from None

    @classmethod
    def version(cls, parent: dict[str, Any], key: str, where: str) -> int:
        try:
            return check_version(parent.get(key), what=f"{where}{key}")
        except ValueError as err:
            raise StorageError(f"the study archive's manifest is invalid: {err}") from None

    @classmethod
    def items(cls, parent: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        value = parent.get(key)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise cls.fail(f"{where}{key}", "a list of objects", value)
        return value

    @classmethod
    def text(cls, parent: dict[str, Any], key: str, where: str) -> str:
        value = parent.get(key)
        if not isinstance(value, str) or not value.strip():
            raise cls.fail(f"{where}{key}", "a non-empty text", value)
        return value

    @classmethod
    def opt_text(cls, parent: dict[str, Any], key: str, where: str) -> str | None:
        value = parent.get(key)
        if value is not None and not isinstance(value, str):
            raise cls.fail(f"{where}{key}", "a text or null", value)
        return value

    @classmethod
    def count(cls, parent: dict[str, Any], key: str, where: str) -> int:
        value = parent.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
            raise cls.fail(f"{where}{key}", "a whole number of 0 or more", value)
        return value

    @classmethod
    def time(cls, parent: dict[str, Any], key: str, where: str) -> datetime:
        value = parent.get(key)
        try:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise cls.fail(f"{where}{key}", "an ISO 8601 time with a time zone", value)
        return parsed.astimezone(UTC)


def _open(data: bytes, *, limits: Limits) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        raise StorageError(
            f"this is not a study archive ({err}); choose a .zip file made by 'Export study'"
        ) from None
    if len(zf.infolist()) > _MAX_MEMBERS:
        raise StorageError(
            f"the study archive holds {len(zf.infolist())} entries; at most {_MAX_MEMBERS} "
            "are allowed, so it was not made by 'Export study'"
        )
    try:
        check_zip(zf, source="the study archive", limits=limits)
    except ValueError as err:
        zf.close()
        raise StorageError(str(err)) from None
    return zf


def _read_member(zf: zipfile.ZipFile, path: str, *, max_bytes: int) -> bytes:
    try:
        info = zf.getinfo(path)
    except KeyError:
        raise StorageError(
            f"the study archive is incomplete: {path} is missing; export the study again"
        ) from None
    if info.file_size > max_bytes:
        raise StorageError(
            f"the study archive's {path} is {info.file_size / 2**20:,.1f} MB, above the upload "
            f"limit of {max_bytes / 2**20:,.1f} MB (set ODI_MAX_UPLOAD_MB to allow it)"
        )
    try:
        with zf.open(info) as member:
            content = member.read(max_bytes + 1)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        RuntimeError,  # an encrypted member: zipfile asks for a password
    ) as err:
        raise StorageError(
            f"the study archive is damaged ({path}: {err}); export the study again"
        ) from None
    if len(content) > max_bytes:
        raise StorageError(f"the study archive's {path} is larger than it claims; it is damaged")
    return content


def _read_versions(p: dict[str, Any], where: str) -> tuple[ArchivedVersion, ...]:
    m = _Manifest
    history = []
    for j, v in enumerate(m.items(p, "history", where)):
        w = f"{where}history[{j}]."
        history.append(
            ArchivedVersion(
                version=m.version(v, "version", w),
                name=m.text(v, "name", w),
                data=m.obj(v, "data", w),
                author=m.opt_text(v, "author", w),
                note=m.opt_text(v, "note", w),
                created_at=m.time(v, "created_at", w),
            )
        )
    numbers = [v.version for v in history]
    if not numbers or numbers != sorted(set(numbers)):
        raise m.fail(f"{where}history", "a non-empty list in rising version order", numbers)
    return tuple(history)


def _read_segmentations(manifest: dict[str, Any]) -> tuple[ArchivedSegmentation, ...]:
    """The saved segmentations (none in an archive made before they travelled with a study)."""
    m = _Manifest
    if manifest.get("segmentations") is None:
        return ()
    out = []
    for i, g in enumerate(m.items(manifest, "segmentations", "")):
        where = f"segmentations[{i}]."
        assignment = m.obj(g, "assignment", where)
        ids, labels = assignment.get("respondent_ids"), assignment.get("labels")
        if (
            not isinstance(ids, list)
            or not isinstance(labels, list)
            or not ids
            or len(ids) != len(labels)
            or not all(isinstance(v, str) for v in ids + labels)
            or len(set(ids)) != len(ids)
        ):
            raise m.fail(
                f"{where}assignment",
                "respondent_ids (distinct texts) and as many labels (texts), at least one",
                assignment,
            )
        names = m.obj(g, "names", where)
        if not all(isinstance(v, str) for v in names.values()) or set(labels) - set(names):
            raise m.fail(f"{where}names", "a text name for every cluster label", names)
        sha = m.opt_text(g, "source_sha256", where)
        if sha is not None and not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise m.fail(f"{where}source_sha256", "64 hexadecimal digits or null", sha)
        out.append(
            ArchivedSegmentation(
                ref=m.count(g, "ref", where),
                name=m.text(g, "name", where),
                settings=m.obj(g, "settings", where),
                names=names,
                assignment={"respondent_ids": ids, "labels": labels},
                summary=m.doc(g, "summary", where),
                source_sha256=sha,
                created_at=m.time(g, "created_at", where),
                updated_at=m.time(g, "updated_at", where),
            )
        )
    refs = [g.ref for g in out]
    if len(set(refs)) != len(refs):
        raise m.fail("segmentations", "a list with distinct refs", refs)
    return tuple(out)


def read_archive(
    data: bytes, *, max_member_bytes: int, limits: Limits = DEFAULT_LIMITS
) -> StudyArchive:
    """Unpack and check a study archive made by :func:`write_archive`.

    Parameters
    ----------
    data : bytes
        The zip file's bytes.
    max_member_bytes : int
        The largest file the archive may hold (the workspace's upload limit).
    limits : Limits
        The inflated sizes, compression ratio and JSON nesting allowed; checked from the
        zip's directory and the manifest before any file is inflated.

    Raises
    ------
    StorageError
        If the archive is not a zip, misses its manifest or a file, fails a checksum or has an
        invalid manifest; the message says which.

    Examples
    --------
    >>> read_archive(b"not a zip", max_member_bytes=1000)
    Traceback (most recent call last):
    ...
    odi.storage.errors.StorageError: this is not a study archive (File is not a zip file); \
choose a .zip file made by 'Export study'
    """
    m = _Manifest
    with _open(data, limits=limits) as zf:
        raw = _read_member(zf, MANIFEST, max_bytes=max(max_member_bytes, 64 * 2**20))
        try:
            manifest = loads_limited(raw, source="the study archive's manifest.json", limits=limits)
        except ValueError as err:
            raise StorageError(f"{err}; it is damaged or was not made by 'Export study'") from None
        if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
            raise StorageError(
                "this zip file is not an ODI Workbench study archive (its manifest.json has no "
                f"format {ARCHIVE_FORMAT!r}); choose a file made by 'Export study'"
            )
        version = manifest.get("format_version")
        if isinstance(version, bool) or version != ARCHIVE_VERSION:
            raise StorageError(
                f"the study archive has format version {version!r}; this workbench reads "
                f"version {ARCHIVE_VERSION}, so upgrade the workbench that imports it"
            )
        study = m.obj(manifest, "study", "")
        listed = m.items(manifest, "files", "")
        paths = [m.text(f, "path", f"files[{i}].") for i, f in enumerate(listed)]
        if len(set(paths)) != len(paths):
            raise StorageError(
                "the study archive's manifest lists the same file more than once; it was not "
                "made by 'Export study'"
            )
        files = []
        for i, f in enumerate(listed):
            where = f"files[{i}]."
            path = paths[i]
            content = _read_member(zf, path, max_bytes=max_member_bytes)
            digest = hashlib.sha256(content).hexdigest()
            if digest != m.text(f, "sha256", where) or len(content) != m.count(f, "size", where):
                raise StorageError(
                    f"the study archive is damaged: {path} does not match its checksum; "
                    "export the study again"
                )
            files.append(
                ArchivedFile(
                    name=m.text(f, "name", where),
                    sha256=digest,
                    created_at=m.time(f, "created_at", where),
                    content=content,
                )
            )
        personas = []
        for i, p in enumerate(m.items(manifest, "personas", "")):
            where = f"personas[{i}]."
            history = _read_versions(p, where)
            persona = ArchivedPersona(
                name=m.text(p, "name", where),
                version=m.version(p, "version", where),
                data=m.obj(p, "data", where),
                created_at=m.time(p, "created_at", where),
                updated_at=m.time(p, "updated_at", where),
                updated_by=m.opt_text(p, "updated_by", where),
                history=history,
            )
            if history[-1].version != persona.version:
                raise m.fail(
                    f"{where}version",
                    f"the last version in its history ({history[-1].version})",
                    persona.version,
                )
            personas.append(persona)
        return StudyArchive(
            name=m.text(study, "name", "study."),
            created_at=m.time(study, "created_at", "study."),
            mapping=m.doc(study, "mapping", "study."),
            settings=m.doc(study, "settings", "study."),
            ui_state=m.doc(study, "ui_state", "study."),
            files=tuple(files),
            personas=tuple(personas),
            segmentations=_read_segmentations(manifest),
        )
