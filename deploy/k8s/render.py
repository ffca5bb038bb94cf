"""Render a kustomization of deploy/k8s without the kustomize binary.

CI has no kustomize (and downloads no binaries), yet it must validate what ``kubectl apply -k``
would apply. This renders the subset of kustomize these manifests use — ``resources`` (files and
directories), ``namespace``, ``labels``, ``images`` and JSON 6902 ``patches`` with a
kind/name target (the name a regular expression, as in kustomize) — and refuses any other field, so
a manifest can never rely on something the check silently skips. ``kubectl kustomize`` gives the
same documents for these files.

Usage::

    python deploy/k8s/render.py deploy/k8s/overlays/production > production.yaml
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

Resource = dict[str, Any]
KUSTOMIZATION = "kustomization.yaml"
SUPPORTED = {"apiVersion", "kind", "resources", "namespace", "labels", "images", "patches"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"}
POD_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job"}


class RenderError(ValueError):
    """The kustomization uses something this renderer does not do, or is wrong; says which and where."""


def render(directory: Path) -> list[Resource]:
    """The resources a kustomization directory produces, in kustomize's order (depth first)."""
    path = directory / KUSTOMIZATION
    if not path.is_file():
        raise RenderError(f"{directory}: no {KUSTOMIZATION}")
    spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(spec) - SUPPORTED
    if unknown:
        raise RenderError(f"{path}: fields this renderer does not support: {sorted(unknown)}")
    if (spec.get("apiVersion"), spec.get("kind")) != ("kustomize.config.k8s.io/v1beta1", "Kustomization"):
        raise RenderError(f"{path}: not a kustomize.config.k8s.io/v1beta1 Kustomization")
    resources: list[Resource] = []
    for entry in spec.get("resources", []):
        target = (directory / entry).resolve()
        resources += render(target) if target.is_dir() else _documents(target)
    _unique(resources, path)
    if "namespace" in spec:
        _set_namespace(resources, spec["namespace"])
    for label in spec.get("labels", []):
        _add_labels(resources, label, path)
    for image in spec.get("images", []):
        _set_image(resources, image, path)
    for patch in spec.get("patches", []):
        _patch(resources, patch, path)
    return resources


def _documents(path: Path) -> list[Resource]:
    if not path.is_file():
        raise RenderError(f"{path}: resource not found")
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


def _key(resource: Resource) -> tuple[str, str, str]:
    metadata = resource.get("metadata", {})
    return resource.get("kind", ""), metadata.get("namespace", ""), metadata.get("name", "")


def _unique(resources: Iterable[Resource], where: Path) -> None:
    seen: set[tuple[str, str, str]] = set()
    for resource in resources:
        key = _key(resource)
        if key in seen:
            raise RenderError(f"{where}: {key[0]} {key[2]!r} is declared twice")
        seen.add(key)


def _set_namespace(resources: Iterable[Resource], namespace: str) -> None:
    for resource in resources:
        if resource.get("kind") not in CLUSTER_SCOPED:
            resource.setdefault("metadata", {})["namespace"] = namespace


def _add_labels(resources: Iterable[Resource], label: dict[str, Any], where: Path) -> None:
    unknown = set(label) - {"pairs", "includeTemplates"}
    if unknown:
        raise RenderError(f"{where}: labels fields this renderer does not support: {sorted(unknown)}")
    pairs = dict(label["pairs"])
    for resource in resources:
        resource.setdefault("metadata", {}).setdefault("labels", {}).update(pairs)
        if label.get("includeTemplates") and resource.get("kind") in POD_TEMPLATE_KINDS:
            template = resource["spec"]["template"].setdefault("metadata", {})
            template.setdefault("labels", {}).update(pairs)


def _containers(resource: Resource) -> list[dict[str, Any]]:
    if resource.get("kind") not in POD_TEMPLATE_KINDS:
        return []
    pod = resource["spec"]["template"]["spec"]
    return [*pod.get("initContainers", []), *pod.get("containers", [])]


def _set_image(resources: Iterable[Resource], image: dict[str, str], where: Path) -> None:
    unknown = set(image) - {"name", "newName", "newTag"}
    if unknown:
        raise RenderError(f"{where}: images fields this renderer does not support: {sorted(unknown)}")
    matched = False
    for resource in resources:
        for container in _containers(resource):
            name, _, tag = container["image"].partition(":")
            if name == image["name"]:
                container["image"] = f"{image.get('newName', name)}:{image.get('newTag', tag)}"
                matched = True
    if not matched:
        raise RenderError(f"{where}: no container uses image {image['name']!r}")


def _patch(resources: Iterable[Resource], patch: dict[str, Any], where: Path) -> None:
    unknown = (set(patch) - {"target", "patch"}) | (set(patch.get("target", {})) - {"kind", "name"})
    if unknown:
        raise RenderError(f"{where}: patch fields this renderer does not support: {sorted(unknown)}")
    target, operations = patch["target"], yaml.safe_load(patch["patch"])
    if not isinstance(operations, list):
        raise RenderError(f"{where}: only JSON 6902 patches (a list of operations) are supported")
    name = re.compile(target.get("name", ".*"))
    matched = [
        r for r in resources if r.get("kind") == target["kind"] and name.fullmatch(_key(r)[2]) is not None
    ]
    if not matched:
        raise RenderError(f"{where}: patch target {target} matches nothing")
    for resource in matched:
        for operation in operations:
            _apply(resource, operation, where)


def _apply(document: Resource, operation: dict[str, Any], where: Path) -> None:
    """One JSON Patch (RFC 6902) add, replace or remove; the path must exist except for add's last step."""
    op, pointer = operation.get("op"), operation.get("path", "")
    steps = [step.replace("~1", "/").replace("~0", "~") for step in pointer.split("/")[1:]]
    if op not in {"add", "replace", "remove"} or not steps:
        raise RenderError(f"{where}: unsupported patch operation {operation}")
    parent: Any = document
    try:
        for step in steps[:-1]:
            parent = parent[int(step)] if isinstance(parent, list) else parent[step]
        last = steps[-1]
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if op == "add":
                parent.insert(index, copy.deepcopy(operation["value"]))
            elif op == "replace":
                parent[index] = copy.deepcopy(operation["value"])
            else:
                del parent[index]
            return
        if op != "add" and last not in parent:
            raise KeyError(last)
        if op == "remove":
            del parent[last]
        else:
            parent[last] = copy.deepcopy(operation["value"])
    except (KeyError, IndexError, ValueError, TypeError) as error:
        raise RenderError(f"{where}: patch path {pointer} does not exist in {_key(document)}") from error


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        resources = render(Path(argv[0]))
    except RenderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(yaml.safe_dump_all(resources, sort_keys=False, allow_unicode=True), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
