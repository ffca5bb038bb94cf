"""JSON Schema export of every contract, and the check for incompatible changes.

The committed schemas in ``contracts/schemas/`` are the published contract. A change is
compatible when every message valid under the old schema is still readable by a consumer
written against it: fields may be added only as optional; none may be removed, renamed,
retyped or made required.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qingchun_contracts.catalog import all_contracts

Schema = dict[str, Any]


def current_schemas() -> dict[str, Schema]:
    """The JSON Schema of every contract, keyed by event type."""
    out: dict[str, Schema] = {}
    for cls in all_contracts():
        schema = cls.model_json_schema(mode="serialization")
        schema["x-qingchun-audience"] = cls.audience.value
        schema["description"] = cls.summary
        out[cls.event_type] = schema
    return out


def write_schemas(directory: Path) -> list[Path]:
    """Write one ``<type>.json`` per contract; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for event_type, schema in current_schemas().items():
        path = directory / f"{event_type}.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
        written.append(path)
    return written


def load_schemas(directory: Path) -> dict[str, Schema]:
    """Read the committed schemas back."""
    return {p.name.removesuffix(".json"): json.loads(p.read_text()) for p in directory.glob("*.json")}


def _resolve(schema: Schema, root: Schema) -> Schema:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    name = ref.rsplit("/", 1)[-1]
    resolved: Schema = root.get("$defs", {})[name]
    return resolved


def _types(schema: Schema, root: Schema) -> set[str]:
    """The set of JSON types a (sub)schema admits, following refs and unions."""
    schema = _resolve(schema, root)
    if "anyOf" in schema:
        return set().union(*(_types(s, root) for s in schema["anyOf"]))
    if "enum" in schema:
        return {f"enum:{v}" for v in schema["enum"]}
    if "const" in schema:
        return {f"enum:{schema['const']}"}
    kind = schema.get("type", "object" if "properties" in schema else "any")
    fmt = schema.get("format")
    return {f"{kind}:{fmt}" if fmt else str(kind)}


def breaking_changes(old: Schema, new: Schema, path: str = "") -> list[str]:
    """Describe every change from ``old`` to ``new`` that would break an existing consumer."""
    return _compare(old, old, new, new, path)


def _compare(old: Schema, old_root: Schema, new: Schema, new_root: Schema, path: str) -> list[str]:
    problems: list[str] = []
    old, new = _resolve(old, old_root), _resolve(new, new_root)
    lost_types = _types(old, old_root) - _types(new, new_root)
    if lost_types and "any" not in _types(new, new_root):
        problems.append(f"{path or '<root>'}: no longer accepts {sorted(lost_types)}")
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
    for name, old_prop in old_props.items():
        where = f"{path}.{name}" if path else name
        if name not in new_props:
            problems.append(f"{where}: removed")
            continue
        if name in new_required and name not in old_required:
            problems.append(f"{where}: became required")
        problems += _compare(old_prop, old_root, new_props[name], new_root, where)
    for name in set(new_props) - set(old_props):
        if name in new_required:
            problems.append(f"{path}.{name}".lstrip(".") + ": added as required")
    if "items" in old and "items" in new:
        problems += _compare(old["items"], old_root, new["items"], new_root, f"{path}[]")
    return problems


def compatibility_report(committed: dict[str, Schema], current: dict[str, Schema]) -> list[str]:
    """Every breaking change between the committed contract and the code, across all types."""
    problems = []
    for event_type, old in sorted(committed.items()):
        if event_type not in current:
            problems.append(f"{event_type}: contract removed (publish it until its last consumer moves)")
            continue
        problems += [f"{event_type}: {p}" for p in breaking_changes(old, current[event_type])]
    return problems
