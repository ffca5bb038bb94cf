"""The Grafana dashboard in deploy/ reads only figures the services expose, by labels they carry: a
renamed metric or label fails here rather than as an empty panel in production."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client.metrics import MetricWrapperBase

from qingchun_plumbing import metrics

DASHBOARD = Path(__file__).parents[1] / "deploy" / "grafana" / "qingchun.json"
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


def exposed() -> dict[str, set[str]]:
    """Every series name plumbing's metrics produce, with its labels."""
    series: dict[str, set[str]] = {}
    for value in vars(metrics).values():
        if isinstance(value, MetricWrapperBase):
            labels = set(value._labelnames)
            for family in value.describe():
                for suffix in SUFFIXES[family.type]:
                    series[family.name + suffix] = labels | ({"le"} if suffix == "_bucket" else set())
    return series


def test_every_panel_queries_exposed_series_by_their_labels() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    series = exposed()
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    assert len(exprs) >= 10
    for expr in exprs:
        names = re.findall(r"\bqingchun_\w+", expr)
        assert names, expr
        for name in names:
            assert name in series, f"{name} is not exposed (in {expr})"
            used = set(re.findall(r"(\w+)=~?\"", expr)) | {
                label.strip() for group in re.findall(r"by \(([^)]*)\)", expr) for label in group.split(",")
            }
            assert used <= series[name], f"{expr} uses labels {used - series[name]} that {name} lacks"
