"""Each deployable is released on its own: one version, said the same way in its pyproject.toml,
its package's ``__version__`` (what its OpenAPI document and logs report), the newest entry of its
CHANGELOG.md and its image tag; the contracts keep every release's schemas for the N-1 test."""

from __future__ import annotations

import importlib

import pytest

from deploy_harness import ROOT, changelog_versions, deployables, released_version

CONTRACTS = "contracts"


@pytest.mark.parametrize("name", sorted(deployables()))
def test_a_deployable_states_one_version_everywhere(name: str) -> None:
    built = deployables()[name]
    version = released_version(built.source)
    module = importlib.import_module(f"qingchun_{name}")
    assert module.__version__ == version
    history = changelog_versions(built.source)
    assert history, f"{built.source}/CHANGELOG.md has no release entry"
    assert history[0] == version, f"{name} is {version} but its changelog's newest entry is {history[0]}"
    assert history == sorted(history, key=lambda v: tuple(map(int, v.split("."))), reverse=True)
    assert built.image.endswith(f":{version}")


def test_the_contracts_keep_the_schemas_of_every_release() -> None:
    version = released_version(CONTRACTS)
    history = changelog_versions(CONTRACTS)
    assert history[0] == version
    snapshots = ROOT / CONTRACTS / "snapshots"
    for released in history:
        kept = sorted((snapshots / released).glob("qingchun.*.json"))
        assert kept, f"contracts {released} was released without its schemas in contracts/snapshots/"
