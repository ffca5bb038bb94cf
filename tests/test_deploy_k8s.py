"""The Kubernetes manifests run the runner's topology: per deployable a Deployment (probes,
requests, non-root), a Service, an autoscaler and a disruption budget that all find its pods;
default-deny network policies under which only the gateway reaches a service; secrets read from
the cluster and none committed; production images pinned to each deployable's own version."""

from __future__ import annotations

from typing import Any

import pytest

from deploy_harness import OVERLAYS, deployables, of_kind, released_version, rendered, runner_services

Resource = dict[str, Any]


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    assert set(selector) <= {"matchLabels"}, f"only matchLabels selectors are evaluated here: {selector}"
    return all(labels.get(key) == value for key, value in selector.get("matchLabels", {}).items())


def _pod_labels(deployment: Resource) -> dict[str, str]:
    labels: dict[str, str] = deployment["spec"]["template"]["metadata"]["labels"]
    return labels


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("name", sorted(runner_services()))
def test_each_deployable_has_its_objects_and_they_find_its_pods(overlay: str, name: str) -> None:
    _, port = runner_services()[name]
    resources = rendered(overlay)
    deployment = of_kind(resources, "Deployment")[name]
    pods = _pod_labels(deployment)
    assert _selects(deployment["spec"]["selector"], pods)
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    (container,) = pod["containers"]
    assert container["ports"] == [{"name": "http", "containerPort": port}]
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    service = of_kind(resources, "Service")[name]
    assert service["spec"]["selector"].items() <= pods.items()
    assert service["spec"]["ports"] == [{"name": "http", "port": port, "targetPort": "http"}]
    hpa = of_kind(resources, "HorizontalPodAutoscaler")[name]
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
    assert 1 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    assert "replicas" not in deployment["spec"]  # the autoscaler owns the count; apply must not reset it
    pdb = of_kind(resources, "PodDisruptionBudget")[name]
    assert _selects(pdb["spec"]["selector"], pods)


def _policies_for(resources: list[Resource], labels: dict[str, str], direction: str) -> list[Resource]:
    return [
        p
        for p in of_kind(resources, "NetworkPolicy").values()
        if direction in p["spec"]["policyTypes"] and _selects(p["spec"]["podSelector"], labels)
    ]


def _numbered(port: int | str, container_port: int) -> int:
    return container_port if port == "http" else int(port)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_only_the_gateway_reaches_a_service(overlay: str) -> None:
    resources = rendered(overlay)
    deployments = of_kind(resources, "Deployment")
    deny = of_kind(resources, "NetworkPolicy")["default-deny"]["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    gateway = _pod_labels(deployments["gateway"])
    gateway_egress = [
        rule for p in _policies_for(resources, gateway, "Egress") for rule in p["spec"].get("egress", [])
    ]
    for name in runner_services():
        if name == "gateway":
            continue
        pods, port = _pod_labels(deployments[name]), runner_services()[name][1]
        rules = [
            rule for p in _policies_for(resources, pods, "Ingress") for rule in p["spec"].get("ingress", [])
        ]
        assert rules, f"{name}: no ingress at all (the gateway could not reach it)"
        for rule in rules:
            peers = rule.get("from", [])
            assert peers, f"{name}: an ingress rule open to every source"
            for peer in peers:
                assert set(peer) == {"podSelector"}, f"{name}: a peer outside this namespace's pods: {peer}"
                assert _selects(peer["podSelector"], gateway), f"{name}: reachable from {peer}"
        reached = [
            rule
            for rule in gateway_egress
            if any(
                "podSelector" in peer and _selects(peer["podSelector"], pods) for peer in rule.get("to", [])
            )
            and port in {_numbered(p["port"], port) for p in rule["ports"]}
        ]
        assert reached, f"the gateway's egress does not reach {name} on {port}"


def _env(deployment: Resource) -> list[dict[str, Any]]:
    env: list[dict[str, Any]] = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
    return env


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_come_from_the_cluster_each_service_its_own(overlay: str) -> None:
    resources = rendered(overlay)
    assert of_kind(resources, "Secret") == {}
    for name, deployment in of_kind(resources, "Deployment").items():
        refs = [e["valueFrom"]["secretKeyRef"] for e in _env(deployment) if "valueFrom" in e]
        assert {ref["name"] for ref in refs} == {name}
        assert not [e for e in _env(deployment) if "value" in e and "SECRET" in e["name"].upper()]
        by_variable = {e["name"] for e in _env(deployment) if "valueFrom" in e}
        assert "QINGCHUN_AMQP_URL" in by_variable
        assert ("QINGCHUN_MONGO_URL" in by_variable) is (name != "gateway")  # the gateway has no database


def test_production_pins_each_image_to_its_released_version() -> None:
    deployments = of_kind(rendered("overlays/production"), "Deployment")
    for name, built in deployables().items():
        image = deployments[name]["spec"]["template"]["spec"]["containers"][0]["image"]
        repository, _, tag = image.rpartition(":")
        assert repository.endswith(f"/{name}")
        assert tag == released_version(built.source), f"{name}: production runs {tag}"
