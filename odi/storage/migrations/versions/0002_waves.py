"""Waves: programmes of studies linked as waves, with manual outcome matches.

Revision ID: 0002_waves
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_waves"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamp(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("matches", sa.JSON(none_as_null=True), nullable=True),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
        sa.UniqueConstraint("name", name=op.f("uq_programmes_name")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "programme_waves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        _stamp("created_at"),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_programme_waves_programme_id_programmes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["studies.id"],
            name=op.f("fk_programme_waves_study_id_studies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_waves")),
        sa.UniqueConstraint(
            "programme_id", "study_id", name=op.f("uq_programme_waves_programme_id_study_id")
        ),
        sa.UniqueConstraint(
            "programme_id", "position", name=op.f("uq_programme_waves_programme_id_position")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_programme_waves_programme_id"), "programme_waves", ["programme_id"])
    op.create_index(op.f("ix_programme_waves_study_id"), "programme_waves", ["study_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_programme_waves_study_id"), table_name="programme_waves")
    op.drop_index(op.f("ix_programme_waves_programme_id"), table_name="programme_waves")
    op.drop_table("programme_waves")
    op.drop_table("programmes")
