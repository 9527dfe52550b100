"""Nested dicts as one flat dict with dotted keys, the way configs and summaries are
listed, logged and compared: {"optimizer": {"lr": 0.1}} -> {"optimizer.lr": 0.1}."""

from __future__ import annotations

from typing import Any


def flatten(value: Any, prefix: str = "", keep_empty: bool = False) -> dict[str, Any]:
    """Every leaf of `value` under its dotted path, below `prefix`. An empty dict is
    dropped, or kept as a leaf with `keep_empty` (to show a setting that is `{}`)."""
    if not isinstance(value, dict) or (keep_empty and not value):
        return {prefix: value}
    out: dict[str, Any] = {}
    for key, inner in value.items():
        out.update(flatten(inner, f"{prefix}.{key}" if prefix else str(key), keep_empty))
    return out
