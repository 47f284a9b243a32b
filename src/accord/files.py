"""Reading and writing users' files without surprises.

Inputs may be hostile or simply wrong (a FIFO, `/dev/zero`, a 2 GB log passed by mistake), and
outputs must never leave a half-written file or overwrite the input they were made from. Every
command reads and writes through here, so the limits and their messages are the same everywhere.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from accord.errors import InputError

MAX_TEXT_BYTES = 10 * 1024 * 1024
"""Largest YAML or text input read (profiles, rulebooks, specs, maps, answers): 10 MiB."""


def regular_file(path: str | Path, what: str, error: type[InputError] = InputError) -> Path:
    """The path, checked to be an existing regular file (symlinks followed and checked)."""
    p = Path(path)
    try:
        st = p.stat()  # follows symlinks: the target is what gets read
    except FileNotFoundError:
        if p.is_symlink():
            raise error(f"{p}: is a symlink to a missing file") from None
        raise error(f"{p}: no such {what}") from None
    except OSError as exc:  # name too long, permission denied on a parent, loops...
        raise error(f"{p}: cannot open {what}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise error(f"{p}: is a directory, expected {_a(what)}")
    if not stat.S_ISREG(st.st_mode):
        raise error(f"{p}: is not a regular file (a device, FIFO or socket), expected {_a(what)}")
    return p


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def read_text(
    path: str | Path,
    what: str = "file",
    error: type[InputError] = InputError,
    limit: int = MAX_TEXT_BYTES,
) -> str:
    """Read a UTF-8 text file of at most `limit` bytes, or raise a clear input error."""
    p = regular_file(path, what, error)
    try:
        with p.open("rb") as fh:
            raw = fh.read(limit + 1)
    except OSError as exc:
        raise error(f"{p}: cannot read {what}: {exc.strerror or exc}") from None
    if len(raw) > limit:
        mib = limit // (1024 * 1024)
        raise error(f"{p}: the {what} is larger than {mib} MiB; is it the right file?")
    if b"\x00" in raw:
        raise error(f"{p}: contains a NUL byte; expected a text {what}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            f"{p}: is not valid UTF-8 text (byte {exc.start}); save the {what} as UTF-8"
        ) from None


def check_writable(
    path: str | Path,
    *,
    force: bool = False,
    inputs: Iterable[str | Path] = (),
    what: str = "output",
) -> Path:
    """Fail before any work if `path` cannot be written: missing or read-only directory, an
    existing file without `force`, a directory, or one of the command's own inputs."""
    p = Path(path)
    for source in inputs:
        try:
            if Path(source).exists() and p.exists() and os.path.samefile(source, p):
                raise InputError(
                    f"{p}: is also an input of this command; write the {what} elsewhere"
                )
        except OSError:
            continue
    if p.is_dir():
        raise InputError(f"{p}: is a directory; give a file name for the {what}")
    if p.exists() and not force:
        raise InputError(f"{p}: already exists; use --force to overwrite")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{p}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise InputError(f"{p}: the directory {parent} is not writable")
    return p


def write_atomic(path: str | Path, text: str) -> None:
    """Write `text` so that the file is either the old one or the complete new one: a temporary
    file in the same directory, flushed to disk, then renamed over the target."""
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise InputError(f"{p}: cannot write in {parent}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if p.exists():
            os.chmod(tmp, stat.S_IMODE(p.stat().st_mode))
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, p)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{p}: could not be written: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
