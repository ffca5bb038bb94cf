"""Offline schema validation of what deploy/ ships: docker-compose.yml against the compose
specification's JSON Schema (as vendored by check-jsonschema) and every rendered Kubernetes
manifest against the Kubernetes JSON Schemas of kubernetes-validate, strict (unknown fields are
errors), for the oldest and newest Kubernetes version we claim. No network, no binaries."""

from __future__ import annotations

import copy
import importlib.resources
import json
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from deploy_harness import K8S, OVERLAYS, compose, k8s_renderer, rendered

KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")


def _compose_errors(document: dict[str, Any]) -> list[str]:
    schema = json.loads(
        importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
        .joinpath("compose-spec.json")
        .read_text(encoding="utf-8")
    )
    validator = jsonschema.validators.validator_for(schema)
    checker = validator(schema, format_checker=validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in checker.iter_errors(document)]


def test_the_compose_file_follows_the_compose_specification() -> None:
    assert _compose_errors(compose()) == []


def test_a_broken_compose_file_is_rejected() -> None:
    broken = compose()
    broken["services"]["registry"]["depends_on"]["mongo"]["condition"] = "service_healty"
    broken["services"]["gateway"]["restart"] = ["always"]
    errors = _compose_errors(broken)
    assert any(e.startswith("services/registry/depends_on") for e in errors), errors
    assert any(e.startswith("services/gateway/restart") for e in errors), errors


def _k8s_errors(resource: dict[str, Any], version: str) -> list[str]:
    try:
        kubernetes_validate.validate(resource, version, strict=True)
    except kubernetes_validate.ValidationError as error:
        where = "/".join(map(str, error.absolute_path))
        return [f"{resource['kind']}/{resource['metadata']['name']} {where}: {error.message}"]
    return []


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_rendered_manifest_follows_the_kubernetes_schema(overlay: str, version: str) -> None:
    resources = rendered(overlay)
    assert len(resources) > 30  # six deployables with five objects each, namespace, config, policies
    assert [e for r in resources for e in _k8s_errors(r, version)] == []


def test_a_broken_manifest_is_rejected() -> None:
    deployment = next(r for r in rendered("overlays/production") if r["kind"] == "Deployment")
    misspelt = copy.deepcopy(deployment)
    container = misspelt["spec"]["template"]["spec"]["containers"][0]
    container["readinessprobe"] = container.pop("readinessProbe")
    retyped = copy.deepcopy(deployment)
    retyped["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "eight thousand"
    for broken in (misspelt, retyped):
        assert _k8s_errors(broken, KUBERNETES_VERSIONS[0]) != []


def _kustomization(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "kustomization.yaml").write_text(text, encoding="utf-8")
    return directory


def test_the_renderer_refuses_what_it_does_not_do(tmp_path: Path) -> None:
    base = (K8S / "base").as_posix()
    render, error = k8s_renderer().render, k8s_renderer().RenderError
    header = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
    unsupported = _kustomization(tmp_path / "a", header + f"resources: [{base}]\ncommonLabels: {{a: b}}\n")
    with pytest.raises(error, match="commonLabels"):
        render(unsupported)
    nothing = _kustomization(
        tmp_path / "b",
        header
        + f"resources: [{base}]\npatches:\n  - target: {{kind: Deployment, name: nobody}}\n"
        + "    patch: '[{op: replace, path: /spec/paused, value: true}]'\n",
    )
    with pytest.raises(error, match="matches nothing"):
        render(nothing)
    missing_path = _kustomization(
        tmp_path / "c",
        header
        + f"resources: [{base}]\npatches:\n  - target: {{kind: Deployment, name: registry}}\n"
        + "    patch: '[{op: replace, path: /spec/nowhere/deep, value: 1}]'\n",
    )
    with pytest.raises(error, match="does not exist"):
        render(missing_path)
    unknown_image = _kustomization(
        tmp_path / "d", header + f"resources: [{base}]\nimages: [{{name: qingchun-nobody, newTag: '1'}}]\n"
    )
    with pytest.raises(error, match="qingchun-nobody"):
        render(unknown_image)


def test_overlays_patch_what_they_say(tmp_path: Path) -> None:
    """The renderer applies an overlay's images and patches (not just passes the base through)."""
    staging = {(r["kind"], r["metadata"]["name"]): r for r in rendered("overlays/staging")}
    assert staging["HorizontalPodAutoscaler", "registry"]["spec"]["minReplicas"] == 1
    image = staging["Deployment", "registry"]["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image.startswith("registry.example.org/qingchun/registry:")
    assert {r["metadata"].get("namespace") for r in staging.values() if r["kind"] != "Namespace"} == {
        "qingchun"
    }
    dumped = yaml.safe_dump_all(list(staging.values()))
    assert "qingchun.example.org/volunteering" in dumped
