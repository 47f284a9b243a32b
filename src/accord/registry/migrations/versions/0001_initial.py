"""Initial registry schema: systems, versions, evidence, events and the chain head.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "accord_systems",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accord_systems"),
    )
    op.create_table(
        "accord_events",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_accord_events"),
    )
    op.create_index("ix_accord_events_subject", "accord_events", ["subject"])
    head = op.create_table(
        "accord_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accord_head"),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])
    op.create_table(
        "accord_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("system_id", sa.String(200), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("profile_json", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["system_id"],
            ["accord_systems.id"],
            name="fk_accord_versions_system_id_accord_systems",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_accord_versions"),
        sa.UniqueConstraint("system_id", "number", name="uq_accord_versions_number"),
        sa.UniqueConstraint("event_seq", name="uq_accord_versions_event_seq"),
    )
    op.create_index("ix_accord_versions_system_id", "accord_versions", ["system_id"])
    op.create_table(
        "accord_evidence",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("system_id", sa.String(200), nullable=False),
        sa.Column("control", sa.String(200), nullable=False),
        sa.Column("covers_json", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("valid_until", sa.String(10), nullable=True),
        sa.Column("owner", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("replaces", sa.Integer(), nullable=True),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["system_id"],
            ["accord_systems.id"],
            name="fk_accord_evidence_system_id_accord_systems",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_accord_evidence"),
        sa.UniqueConstraint("event_seq", name="uq_accord_evidence_event_seq"),
    )
    op.create_index("ix_accord_evidence_system_id", "accord_evidence", ["system_id"])


def downgrade() -> None:
    op.drop_table("accord_evidence")
    op.drop_table("accord_versions")
    op.drop_table("accord_head")
    op.drop_table("accord_events")
    op.drop_table("accord_systems")
