"""Read YAML files while keeping the line and column of every value.

Profiles and rulebooks are written by people, so every error must point at the place to fix.
PyYAML's composer gives us nodes with marks; we build plain Python data plus a map from the
path of each value to its position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

from accord import files
from accord.errors import InputError, Location

PathKey = tuple[str | int, ...]

# libyaml's parser keeps line/column marks and is ~20x faster than the pure-Python one.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """YAML 1.2 booleans: `NO` (Norway), `yes`, `on` and `off` stay text, as people mean them."""

    yaml_implicit_resolvers: ClassVar[dict] = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()
    }


_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVED: dict[tuple[str, tuple[bool, bool]], str] = {}
"""Tags of short plain scalars already resolved (keys, enum values, numbers): resolving runs
every implicit resolver's regex in Python, a fifth of the time of loading 10,000 profiles."""


def _resolve(self: _Loader, kind: Any, value: str, implicit: tuple[bool, bool]) -> str:
    if kind is not yaml.ScalarNode or len(value) > 40:
        return _BASE_RESOLVE(self, kind, value, implicit)
    key = (value, implicit)
    tag = _RESOLVED.get(key)
    if tag is None:
        tag = _BASE_RESOLVE(self, kind, value, implicit)
        if len(_RESOLVED) < 100_000:
            _RESOLVED[key] = tag
    return tag


# The implicit resolvers are fixed above, and there are no path resolvers, so a scalar's tag
# depends only on its text and on whether it was quoted: safe to remember.
_BASE_RESOLVE = _Loader.resolve
_Loader.resolve = _resolve  # type: ignore[method-assign]

MERGE_TAG = "tag:yaml.org,2002:merge"
PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
"""The only tags read: plain data. `!!python/...`, `!!binary`, `!!set` and custom tags are
refused rather than ignored, so a value never silently means something else."""
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters (escape sequences, bells...) that text inputs may not contain."""
MAX_DEPTH = 100
"""Deepest nesting read (real profiles and rulebooks stay under 20 levels); deeper documents
are refused before they can exhaust Python's stack."""
NODE_BUDGET_PER_BYTE = 10
"""Aliases may repeat parts of a document, but never expand it past ten nodes per input byte
(a few hundred bytes of nested aliases would otherwise expand to billions of values)."""


@dataclass
class YamlDocument:
    """Parsed data plus where each value came from."""

    path: str
    data: Any
    positions: dict[PathKey, tuple[int, int]]
    text: str = ""
    """The text it was parsed from (e.g. for a round-trip rewrite that keeps comments)."""

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
    """Read a text input through the checks in `accord.files` (regular file, size, UTF-8)."""
    return files.read_text(path, what, error)


def parse(text: str, path: str, error: type[InputError] = InputError) -> YamlDocument:
    """Parse one YAML document, rejecting duplicate keys and reporting syntax errors precisely."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problem = exc.problem or "invalid YAML"
        if exc.context and "single document" in exc.context:
            problem = "expected a single document, found another (a line `---` starts it)"
        raise error(f"{loc}: malformed YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise error(f"{path}: malformed YAML: {exc}") from None
    positions: dict[PathKey, tuple[int, int]] = {}
    if node is None:
        return YamlDocument(path, None, positions, text)
    walk = _Converter(path, error, budget=max(1000, NODE_BUDGET_PER_BYTE * len(text)))
    data = walk.convert(node, (), positions)
    return YamlDocument(path, data, positions, text)


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


class _Converter:
    """Node graph to plain data, with positions; refuses alias bombs, cycles and merge keys."""

    def __init__(self, path: str, error: type[InputError], budget: int) -> None:
        self.path, self.error, self.budget = path, error, budget
        self.constructor = yaml.SafeLoader("")
        self.active: set[int] = set()  # nodes on the current path, to catch recursive aliases

    def fail(self, node: yaml.Node, message: str) -> InputError:
        loc = Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)
        return self.error(f"{loc}: {message}")

    def convert(
        self, node: yaml.Node, key: PathKey, positions: dict[PathKey, tuple[int, int]]
    ) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.fail(node, "the document expands too far through aliases (*name)")
        positions[key] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if len(key) > MAX_DEPTH:
            raise self.fail(node, f"nested deeper than {MAX_DEPTH} levels")
        self.check_tag(node)
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if id(node) in self.active:
            raise self.fail(node, "an alias refers to a value that contains it (recursive)")
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, key, positions)
            return [self.convert(item, (*key, i), positions) for i, item in enumerate(node.value)]
        finally:
            self.active.discard(id(node))

    def mapping(
        self, node: yaml.MappingNode, key: PathKey, positions: dict[PathKey, tuple[int, int]]
    ) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for k_node, v_node in node.value:
            if k_node.tag == MERGE_TAG:
                raise self.fail(
                    k_node, "YAML merge keys (<<) are not supported; write the keys out in full"
                )
            if not isinstance(k_node, yaml.ScalarNode):
                raise self.fail(k_node, "mapping keys must be plain values")
            self.check_tag(k_node)
            k = self.scalar(k_node)
            if k in out:
                raise self.fail(k_node, f"duplicate key {_short(k)}")
            child_key = (*key, str(k))
            out[k] = self.convert(v_node, child_key, positions)
            mark = (k_node.start_mark.line + 1, k_node.start_mark.column + 1)
            positions[child_key] = mark
            if not isinstance(k, str):  # validators may report the key as it was typed (42, True)
                positions[(*key, k)] = mark
        return out

    def check_tag(self, node: yaml.Node) -> None:
        if node.tag not in PLAIN_TAGS:
            shown = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(node, f"unsupported YAML tag {_short(shown)}; only plain data is read")

    def scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            # Text is the node's own value (what PyYAML's str constructor returns), and most
            # scalars are text: skip the constructor's bookkeeping for them.
            value = node.value if node.tag == _STR_TAG else self.constructor.construct_object(node)
        except Exception:  # PyYAML raises many types for bad typed scalars
            kind = node.tag.rsplit(":", 1)[-1]
            hint = " (write dates as YYYY-MM-DD)" if kind == "timestamp" else ""
            raise self.fail(node, f"invalid {kind} value {_short(node.value)}{hint}") from None
        if isinstance(value, float) and value != value:  # NaN: never a meaningful input
            raise self.fail(node, f"invalid value {_short(node.value)}: not a number")
        if isinstance(value, str) and (bad := CONTROL.search(value)):
            raise self.fail(
                node,
                f"control character U+{ord(bad.group()):04X} is not allowed in text "
                "(it could rewrite what a terminal shows)",
            )
        return value


def _short(value: Any, limit: int = 60) -> str:
    """A value for an error message: its repr, cut so a huge input cannot flood the terminal."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."
