"""`logger=tensorboard`: TensorBoard event files in <run dir>/tensorboard/ (tensorboardX).

Every epoch's metrics are scalars, tagged by kind ("loss/train", "loss/val",
"accuracy/train", "lr", ...), so TensorBoard draws train and validation on one chart.
A sweep's job also writes its swept values (its overrides) as hparams with its final
metrics, so `tensorboard --logdir <sweep folder>` compares the jobs in the HParams view.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

SPLITS = ("train_", "val_", "test_")


def tag(name: str) -> str:
    """A metric's TensorBoard tag: train_loss -> loss/train; others as they are."""
    for split in SPLITS:
        if name.startswith(split):
            return f"{name[len(split):]}/{split[:-1]}"
    return name.replace(".", "/")


def swept_values(out_dir: Path) -> dict[str, Any]:
    """A sweep job's overrides (key -> value, the experiment left out), or {} for a single
    run: a job folder is numbered and holds Hydra's record."""
    overrides = out_dir / ".hydra" / "overrides.yaml"
    if not (out_dir.name.isdigit() and overrides.is_file()):
        return {}
    values = {}
    for item in yaml.safe_load(overrides.read_text()) or []:
        key, _, value = item.lstrip("+~").partition("=")
        if key != "experiment" and not key.startswith(("logger", "hydra")):
            values[key] = _scalar(value)  # what the job varies, not where it logs
    return values


def _scalar(text: str) -> Any:
    """hparams take numbers, booleans and strings."""
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


class TensorBoardLogger:
    def __init__(self, run: Any, flush_secs: int = 5) -> None:
        from tensorboardX import SummaryWriter

        self.out_dir = Path(run.out_dir)
        self.writer = SummaryWriter(str(self.out_dir / "tensorboard"), flush_secs=flush_secs)

    def epoch(self, epoch: int, metrics: dict[str, float]) -> None:
        for name, value in metrics.items():
            if name != "epoch" and math.isfinite(float(value)):
                self.writer.add_scalar(tag(name), float(value), epoch)

    def end(self, summary: dict[str, Any]) -> None:
        hparams = swept_values(self.out_dir)
        if hparams:
            final = {f"hparam/{k}": float(v) for k, v in (summary.get("final") or {}).items()
                     if isinstance(v, (int, float)) and math.isfinite(v)}
            self.writer.add_hparams(hparams, final, name="hparams")
        self.writer.close()
