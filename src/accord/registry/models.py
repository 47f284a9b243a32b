"""SQLAlchemy 2 models of the registry tables (the Alembic migrations create the same tables;
a test checks that they do not drift apart).

Tables are prefixed `accord_` so the registry can live in a shared PostgreSQL database. Times
are stored as ISO 8601 text in UTC, exactly as they enter the event hashes, so every backend
gives back the same string and the chain can be recomputed byte for byte.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SystemRow(Base):
    """One system: its id, current name and owner (the history is in versions and events)."""

    __tablename__ = "accord_systems"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[str] = mapped_column(String(40))


class VersionRow(Base):
    """An immutable version of a system's profile (canonical JSON and its SHA-256)."""

    __tablename__ = "accord_versions"
    __table_args__ = (UniqueConstraint("system_id", "number", name="uq_accord_versions_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    system_id: Mapped[str] = mapped_column(ForeignKey("accord_systems.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    profile_json: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    author: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    event_seq: Mapped[int] = mapped_column(Integer, unique=True)


class EvidenceRow(Base):
    """An append-only evidence record; a correction is a new record naming the one it replaces."""

    __tablename__ = "accord_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    system_id: Mapped[str] = mapped_column(ForeignKey("accord_systems.id"), index=True)
    control: Mapped[str] = mapped_column(String(200))
    covers_json: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10))
    location: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    date: Mapped[str] = mapped_column(String(10))
    valid_until: Mapped[str | None] = mapped_column(String(10), nullable=True)
    owner: Mapped[str | None] = mapped_column(Text, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    replaces: Mapped[int | None] = mapped_column(Integer, nullable=True)
    added_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    event_seq: Mapped[int] = mapped_column(Integer, unique=True)


class EventRow(Base):
    """One link of the hash chain: seq 1..n, each hash covering the previous one."""

    __tablename__ = "accord_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class HeadRow(Base):
    """The single row naming the last event: writers lock it (PostgreSQL: SELECT ... FOR
    UPDATE) before taking the next sequence number, and `log verify` checks the chain ends
    there, so deleting events at the end is detected too."""

    __tablename__ = "accord_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


Index("ix_accord_events_subject", EventRow.subject)
