"""Each image installs the package it claims, without a Docker engine: the recipe's own `uv sync`
line, with compose's build arguments, names a package; the same lock export (`--frozen --no-dev
--package …`) installed into an empty virtual environment with that package's wheels, and nothing
else, imports the app factory the image runs and builds its app, with no test tool or SecantusDB
in reach. A recipe that copied too few workspace members or pulled in the dev group fails here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from deploy_harness import RECIPE, ROOT, Deployable, deployables

DEV_ONLY = ("secantusdb", "pytest", "pytest-asyncio", "hypothesis", "mypy", "ruff", "testcontainers")


def _uv() -> list[str]:
    found = shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


def _run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _expand(text: str, args: dict[str, str]) -> str:
    return re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], text)


class Recipe:
    """What the Dockerfile does with its build arguments, read from its instructions."""

    def __init__(self, text: str) -> None:
        lines = [line for line in text.replace("\\\n", " ").splitlines() if not line.lstrip().startswith("#")]
        self.syncs = [line for line in lines if "uv sync" in line]
        self.copies = [line.split()[1] for line in lines if line.startswith("COPY ") and "--from" not in line]
        self.defaults = dict(re.findall(r"^ARG (\w+)=(\S+)", "\n".join(lines), flags=re.MULTILINE))
        self.module = re.search(r'QINGCHUN_SERVICE_MODULE="([^"]+)"', text)
        self.text = text

    def arguments(self, deployable: Deployable) -> dict[str, str]:
        given = {"SERVICE": deployable.name, "PORT": str(deployable.port), "VERSION": deployable.version}
        given["SOURCE"] = deployable.source
        return {k: _expand(v, given) for k, v in self.defaults.items()} | given

    def package(self, args: dict[str, str]) -> str:
        (final,) = [line for line in self.syncs if "--no-install-workspace" not in line]
        found = re.search(r'--package "?([^"\s]+)"?', final)
        assert found is not None, final
        return _expand(found.group(1), args)

    def copied_sources(self, args: dict[str, str]) -> set[str]:
        return {_expand(source, args).rstrip("/") for source in self.copies}


@pytest.fixture(scope="module")
def recipe() -> Recipe:
    return Recipe((ROOT / RECIPE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every workspace member's wheel, built once (what the image's `--no-editable` sync installs)."""
    out = tmp_path_factory.mktemp("wheels")
    _run(*_uv(), "build", "--all-packages", "--wheel", "--out-dir", str(out), "-q")
    return {path.name.split("-")[0].replace("_", "-"): path for path in out.glob("*.whl")}


def test_the_recipe_is_slim_non_root_and_checks_health(recipe: Recipe) -> None:
    stages = re.findall(r"^FROM (\S+)", recipe.text, flags=re.MULTILINE)
    assert stages
    assert all(stage.endswith("-slim") for stage in stages)
    assert re.findall(r"^USER (\S+)", recipe.text, flags=re.MULTILINE) == ["qingchun"]
    assert "/healthz" in recipe.text.split("HEALTHCHECK", 1)[1].split("\nCMD", 1)[0]
    assert all("--no-dev" in sync and "--frozen" in sync for sync in recipe.syncs)


@pytest.mark.parametrize("name", sorted(deployables()))
def test_the_image_installs_its_package_and_its_app_factory_imports(
    name: str, recipe: Recipe, wheels: dict[str, Path], tmp_path: Path
) -> None:
    deployable = deployables()[name]
    args = recipe.arguments(deployable)
    package = recipe.package(args)
    assert package == deployable.package
    assert deployable.pyproject["project"]["name"] == package
    export = [*_uv(), "export", "--frozen", "--no-dev", "--package", package, "--no-hashes", "--no-header"]
    locked = _run(*export, "--no-annotate").splitlines()
    members = [line.removeprefix("-e ./") for line in locked if line.startswith("-e ")]
    third_party = [line for line in locked if line and not line.startswith(("-e ", "#"))]
    assert not [line for line in third_party if line.split("==")[0] in DEV_ONLY]
    missing = {f"{member}/src" for member in members} - recipe.copied_sources(args)
    assert not missing, f"the recipe installs {members} but never copies {sorted(missing)}"
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("\n".join(third_party) + "\n")
    member_wheels = [str(wheels[_project_name(member)]) for member in members]
    venv = tmp_path / "venv"
    _run(*_uv(), "venv", "-q", "--python", sys.executable, str(venv))
    python = venv / "bin" / "python"
    install = [*_uv(), "pip", "install", "-q", "--python", str(python), "--no-deps", "-r", str(requirements)]
    _run(*install, *member_wheels)
    assert recipe.module is not None
    module, _, factory = _expand(recipe.module.group(1), args).partition(":")
    probe = (
        "import importlib, importlib.util, sys\n"
        f"app = getattr(importlib.import_module({module!r}), {factory!r})()\n"
        "assert type(app).__name__ == 'FastAPI', type(app)\n"
        f"print(*[m for m in {[m.replace('-', '_') for m in DEV_ONLY]!r} if importlib.util.find_spec(m)])\n"
        f"print(importlib.import_module({module.split('.')[0]!r}).__file__)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QINGCHUN_", "PYTHON", "VIRTUAL_ENV"))}
    dev_tools, installed_at = _run(str(python), "-I", "-c", probe, cwd=tmp_path, env=env).splitlines()
    assert dev_tools == ""
    assert installed_at.startswith(str(venv))  # the wheel, not the workspace's source tree


def _project_name(member: str) -> str:
    name: str = tomllib.loads((ROOT / member / "pyproject.toml").read_text())["project"]["name"]
    return name
