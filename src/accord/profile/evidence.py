"""Evidence files named in a profile's controls: read what they prove.

A control may list evidence; where an item is an audit result written by `accord audit bias
-o`, its audit date is the control's date (the law's validity, e.g. one year for an LL144 bias
audit, then decides whether it still counts). Paths are relative to the profile's folder. A
missing or unreadable file is reported as a warning, never silently ignored.
"""

from __future__ import annotations

from pathlib import Path

from accord.profile.model import Profile

AUDIT_CONTROLS = frozenset({"bias-audit"})
"""Controls an `accord audit bias` result can evidence."""


def apply_evidence(profile: Profile, base: Path) -> tuple[Profile, list[str]]:
    """The profile with control dates read from audit-result evidence, and the warnings."""
    from accord.audit.result import AuditResult
    from accord.errors import AccordError

    warnings: list[str] = []
    controls = []
    for ctl in profile.controls:
        audited = []
        for item in ctl.evidence:
            if "://" in item or not item.endswith(".json"):
                continue  # a link or a document: recorded, not read
            path = Path(item) if Path(item).is_absolute() else base / item
            if not path.exists():
                warnings.append(f"control {ctl.id}: evidence file {item} not found ({path})")
                continue
            try:
                result = AuditResult.load(path)
            except AccordError as exc:
                warnings.append(f"control {ctl.id}: evidence {item} is not an audit result: {exc}")
                continue
            if ctl.id not in AUDIT_CONTROLS:
                warnings.append(
                    f"control {ctl.id}: evidence {item} is a bias audit result; it evidences "
                    f"{', '.join(sorted(AUDIT_CONTROLS))}, not {ctl.id}"
                )
                continue
            audited.append(result.audit_date)
        if not audited:
            controls.append(ctl)
            continue
        latest = max(audited)  # the most recent audit is the one that counts
        if ctl.date is not None and ctl.date != latest:
            warnings.append(
                f"control {ctl.id}: date {ctl.date} differs from the latest audit date {latest} "
                "in its evidence; using the audit date"
            )
        controls.append(ctl.model_copy(update={"date": latest}))
    return profile.model_copy(update={"controls": controls}), warnings
