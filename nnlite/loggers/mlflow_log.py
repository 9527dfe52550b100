"""`logger=mlflow`: an MLflow run per nnlite run, through `mlflow.MlflowClient`.

Params are the flattened resolved config (optimizer.lr, model.hidden, ...), metrics are
logged per epoch (buffered, sent every few seconds and at the end), and at the end the
summary (summary.json) and the run folder's files go up as artifacts. A sweep is one
parent run (made when the sweep starts, by the Hydra callback in cli/callbacks.py) with
one child run per job. The default store is sqlite:///<working dir>/runs/mlflow.db, its
artifacts in runs/mlartifacts/.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from nnlite.nested import flatten

PARENT_FILE = ".mlflow_parent_run"  # in a sweep folder: the parent run's id
STATUS = {"completed": "FINISHED", "interrupted": "KILLED"}  # anything else: FAILED
FLUSH_EVERY_S = 5.0


def default_uri() -> str:
    return f"sqlite:///{(Path.cwd() / 'runs' / 'mlflow.db').resolve()}"


def client_and_experiment(tracking_uri: str | None, name: str) -> tuple[Any, str]:
    """The client for the store and the id of experiment `name` (made if new)."""
    from mlflow import MlflowClient

    uri = tracking_uri or default_uri()
    if tracking_uri is None:
        (Path.cwd() / "runs").mkdir(exist_ok=True)
    client = MlflowClient(tracking_uri=uri)
    found = client.get_experiment_by_name(name)
    if found is not None:
        return client, found.experiment_id
    # Artifacts next to an sqlite store (MLflow's default would be ./mlruns wherever the
    # command runs); a tracking server keeps its own.
    location = None
    if uri.startswith("sqlite:///"):
        location = (Path(uri.removeprefix("sqlite:///")).parent / "mlartifacts").resolve().as_uri()
    try:
        return client, client.create_experiment(name, artifact_location=location)
    except Exception:  # another job made it in the meantime
        return client, client.get_experiment_by_name(name).experiment_id


def start_parent(sweep_dir: Path, settings: dict[str, Any], experiment: str) -> None:
    """Make a sweep's parent run and leave its id in the sweep folder for the jobs."""
    client, experiment_id = client_and_experiment(settings.get("tracking_uri"),
                                                  settings.get("experiment") or experiment)
    run = client.create_run(experiment_id, run_name=f"{experiment} sweep {sweep_dir.name}",
                            tags={"nnlite.sweep_dir": str(sweep_dir)})
    sweep_dir.mkdir(parents=True, exist_ok=True)
    (sweep_dir / PARENT_FILE).write_text(run.info.run_id)


def end_parent(sweep_dir: Path, settings: dict[str, Any]) -> None:
    """Attach the sweep summary to the parent run and mark it finished."""
    marker = sweep_dir / PARENT_FILE
    if not marker.is_file():
        return
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=settings.get("tracking_uri") or default_uri())
    run_id = marker.read_text().strip()
    for name in ("summary.md", "summary.csv"):
        if (sweep_dir / name).is_file():
            client.log_artifact(run_id, str(sweep_dir / name))
    client.set_terminated(run_id, "FINISHED")


class MlflowLogger:
    def __init__(self, run: Any, tracking_uri: str | None = None, experiment: str | None = None,
                 log_artifacts: bool = True) -> None:
        from mlflow.entities import Param

        self.out_dir = Path(run.out_dir)
        self.log_files = log_artifacts
        name = experiment or run.config.name
        self.client, experiment_id = client_and_experiment(tracking_uri, name)
        tags = {"nnlite.run_dir": str(self.out_dir)}
        parent = self.out_dir.parent / PARENT_FILE
        if self.out_dir.name.isdigit() and parent.is_file():
            tags["mlflow.parentRunId"] = parent.read_text().strip()
        run_name = f"{name} {self.out_dir.name}" if self.out_dir.name.isdigit() else name
        self.run_id = self.client.create_run(experiment_id, run_name=run_name,
                                             tags=tags).info.run_id
        params = [Param(k, str(v)[:6000]) for k, v in flatten(
            {k: v for k, v in asdict(run.config).items() if k != "logger"}).items()]
        for i in range(0, len(params), 100):  # MLflow takes at most 100 params a call
            self.client.log_batch(self.run_id, params=params[i:i + 100])
        self.pending: list[Any] = []
        self.last_flush = time.monotonic()

    def flush(self) -> None:
        for i in range(0, len(self.pending), 1000):  # and at most 1,000 metrics
            self.client.log_batch(self.run_id, metrics=self.pending[i:i + 1000])
        self.pending = []
        self.last_flush = time.monotonic()

    def epoch(self, epoch: int, metrics: dict[str, float]) -> None:
        import math

        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        self.pending += [Metric(k, float(v), now, epoch) for k, v in metrics.items()
                         if k != "epoch" and math.isfinite(float(v))]
        if time.monotonic() - self.last_flush > FLUSH_EVERY_S:
            self.flush()

    def end(self, summary: dict[str, Any]) -> None:
        self.flush()
        self.client.log_dict(self.run_id, summary, "summary.json")
        if self.log_files:
            files = [p for p in self.out_dir.iterdir() if p.is_file()]
            for path in files:
                self.client.log_artifact(self.run_id, str(path))
        self.client.set_terminated(self.run_id, STATUS.get(summary["status"], "FAILED"))
