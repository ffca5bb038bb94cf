"""The two ways to run Qingchun describe the same topology: every service the local runner starts
is in docker-compose, built from the one recipe with the same port, and no image gets dev tools."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
RECIPE = "deploy/docker/service.Dockerfile"


@functools.cache
def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("qingchun_runner", ROOT / "deploy/local/runner.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("name", sorted(_runner().SERVICES))
def test_every_runner_service_is_in_compose_with_its_port(name: str) -> None:
    _, port = _runner().SERVICES[name]
    service = _compose()["services"].get(name)
    assert service is not None, f"{name} is missing from docker-compose.yml"
    assert service["build"]["dockerfile"] == RECIPE
    args = dict(service["build"]["args"])
    source = args.pop("SOURCE", f"services/{name}")  # the gateway is a member outside services/
    assert (ROOT / source / "pyproject.toml").exists(), source
    assert args == {"SERVICE": name, "PORT": str(port)}
    assert f"127.0.0.1:{port}:{port}" in service["ports"]
    assert service["environment"]["QINGCHUN_MONGO_URL"].startswith("mongodb://mongo:27017/")


def test_images_install_neither_dev_tools_nor_secantus() -> None:
    lines = (ROOT / RECIPE).read_text(encoding="utf-8").splitlines()
    instructions = [line for line in lines if not line.lstrip().startswith("#")]
    syncs = [line for line in instructions if "uv sync" in line]
    assert syncs
    assert all("--no-dev" in line and "--frozen" in line for line in syncs)
    assert not [line for line in instructions if "secantus" in line.lower()]
