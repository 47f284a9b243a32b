"""Read YAML files while keeping the line and column of every value.

Profiles and rulebooks are written by people, so every error must point at the place to fix.
PyYAML's composer gives us nodes with marks; we build plain Python data plus a map from the
path of each value to its position.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from accord.errors import InputError, Location

PathKey = tuple[str | int, ...]

# libyaml's parser keeps line/column marks and is ~20x faster than the pure-Python one.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDocument:
    """Parsed data plus where each value came from."""

    path: str
    data: Any
    positions: dict[PathKey, tuple[int, int]]

    def location(self, key: PathKey) -> Location:
        """The location of `key`, or of its nearest ancestor that has one."""
        probe = tuple(key)
        while probe:
            if probe in self.positions:
                line, col = self.positions[probe]
                return Location(self.path, line, col)
            probe = probe[:-1]
        return Location(self.path, *self.positions.get((), (1, 1)))


def read_text(path: str | Path, what: str = "file", error: type[InputError] = InputError) -> str:
    """Read a text file, turning every OS-level surprise into a clear input error."""
    p = Path(path)
    if not p.exists():
        raise error(f"{p}: no such {what}")
    if p.is_dir():
        raise error(f"{p}: is a directory, expected a YAML {what}")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise error(f"{p}: cannot read {what}: {exc.strerror or exc}") from None
    if b"\x00" in raw[:8192]:
        raise error(f"{p}: looks like a binary file, expected a YAML {what}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            f"{p}: is not valid UTF-8 text (byte {exc.start}); save the {what} as UTF-8"
        ) from None


def parse(text: str, path: str, error: type[InputError] = InputError) -> YamlDocument:
    """Parse one YAML document, rejecting duplicate keys and reporting syntax errors precisely."""
    try:
        node = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = exc.problem or "invalid YAML"
        raise error(f"{loc}: malformed YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: malformed YAML: {exc}") from None
    positions: dict[PathKey, tuple[int, int]] = {}
    if node is None:
        return YamlDocument(path, None, positions)
    constructor = yaml.SafeLoader("")
    data = _convert(node, (), positions, constructor, path, error)
    return YamlDocument(path, data, positions)


def load(
    path: str | Path, what: str = "file", error: type[InputError] = InputError
) -> YamlDocument:
    text = read_text(path, what, error)
    if not text.strip():
        raise error(f"{path}: the {what} is empty")
    doc = parse(text, str(path), error)
    if doc.data is None:
        raise error(f"{path}: the {what} contains no data (only comments?)")
    return doc


def _convert(
    node: yaml.Node,
    key: PathKey,
    positions: dict[PathKey, tuple[int, int]],
    constructor: yaml.SafeLoader,
    path: str,
    error: type[InputError],
) -> Any:
    positions[key] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for k_node, v_node in node.value:
            if not isinstance(k_node, yaml.ScalarNode):
                loc = Location(path, k_node.start_mark.line + 1, k_node.start_mark.column + 1)
                raise error(f"{loc}: mapping keys must be plain values")
            k = constructor.construct_object(k_node)
            if k in out:
                loc = Location(path, k_node.start_mark.line + 1, k_node.start_mark.column + 1)
                raise error(f"{loc}: duplicate key {k!r}")
            child_key = (*key, str(k))
            out[k] = _convert(v_node, child_key, positions, constructor, path, error)
            positions[child_key] = (k_node.start_mark.line + 1, k_node.start_mark.column + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, (*key, i), positions, constructor, path, error)
            for i, item in enumerate(node.value)
        ]
    try:
        return constructor.construct_object(node)
    except (yaml.constructor.ConstructorError, ValueError) as exc:
        loc = Location(path, node.start_mark.line + 1, node.start_mark.column + 1)
        raise error(f"{loc}: invalid value {node.value!r}: {exc} (dates are YYYY-MM-DD)") from None
