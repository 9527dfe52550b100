"""What a task (binary, multiclass, regression) means for a config: the loss that
`loss: auto` stands for, the losses that fit it, and the metrics a run of it reports
(the names `trainer.target_metric` and `trainer.early_stopping.monitor` may use).

One rule each, read by the checks, training, prediction and the explainer alike.
"""

from __future__ import annotations

# Losses whose model outputs are logits: a binary logit means class 1 above 0.
LOGIT_LOSSES = ("bce_with_logits", "cross_entropy")
# loss=auto: each task's usual loss.
AUTO_LOSS = {"binary": "bce_with_logits", "multiclass": "cross_entropy", "regression": "mse"}
# The tasks each classification loss fits.
CLASS_LOSSES = {"cross_entropy": ("binary", "multiclass"), "bce_with_logits": ("binary",)}
# An output activation that already does the loss's own squashing: the loss would apply
# it twice and train towards the wrong optimum.
DOUBLE_SQUASHING = {"cross_entropy": "softmax", "bce_with_logits": "sigmoid"}


def loss_name(setting: str, task: str) -> str:
    """The registered loss a run trains with: the config's `loss`, or for "auto" the
    task's usual one (the one rule for a loss's name: training, predicting, explaining)."""
    return AUTO_LOSS[task] if setting == "auto" else setting


def metric_names(task: str, splits: list[str]) -> list[str]:
    """The per-epoch metrics `evaluate` will report for these splits of a `task`: not
    the test split's (it is evaluated once, at the end, so nothing can select on it)."""
    kinds = ("loss", "mse", "r2") if task == "regression" else ("loss", "accuracy")
    return [f"{split}_{kind}" for split in splits if split != "test" for kind in kinds]
