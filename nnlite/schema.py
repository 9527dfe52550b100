"""Structured-config schemas (OmegaConf dataclasses) for `python -m nnlite`.

Hydra merges every YAML onto these, so a misspelt key, a wrong type or a missing
group option is refused before any work starts. Value checks that types cannot
express (lr > 0, 0 <= dropout < 1, names that exist in the registry) are in `validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


@dataclass
class DataConfig:
    name: str = "xor"                       # a registered dataset (nnlite_datasets)
    n_samples: Optional[int] = None         # None: the dataset's own default
    noise: Optional[float] = None           # None: the dataset's own default
    val_fraction: float = 0.0               # held out for validation metrics / early stopping
    test_fraction: float = 0.0
    standardize: bool = False               # zero mean, unit variance from the train split
    params: Dict[str, Any] = field(default_factory=dict)  # the dataset's other keyword arguments


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
    early_stopping: EarlyStoppingConfig = field(default_factory=EarlyStoppingConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)


@dataclass
class ReportConfig:
    """What a sweep summary shows (nnlite.report); metric names are summary.json paths."""

    metrics: List[str] = field(default_factory=lambda: [
        "final.train_loss", "final.train_accuracy", "final.val_loss", "final.val_accuracy",
        "final.train_r2", "final.val_r2"])
    success_metric: Optional[str] = None      # e.g. final.train_accuracy
    success_threshold: Optional[float] = None  # success: metric >= threshold (<= for losses)
    plot_metrics: List[str] = field(default_factory=list)  # default: the main accuracy/loss
    plot_grad_norms: bool = False             # per-layer gradient norms at initialisation
    grad_norm_panels: Optional[str] = None    # one panel per value of this axis
    grad_norm_only: Dict[str, Any] = field(default_factory=dict)  # e.g. {init: xavier_normal}


@dataclass
class Config:
    name: str = "default"                   # the experiment's name: runs/<name>/...
    seed: int = 0
    plugins: List[str] = field(default_factory=list)  # modules or .py files to load first
    loss: str = "auto"                      # auto: from the task; or a registered loss
    plots: bool = True                      # PNGs in the run folder (matplotlib: ~0.4 s a run)
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    trainer: TrainerConfig = field(default_factory=TrainerConfig)
    report: ReportConfig = field(default_factory=ReportConfig)


class ConfigError(ValueError):
    """A user mistake in the config: the message names the key and what is allowed."""


def register_configs() -> None:
    """Put the schema in Hydra's ConfigStore (config.yaml's defaults start with it)."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="nnlite_schema", node=Config)


def strict_merge(cfg: Any) -> Any:
    """Re-merge into the schema: catches `+optimizer.lrr=0.1`, which struct mode lets in."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    container = OmegaConf.to_container(cfg, resolve=True)
    container.pop("hydra", None)
    try:
        return OmegaConf.merge(OmegaConf.structured(Config), container)
    except OmegaConfBaseException as err:
        first_line = str(err).split("\n")[0]
        raise ConfigError(f"{first_line} (key: {getattr(err, 'full_key', '?')})") from None


def _check(condition: bool, key: str, value: Any, allowed: str) -> None:
    if not condition:
        raise ConfigError(f"{key}={value!r} is not allowed: {allowed}")


def _check_name(kind: str, key: str, name: Any) -> None:
    """The name must be registered; the registry's message lists the known ones."""
    import nnlite as nl

    try:
        nl.registry.entry(kind, name)
    except ValueError as err:
        raise ConfigError(f"{key}={name!r}: {err}") from None


def validate(config: dict[str, Any]) -> None:
    """Value checks beyond types; plugins must already be loaded (their names count)."""
    import inspect

    import nnlite as nl

    data, model, trainer = config["data"], config["model"], config["trainer"]
    opt = config["optimizer"]
    _check_name("datasets", "data.name", data["name"])
    _check(0 <= data["val_fraction"] < 1, "data.val_fraction", data["val_fraction"], "in [0, 1)")
    _check(0 <= data["test_fraction"] < 1, "data.test_fraction", data["test_fraction"], "in [0, 1)")
    _check(data["n_samples"] is None or data["n_samples"] > 0, "data.n_samples", data["n_samples"],
           "a positive integer or null")
    _check(all(h > 0 for h in model["hidden"]), "model.hidden", model["hidden"],
           "positive layer widths")
    _check(model["depth"] is None or model["depth"] >= 0, "model.depth", model["depth"],
           "a number of hidden layers >= 0, or null to use model.hidden")
    _check(model["width"] > 0, "model.width", model["width"], "a positive layer width")
    for key in ("activation", "output_activation"):
        if model[key] is not None:
            _check_name("activations", f"model.{key}", model[key])
    for key in ("weight_init", "bias_init"):
        _check_name("initializers", f"model.{key}", model[key])
    for i, spec in enumerate(model["layers"] or []):
        kind = spec.get("type")
        known = nl.registry.names("layers") + nl.registry.names("activations")
        _check(kind in known, f"model.layers[{i}].type", kind,
               f"a registered layer or activation: {', '.join(sorted(known))}")
    _check(0 <= model["dropout"] < 1, "model.dropout", model["dropout"], "a probability in [0, 1)")
    _check(model["dtype"] in ("float32", "float64"), "model.dtype", model["dtype"],
           "float32 or float64")
    _check_name("optimizers", "optimizer.name", opt["name"])
    _check(opt["lr"] > 0, "optimizer.lr", opt["lr"], "a learning rate > 0")
    if config["loss"] != "auto":
        _check_name("losses", "loss", config["loss"])
    _check(config["seed"] >= 0, "seed", config["seed"], "an integer >= 0")
    _check(trainer["epochs"] >= 1, "trainer.epochs", trainer["epochs"], "at least 1")
    _check(trainer["clip_grad_norm"] is None or trainer["clip_grad_norm"] > 0,
           "trainer.clip_grad_norm", trainer["clip_grad_norm"], "a norm > 0, or null (no clipping)")
    stopping = trainer["early_stopping"]
    _check(stopping["monitor"] is None or stopping["patience"] >= 1,
           "trainer.early_stopping.patience", stopping["patience"],
           f"at least 1 epoch when early_stopping.monitor is set ({stopping['monitor']})")
    _check(stopping["min_delta"] >= 0, "trainer.early_stopping.min_delta",
           stopping["min_delta"], "an improvement >= 0")
    _check(trainer["batch_size"] is None or trainer["batch_size"] >= 1, "trainer.batch_size",
           trainer["batch_size"], "a positive integer or null (full batch)")
    if trainer["schedule"]["name"] is not None:
        _check_name("schedules", "trainer.schedule.name", trainer["schedule"]["name"])
    from nnlite.train import optimizer_kwargs

    factory = nl.registry.get("optimizers", opt["name"])
    accepted = inspect.signature(factory).parameters
    if not any(p.kind == p.VAR_KEYWORD for p in accepted.values()):
        for key in optimizer_kwargs(opt):
            source = f"optimizer.params.{key}" if key in opt["params"] else f"optimizer.{key}"
            _check(key in accepted, source, opt["params"].get(key, opt.get(key)),
                   f"optimizer {opt['name']!r} takes "
                   f"{', '.join(k for k in accepted if k != 'params')}")
