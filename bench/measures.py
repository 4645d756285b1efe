"""Small statistics helpers for the benchmark."""

from __future__ import annotations


def percentiles(timings_ms: list[float]) -> dict[str, float]:
    """p50/p95/p99 (nearest rank) and the mean of a list of milliseconds."""
    ordered = sorted(timings_ms)
    if not ordered:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "mean": 0.0, "n": 0}

    def rank(p: float) -> float:
        index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[index]

    return {
        "p50": rank(50),
        "p95": rank(95),
        "p99": rank(99),
        "mean": sum(ordered) / len(ordered),
        "n": len(ordered),
    }
