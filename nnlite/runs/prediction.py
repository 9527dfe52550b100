"""Using a trained run's model: labels or values, class probabilities, a score.

`Predictor` is what `LoadedRun` (runs/folder/loading.py) uses for `predict`, `predict_proba`,
`score` and `outputs`. It applies the run's stored standardisation to raw inputs and
reads the model's outputs as the task says: binary models give one logit (or two with
cross-entropy), multiclass models one logit per class, regression models the values.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nnlite.data import Standardizer
from nnlite.nn.activations import log_softmax, softmax, stable_sigmoid
from nnlite.nn.module import Module, eval_mode
from nnlite.runs.metrics import binary_threshold
from nnlite.runs.run import Run


def _plain(value: Any) -> Any:
    """A label as plain Python, whole floats as ints (1.0 and 1 are the same class)."""
    value = value.item() if isinstance(value, np.generic) else value
    return int(value) if isinstance(value, float) and value.is_integer() else value


def model_meta(run: Run) -> dict[str, Any]:
    """What model.npz (and best.npz) hold beside the weights, under `__meta__`: how to
    rebuild the model, and how to read its outputs. The one writer of this fact: the run's
    files and `nl.run`'s result both take it from here, so they predict alike."""
    train = run.data["train"]
    return {"model": run.model_spec, "task": train.task, "n_classes": train.n_classes,
            "threshold": binary_threshold(run.loss_name),  # a binary output's class edge
            "classes": list(train.classes) if train.classes is not None else None,
            "standardizer": ({k: v.tolist() for k, v in run.standardizer.state().items()}
                             if run.standardizer is not None else None)}


class Predictor:
    """Prediction for an object with `model` (a Module) and `meta` (model.npz's __meta__:
    task, n_classes, standardizer, model spec and, for text labels, classes)."""

    model: Module
    meta: dict[str, Any]

    @property
    def task(self) -> str:
        """binary | multiclass | regression (what the run was trained on)."""
        return str(self.meta.get("task", "regression"))

    @property
    def n_features(self) -> int:
        """Input columns the model takes."""
        return int(self.meta["model"]["sizes"][0])

    @property
    def classes(self) -> np.ndarray | None:
        """The label of each class index (the file's own labels, e.g. text), or None for
        regression. Runs whose labels were already 0..k-1 give np.arange(k)."""
        if self.task == "regression":
            return None
        stored = self.meta.get("classes")
        return np.asarray(stored) if stored is not None else np.arange(
            int(self.meta.get("n_classes") or 2))

    def outputs(self, x: Any) -> np.ndarray:
        """The model's raw outputs (logits for classifiers) for raw inputs x: (N, D) ->
        (N, k); the stored standardisation is applied first, dropout is off."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim == 1:
            x = x.reshape(1, -1)
        if x.ndim != 2 or x.shape[1] != self.n_features:
            raise ValueError(f"inputs of shape {x.shape}: the model takes (N, "
                             f"{self.n_features}) arrays, one column per feature")
        state = self.meta.get("standardizer")
        if state is not None:
            x = Standardizer.from_state({k: np.asarray(v) for k, v in state.items()}).transform(x)
        with eval_mode(self.model):
            return self.model.forward(x)

    def predict_proba(self, x: Any) -> np.ndarray:
        """Class probabilities: (N, D) -> (N, n_classes), rows summing to 1 (column j is
        the probability of `classes[j]`). Only for classifiers."""
        if self.task == "regression":
            raise ValueError("predict_proba needs a classifier; this run is a regression "
                             "(use predict for its values)")
        out = np.asarray(self.outputs(x), dtype=np.float64)
        last = self.meta["model"].get("output_activation")
        if out.shape[1] == 1:  # one output for the positive class
            # a logit under the logit losses; a score trained towards the 0/1 labels
            # themselves (mse, a sigmoid output) is read as the probability, cut at 0.5
            score = last == "sigmoid" or self.meta.get("threshold", 0.0) != 0.0
            p = np.clip(out[:, 0], 0.0, 1.0) if score else stable_sigmoid(out[:, 0])
            return np.stack([1.0 - p, p], axis=1)
        if last == "softmax":
            return out / out.sum(axis=1, keepdims=True)
        return np.exp(log_softmax(out, axis=1)) if last == "log_softmax" else softmax(out, axis=1)

    def predict(self, x: Any) -> np.ndarray:
        """Labels for classifiers, (N, D) -> (N,) holding `classes` values; the predicted
        values for regression, (N, D) -> (N, k)."""
        if self.task == "regression":
            return self.outputs(x)
        index = self.predict_proba(x).argmax(axis=1)
        return self.classes[index]

    def class_indices(self, y: Any) -> np.ndarray:
        """Labels as in `classes` (text or numbers): (N,) -> (N,) indices 0..k-1."""
        y = np.asarray(y).reshape(-1)
        lookup = {str(_plain(c)): i for i, c in enumerate(self.classes)}
        keys = [str(_plain(v)) for v in y]
        unknown = sorted({k for k in keys if k not in lookup})
        if unknown:
            raise ValueError(f"labels {unknown[:5]} are not classes of this run; its classes "
                             f"are {[_plain(c) for c in self.classes]}")
        return np.array([lookup[k] for k in keys], dtype=np.int64)

    def evaluate(self, x: Any, y: Any, loss_name: str) -> dict[str, float]:
        """The run's metrics on (x, y): loss (the registered `loss_name`) and accuracy for
        classifiers (y: (N,) labels as in `classes`), loss, MSE and R^2 for regression."""
        from nnlite.data import Dataset
        from nnlite.plugins.factories import loss as make_loss
        from nnlite.runs.metrics import targets_for

        out = np.asarray(self.outputs(x), dtype=np.float64)
        if self.task == "regression":
            data = Dataset(np.zeros((len(out), 1)), np.asarray(y, dtype=np.float64), "regression")
        else:
            data = Dataset(np.zeros((len(out), 1)), self.class_indices(y), self.task,
                           n_classes=len(self.classes))
        metrics = {"n": float(len(out)), "loss": make_loss(loss_name)(out, targets_for(data,
                                                                                 loss_name))}
        if self.task == "regression":
            metrics["mse"] = float(np.mean((out - data.y) ** 2))
            metrics["r2"] = self.score(x, data.y)
        else:
            metrics["accuracy"] = float(np.mean(self.predict_proba(x).argmax(axis=1) == data.y))
        return metrics

    def score(self, x: Any, y: Any) -> float:
        """Accuracy for classifiers (y: labels as in `classes`); R^2 for regression
        (y: (N,) or (N, k) values; 1 - SSE / SST, each target about its own mean)."""
        y = np.asarray(y)
        if self.task != "regression":
            index = self.predict_proba(x).argmax(axis=1)
            return float(np.mean(index == self.class_indices(y)))
        pred = self.predict(x)
        y = y.reshape(pred.shape).astype(np.float64)
        sst = float(np.sum((y - y.mean(axis=0)) ** 2))
        return 1.0 - float(np.sum((pred - y) ** 2)) / sst if sst > 0 else float("nan")
