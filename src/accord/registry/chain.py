"""The event log's hash chain: canonical JSON and the one hash definition.

    hash = SHA-256( prev_hash "\\n" payload "\\n" canonical_json(metadata) )

where `payload` is the event's canonical JSON text exactly as stored, `metadata` is
{"actor", "at", "kind", "seq", "subject"} and `prev_hash` is the previous event's hash (64 zeros
for the first). Canonical JSON: keys sorted, no spaces, UTF-8, no ASCII escaping. Anyone can
recompute the chain from the table with this file alone (docs/registry.md repeats it).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """One spelling per value, so equal data always hashes the same."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_hash(
    prev_hash: str, payload: str, *, seq: int, at: str, actor: str, kind: str, subject: str
) -> str:
    """The hash of one event, chained to the one before it."""
    meta = canonical_json({"actor": actor, "at": at, "kind": kind, "seq": seq, "subject": subject})
    return sha256_text(f"{prev_hash}\n{payload}\n{meta}")
