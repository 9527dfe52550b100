"""The config of a run, as typed dataclasses: every key, its type and its default.

Hydra merges the YAML files of configs/ onto `Config` (OmegaConf structured configs),
so a misspelt key, a wrong type or a missing group option is refused before any work
starts. Checks that types cannot express are in `nnlite.runs.config.checks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Dict, List, Optional

# Which way an objective is better (report.direction); null follows the metric.
DIRECTIONS = ("minimize", "maximize")

# What a sweep summary shows unless `report.metrics` says otherwise (summary.json paths).
DEFAULT_REPORT_METRICS = ("final.train_loss", "final.train_accuracy", "final.val_loss",
                          "final.val_accuracy", "final.train_r2", "final.val_r2")


def _field_names(section: Any) -> list[str]:
    return [f.name for f in fields(section)]


@dataclass
class DataConfig:
    name: str = "xor"                       # a registered dataset (nnlite_datasets)
    n_samples: Optional[int] = None         # None: the dataset's own default
    noise: Optional[float] = None           # None: the dataset's own default
    val_fraction: float = 0.0               # held out for validation metrics / early stopping
    test_fraction: float = 0.0
    standardize: bool = False               # zero mean, unit variance from the train split
    params: Dict[str, Any] = field(default_factory=dict)  # the dataset's other keyword arguments

    def dataset_kwargs(self, seed: int) -> dict[str, Any]:
        """The dataset factory's keyword arguments: the seed, `params`, and n_samples and
        noise where set (unset: the dataset's own defaults)."""
        kwargs = {"seed": seed, **self.params}
        for key in ("n_samples", "noise"):
            if getattr(self, key) is not None:
                kwargs[key] = getattr(self, key)
        return kwargs

    def split_names(self) -> list[str]:
        """The splits a run has: train, and val and test where their fractions are set."""
        return ["train", *(["val"] if self.val_fraction > 0 else []),
                *(["test"] if self.test_fraction > 0 else [])]


@dataclass
class ModelConfig:
    hidden: List[int] = field(default_factory=lambda: [8])  # hidden layer widths
    depth: Optional[int] = None             # if set: `depth` hidden layers of `width` (sweepable)
    width: int = 32
    activation: str = "relu"                # a registered activation
    output_activation: Optional[str] = None  # none: the losses take logits
    weight_init: str = "he_normal"          # a registered initializer
    weight_init_params: Dict[str, Any] = field(default_factory=dict)  # e.g. {std: 0.01}
    bias_init: str = "zeros"
    bias_init_params: Dict[str, Any] = field(default_factory=dict)
    dropout: float = 0.0                    # inverted dropout after each hidden activation
    residual: bool = False                  # x + block(x) where widths allow
    dtype: str = "float32"
    # Instead of hidden/activation: an explicit list of layers, each {type: <layer or
    # activation name>, ...its keyword arguments}; widths are filled in (see nl.models).
    layers: Optional[List[Dict[str, Any]]] = None

    def hidden_sizes(self) -> list[int]:
        """The hidden layer widths: `depth` layers of `width` when depth is set, else `hidden`."""
        return list(self.hidden) if self.depth is None else [self.width] * self.depth


@dataclass
class OptimizerConfig:
    name: str = "sgd"                       # a registered optimizer
    lr: float = 0.1
    # The built-in optimizers' own arguments; null means "the optimizer's default".
    momentum: Optional[float] = None
    dampening: Optional[float] = None
    nesterov: Optional[bool] = None
    weight_decay: Optional[float] = None
    betas: Optional[List[float]] = None
    eps: Optional[float] = None
    amsgrad: Optional[bool] = None
    alpha: Optional[float] = None
    centered: Optional[bool] = None
    lr_decay: Optional[float] = None
    initial_accumulator_value: Optional[float] = None
    params: Dict[str, Any] = field(default_factory=dict)  # a plugin optimizer's arguments

    def kwargs(self) -> dict[str, Any]:
        """The optimizer's keyword arguments: every set (non-null) key but `name`, plus
        `params` (a plugin optimizer's own)."""
        chosen = {f: getattr(self, f) for f in _field_names(self) if f not in ("name", "params")}
        kwargs = {k: v for k, v in chosen.items() if v is not None}
        kwargs.update(self.params)
        if "betas" in kwargs:
            kwargs["betas"] = tuple(kwargs["betas"])
        return kwargs


@dataclass
class EarlyStoppingConfig:
    monitor: Optional[str] = None           # e.g. val_loss; null: off
    patience: int = 0                       # epochs without improvement before stopping
    min_delta: float = 0.0


@dataclass
class ScheduleConfig:
    name: Optional[str] = None              # step | exponential | cosine | a plugin's; null: none
    params: Dict[str, Any] = field(default_factory=dict)  # e.g. {step_size: 50, gamma: 0.5}


@dataclass
class TrainerConfig:
    epochs: int = 100
    batch_size: Optional[int] = None        # None: the whole training set each step
    progress: bool = True                   # tqdm bar (only when stderr is a terminal)
    diagnostics: bool = True                # activation statistics per epoch
    clip_grad_norm: Optional[float] = None
    target_metric: Optional[str] = None     # stop once this metric reaches target_value
    target_value: Optional[float] = None
    # Keep the weights after these epochs (0: the initial ones), e.g. for relu_units.png.
    snapshot_epochs: List[int] = field(default_factory=list)
    # checkpoint.npz (for resume=<run dir>) at an epoch end once this many seconds have
    # passed since the last one, and when the run ends; 0: after every epoch
    checkpoint_every_s: float = 2.0
    early_stopping: EarlyStoppingConfig = field(default_factory=EarlyStoppingConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    # BLAS threads; None: 1 for small networks, else all cores (cores / workers in parallel)
    threads: Optional[int] = None


@dataclass
class ReportConfig:
    """What a sweep summary shows (nnlite.report); metric names are summary.json paths."""

    metrics: List[str] = field(default_factory=lambda: list(DEFAULT_REPORT_METRICS))
    success_metric: Optional[str] = None      # e.g. final.train_accuracy
    success_threshold: Optional[float] = None  # success: metric >= threshold (<= for losses)
    plot_metrics: List[str] = field(default_factory=list)  # default: the main accuracy/loss
    plot_grad_norms: bool = False             # per-layer gradient norms at initialisation
    grad_norm_panels: Optional[str] = None    # one panel per value of this axis
    grad_norm_only: Dict[str, Any] = field(default_factory=dict)  # e.g. {init: xavier_normal}
    # What sweepers optimise and what ranks runs (runs/results/objective.py): a summary.json path;
    # null: final.val_loss where there is a validation split, else final.train_loss.
    objective: Optional[str] = None
    direction: Optional[str] = None           # minimize | maximize; null: from the metric


@dataclass
class Config:
    name: str = "default"                   # the experiment's name: runs/<name>/...
    seed: int = 0
    plugins: List[str] = field(default_factory=list)  # modules or .py files to load first
    loss: str = "auto"                      # auto: from the task; or a registered loss
    plots: Optional[bool] = None            # PNGs per run; None: yes, but not per job of -m
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    trainer: TrainerConfig = field(default_factory=TrainerConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    # Loggers by name (configs/logger/): {tensorboard: {...}, mlflow: {...}, jsonl: {...}}
    logger: Dict[str, Any] = field(default_factory=dict)

