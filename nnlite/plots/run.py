"""A run's plots (matplotlib, imported only when drawing): learning curves, the
decision boundary of a 2-D classifier, the fitted curve of a 1-D regression, and the
hidden units of a 1-H-1 ReLU network."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import numpy as np

from nnlite.data import Dataset
from nnlite.nn.activations import ReLU
from nnlite.nn.linear import Linear
from nnlite.plots.figure import fixed_margins, new_figure, plain_log_labels, save


def learning_curves(path: Path, history: list[dict[str, float]], title: str) -> None:
    """Loss (and accuracy or R^2) per epoch for every split."""
    epochs = [row["epoch"] for row in history]
    second = next((m for m in ("accuracy", "r2") if f"train_{m}" in history[0]), None)
    panels = 2 if second else 1
    fig, axes = new_figure(1, panels, figsize=(5 * panels, 3.6), squeeze=False)
    for ax, metric in zip(axes[0], ["loss", second]):
        for split in ("train", "val", "test"):
            key = f"{split}_{metric}"
            if key in history[0]:
                ax.plot(epochs, [row.get(key, np.nan) for row in history], label=split)
        ax.set_xlabel("epoch")
        ax.set_ylabel(metric)
        if metric == "loss":
            ax.set_yscale("log")
            plain_log_labels(ax.yaxis)
        ax.legend()
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fixed_margins(fig)
    save(fig, path, tight=False)


def decision_boundary(path: Path, predict: Any, x: np.ndarray, y: np.ndarray, title: str,
                      val: Dataset | None = None, classes: Any = None) -> None:
    """The predicted class over a grid around the 2-D points, with the points on top:
    training points as circles, validation points (if any) as triangles, one legend
    entry per class (`classes`: the label of each class index)."""
    pad = 0.5
    everything = x if val is None else np.vstack([x, val.x])
    (x0, y0), (x1, y1) = everything.min(axis=0) - pad, everything.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    labels = predict(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    fig, ax = new_figure(figsize=(4.8, 4.2))
    levels = np.arange(labels.max() + 2) - 0.5  # one colour band per class
    ax.contourf(gx, gy, labels, alpha=0.3, cmap="coolwarm", levels=levels)
    import matplotlib

    k = int(max(labels.max(), y.max())) + 1
    colours = matplotlib.colormaps["coolwarm"](np.linspace(0, 1, max(k, 2)))
    names = list(classes) if classes is not None else list(range(k))
    for c in range(k):
        ax.scatter(*x[y == c].T, color=colours[c], edgecolors="k", s=25, marker="o",
                   label=f"class {names[c]}")
        if val is not None and len(val):
            ax.scatter(*val.x[val.y == c].T, color=colours[c], edgecolors="k", s=30,
                       marker="^")
    if val is not None and len(val):  # marker shapes: which split a point belongs to
        ax.scatter([], [], color="white", edgecolors="k", marker="o", label="train")
        ax.scatter([], [], color="white", edgecolors="k", marker="^", label="validation")
    ax.legend(fontsize=7, loc="best", framealpha=0.8)
    ax.set_xlabel("x1 (feature 1)")
    ax.set_ylabel("x2 (feature 2)")
    ax.set_title(title, fontsize=9)
    fixed_margins(fig, left=0.7, bottom=0.55, top=0.35)
    save(fig, path, tight=False)


def fitted_curve(path: Path, predict: Any, x: np.ndarray, y: np.ndarray, title: str,
                 val: Dataset | None = None) -> None:
    """The model's curve over the input range, with the training points (grey circles)
    and the validation points (triangles), if any."""
    grid = np.linspace(x.min(), x.max(), 400)[:, None]
    fig, ax = new_figure(figsize=(5.5, 3.6))
    ax.scatter(x[:, 0], y[:, 0], s=10, color="gray", label="train")
    if val is not None and len(val):
        ax.scatter(val.x[:, 0], val.y[:, 0], s=14, color="C0", marker="^", label="validation")
    ax.plot(grid[:, 0], predict(grid)[:, 0], color="C3", label="model")
    ax.legend(fontsize=8)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(title, fontsize=9)
    fixed_margins(fig, left=0.6, bottom=0.5, top=0.35)
    save(fig, path, tight=False)


def relu_units(path: Path, snapshots: list, x: np.ndarray, y: np.ndarray, title: str) -> None:
    """For a 1-H-1 ReLU network, one panel per snapshot (epoch, [(W1, b1), (W2, b2)]):
    each hidden unit's contribution w2_j * relu(w1_j x + b1_j) (thin), its elbow at
    x = -b1_j / w1_j (ticks on the axis), and their sum plus b2 (the model, thick)."""
    grid = np.linspace(x.min(), x.max(), 400)
    fig, axes = new_figure(1, len(snapshots), figsize=(3.4 * len(snapshots), 3.2),
                             sharey=True, squeeze=False)
    for ax, (epoch, ((weight1, bias1), (weight2, bias2))) in zip(axes[0], snapshots):
        w1, b1 = weight1[0].astype(float), bias1.astype(float)
        w2, b2 = weight2[:, 0].astype(float), float(bias2[0])
        units = np.maximum(np.outer(grid, w1) + b1, 0.0) * w2  # (grid, hidden)
        ax.scatter(x[:, 0], y[:, 0], s=6, color="lightgray")
        ax.plot(grid, units, linewidth=0.8, alpha=0.7)
        ax.plot(grid, units.sum(axis=1) + b2, color="k", linewidth=2)
        with np.errstate(divide="ignore"):
            elbows = -b1 / w1
        inside = elbows[(elbows >= grid[0]) & (elbows <= grid[-1])]
        ax.plot(inside, np.full_like(inside, y.min() - 0.15), "|", color="C3", markersize=10)
        ax.set_title(f"epoch {epoch}: {len(inside)} elbows in range", fontsize=9)
        ax.grid(alpha=0.3)
    fig.suptitle(title, y=1.04)
    save(fig, path)


def _is_one_hidden_relu(model: Any) -> bool:
    layers = list(model) if hasattr(model, "__iter__") else []
    return (len(layers) == 3 and isinstance(layers[0], Linear) and isinstance(layers[1], ReLU)
            and isinstance(layers[2], Linear) and layers[0].in_features == 1
            and layers[2].out_features == 1)


def job_title(out_dir: Path, title: str) -> str:
    """A sweep job's plots say which job they are: "xor  job 3: seed=2, init=zeros"."""
    import yaml

    overrides = out_dir / ".hydra" / "overrides.yaml"
    if not (out_dir.name.isdigit() and overrides.is_file()):
        return title
    items = [o.lstrip("+~") for o in yaml.safe_load(overrides.read_text()) or []]
    shown = [o for o in items if not o.startswith(("experiment=", "hydra", "logger"))]
    return f"{title}  job {out_dir.name}: {', '.join(shown)}" if shown else title


def plot_run(out_dir: Path, history: list[dict[str, float]], model: Any, train: Dataset,
             title: str, snapshots: list, labels_of: Callable[[np.ndarray], np.ndarray],
             val: Dataset | None = None) -> None:
    """Every plot that fits the run's task, into out_dir. `labels_of(outputs)` turns the
    model's outputs into class labels; `snapshots` feeds `relu_units`; `val`, the
    validation split, is drawn beside the training points."""
    if not history:
        return
    out_dir = Path(out_dir)
    title = job_title(out_dir, title)
    learning_curves(out_dir / "learning_curves.png", history, title)
    model = model.eval()
    if train.task != "regression" and train.n_features == 2:
        decision_boundary(out_dir / "decision_boundary.png",
                          lambda p: labels_of(model.forward(p)), train.x, train.y, title,
                          val=val, classes=train.classes)
    elif train.task == "regression" and train.n_features == 1:
        fitted_curve(out_dir / "fitted_curve.png", model.forward, train.x, train.y, title,
                     val=val)
        if snapshots and _is_one_hidden_relu(model):
            relu_units(out_dir / "relu_units.png", snapshots, train.x, train.y, title)
