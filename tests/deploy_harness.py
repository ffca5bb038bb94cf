"""What the deploy tests read: the local runner's topology, the compose file, the image recipe,
each deployable's version, and the rendered Kubernetes manifests. Loaded from the files
themselves, so every test checks what is committed rather than a copy of it."""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
RECIPE = "deploy/docker/service.Dockerfile"
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("base", "overlays/staging", "overlays/production")


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


@functools.cache
def runner() -> ModuleType:
    return _load(ROOT / "deploy/local/runner.py", "qingchun_runner")


@functools.cache
def k8s_renderer() -> ModuleType:
    return _load(K8S / "render.py", "qingchun_k8s_render")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return loaded


@dataclass(frozen=True)
class Deployable:
    """One service or the gateway as compose builds it: the recipe's arguments and its image."""

    name: str
    port: int
    source: str
    version: str
    image: str

    @property
    def package(self) -> str:
        return f"qingchun-{self.name}"

    @property
    def pyproject(self) -> dict[str, Any]:
        loaded: dict[str, Any] = tomllib.loads((ROOT / self.source / "pyproject.toml").read_text())
        return loaded


def deployables() -> dict[str, Deployable]:
    """Compose services built from the recipe under their own name (not the one-shot token issuer)."""
    found = {}
    for name, service in compose()["services"].items():
        build = service.get("build", {})
        args = build.get("args", {})
        if build.get("dockerfile") != RECIPE or args.get("SERVICE") != name:
            continue
        found[name] = Deployable(
            name=name,
            port=int(args["PORT"]),
            source=args.get("SOURCE", f"services/{name}"),
            version=args["VERSION"],
            image=service["image"],
        )
    return found


def runner_services() -> dict[str, tuple[str, int]]:
    services: dict[str, tuple[str, int]] = runner().SERVICES
    return services


def released_version(source: str) -> str:
    """The version a deployable's pyproject.toml declares."""
    version: str = tomllib.loads((ROOT / source / "pyproject.toml").read_text())["project"]["version"]
    return version


def changelog_versions(source: str) -> list[str]:
    """The versions a CHANGELOG.md has entries for, newest first (``## [0.1.0] — 2026-…`` headings)."""
    text = (ROOT / source / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.findall(r"^## \[(\d+\.\d+\.\d+)\]", text, flags=re.MULTILINE)


def rendered(overlay: str) -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = k8s_renderer().render(K8S / overlay)
    return resources


def of_kind(resources: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}
