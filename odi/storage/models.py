"""SQLAlchemy 2 models of the workspace: studies, their files, personas and persona versions.

The schema is created and changed only by the Alembic migrations in ``odi/storage/migrations``;
a test checks that the migrations' head matches these models.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "FileRow",
    "PersonaRow",
    "PersonaVersionRow",
    "ProgrammeRow",
    "SegmentationRow",
    "StudyRow",
    "UTCDateTime",
    "WaveRow",
]

NAME_LENGTH = 200
"""Longest study, persona or author name, in characters."""
FILE_NAME_LENGTH = 255
NOTE_LENGTH = 500


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back as an aware UTC datetime.

    SQLite keeps no time zone, so values are converted to UTC on the way in and marked as UTC
    on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"timestamps must carry a time zone; got {value!r}")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONDoc = JSON(none_as_null=True)

# SQLite reuses the largest deleted id unless AUTOINCREMENT is set; ids must never come back,
# or a stale id held by another browser session could point at a different row.
_NO_ID_REUSE: dict[str, Any] = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names, so migrations can refer to them."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class StudyRow(Base):
    """A study: its name and its JSON documents (mapping, settings, UI state)."""

    __tablename__ = "studies"
    __table_args__ = _NO_ID_REUSE

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    mapping: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    ui_state: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FileRow(Base):
    """An uploaded file: the original bytes and their SHA-256."""

    __tablename__ = "study_files"
    __table_args__ = _NO_ID_REUSE

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(FILE_NAME_LENGTH))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PersonaRow(Base):
    """A persona's current state; ``version`` is the optimistic-locking counter."""

    __tablename__ = "personas"
    __table_args__ = _NO_ID_REUSE

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str | None] = mapped_column(String(NAME_LENGTH))


class PersonaVersionRow(Base):
    """A full snapshot of a persona at one version."""

    __tablename__ = "persona_versions"
    __table_args__ = (UniqueConstraint("persona_id", "version"), _NO_ID_REUSE)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    persona_id: Mapped[int] = mapped_column(
        ForeignKey("personas.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    data: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    author: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    note: Mapped[str | None] = mapped_column(String(NOTE_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProgrammeRow(Base):
    """A programme: studies linked as waves; ``matches`` holds manual outcome matches."""

    __tablename__ = "programmes"
    __table_args__ = (UniqueConstraint("name"), _NO_ID_REUSE)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    matches: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WaveRow(Base):
    """A study's place in a programme: wave ``position`` (1, 2, ...) with a label."""

    __tablename__ = "programme_waves"
    __table_args__ = (
        UniqueConstraint("programme_id", "study_id"),
        UniqueConstraint("programme_id", "position"),
        _NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(NAME_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SegmentationRow(Base):
    """A saved needs-based segmentation run (see :mod:`odi.storage.segmentations`)."""

    __tablename__ = "segmentations"
    __table_args__ = _NO_ID_REUSE

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    k: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    names: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    assignment: Mapped[dict[str, Any]] = mapped_column(JSONDoc)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
