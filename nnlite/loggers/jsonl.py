"""`logger=jsonl`: every epoch's metrics as a JSON line in <run dir>/metrics.jsonl.

{"event": "epoch", "epoch": 0, "train_loss": ..., ...} for each epoch, then
{"event": "end", "status": ..., "epochs": ...}; NaN and infinity are written as null.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any


def _number(value: Any) -> Any:
    value = float(value)
    return value if math.isfinite(value) else None


class JsonlLogger:
    def __init__(self, run: Any, filename: str = "metrics.jsonl") -> None:
        self.path = Path(run.out_dir) / filename
        self.path.write_text("")  # a fresh file for this run (appended to as it goes)

    def _append(self, record: dict[str, Any]) -> None:
        with open(self.path, "a") as f:
            f.write(json.dumps(record) + "\n")

    def epoch(self, epoch: int, metrics: dict[str, float]) -> None:
        self._append({"event": "epoch", **{k: _number(v) for k, v in metrics.items()}})

    def end(self, summary: dict[str, Any]) -> None:
        self._append({"event": "end", "status": summary["status"], "epochs": summary["epochs"]})
