"""What both matching benchmarks measure with: overlapping spans, percentiles, a result row and
a process's memory."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any


def covered(spans: list[tuple[float, float]]) -> float:
    """Wall time covered by possibly overlapping spans (calls run together count once)."""
    total, reached = 0.0, float("-inf")
    for start, end in sorted(spans):
        if end > reached:
            total += end - max(start, reached)
            reached = end
    return total


def rss_kb(pid: int | str = "self") -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            fields[line.split(":")[0]] = int(line.split()[1])
    return fields


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summary(
    label: str, times: list[float], stages: list[dict[str, float]], counts: list[int]
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "path": label,
        "runs": len(times),
        "p50_ms": percentile(times, 0.5) * 1000,
        "p95_ms": percentile(times, 0.95) * 1000,
        "max_ms": max(times) * 1000,
        "candidates_p50": statistics.median(counts) if counts else None,
        "candidates_max": max(counts) if counts else None,
    }
    for stage in ("candidates", "lookups", "scoring"):
        row[f"{stage}_ms_mean"] = statistics.mean(s[stage] for s in stages) * 1000 if stages else None
    return row
