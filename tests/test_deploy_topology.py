"""The two ways to run Qingchun describe the same topology: every service the local runner starts
is in docker-compose and the other way round, built from the one recipe with the same port and
its own version, behind the development token issuer; and no image gets dev tools."""

from __future__ import annotations

import pytest

from deploy_harness import RECIPE, ROOT, compose, deployables, released_version, runner_services


def test_compose_builds_exactly_the_runners_services() -> None:
    assert sorted(deployables()) == sorted(runner_services())


@pytest.mark.parametrize("name", sorted(runner_services()))
def test_every_runner_service_is_in_compose_with_its_port_and_version(name: str) -> None:
    _, port = runner_services()[name]
    built = deployables().get(name)
    assert built is not None, f"{name} is missing from docker-compose.yml"
    assert (ROOT / built.source / "pyproject.toml").exists(), built.source
    assert built.port == port
    assert built.version == released_version(built.source)
    assert built.image == f"qingchun-{name}:{built.version}"
    service = compose()["services"][name]
    assert f"127.0.0.1:{port}:{port}" in service["ports"]
    assert service["environment"]["QINGCHUN_MONGO_URL"].startswith("mongodb://mongo:27017/")


@pytest.mark.parametrize("name", sorted(runner_services()))
def test_every_service_waits_for_its_dependencies_and_trusts_the_dev_issuer(name: str) -> None:
    services = compose()["services"]
    service = services[name]
    conditions = {dep: spec["condition"] for dep, spec in service["depends_on"].items()}
    assert conditions["token-issuer"] == "service_completed_successfully"
    if name == "gateway":  # it is ready only when every service is
        assert {conditions[other] for other in runner_services() if other != name} == {"service_healthy"}
    else:
        assert (conditions["mongo"], conditions["rabbitmq"]) == ("service_healthy", "service_healthy")
    key = service["environment"]["QINGCHUN_JWT_PUBLIC_KEY_FILE"]
    mounts = [volume.split(":") for volume in service["volumes"]]
    assert any(key.startswith(target + "/") and mode == "ro" for _, target, mode in mounts)
    issuer_volume = services["token-issuer"]["volumes"][0].split(":")
    assert [source for source, target, _ in mounts if key.startswith(target + "/")] == [issuer_volume[0]]
    assert issuer_volume[1] == next(target for _, target, _ in mounts if key.startswith(target + "/"))


def test_the_store_is_a_replica_set_and_the_broker_has_its_plugins() -> None:
    services = compose()["services"]
    assert services["mongo"]["image"].split(":")[1] >= "7"
    assert "--replSet" in services["mongo"]["command"]
    assert "rs.initiate" in " ".join(services["mongo"]["healthcheck"]["test"])
    plugin_mount = next(
        v for v in services["rabbitmq"]["volumes"] if v.endswith(":/etc/rabbitmq/enabled_plugins:ro")
    )
    plugins = (ROOT / plugin_mount.split(":")[0]).read_text(encoding="utf-8")
    assert {"rabbitmq_management", "rabbitmq_prometheus"} <= set(plugins.strip(" .\n[]").split(","))


def test_images_install_neither_dev_tools_nor_secantus() -> None:
    lines = (ROOT / RECIPE).read_text(encoding="utf-8").splitlines()
    instructions = [line for line in lines if not line.lstrip().startswith("#")]
    syncs = [line for line in instructions if "uv sync" in line]
    assert syncs
    assert all("--no-dev" in line and "--frozen" in line for line in syncs)
    assert not [line for line in instructions if "secantus" in line.lower()]
