"""`nnlite.runs.training.lifecycle.train` without Hydra, and every shipped experiment
composed by Hydra."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import composed

import nnlite as nl
from nnlite.cli.paths import config_dir
from nnlite.runs.config.errors import ConfigError
from nnlite.runs.config.typed import as_dict
from nnlite.runs.training.lifecycle import train

EXPERIMENTS = sorted(p.stem for p in (config_dir() / "experiment").glob("*.yaml"))


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_every_experiment_composes_and_runs_a_smoke_version(experiment, tmp_path):
    # weights kept at epochs a 3-epoch run never reaches would be refused: keep 0 and 3
    kept = ["trainer.snapshot_epochs=[0,3]"] if composed(
        f"+experiment={experiment}").trainer.snapshot_epochs else []
    config = composed(f"+experiment={experiment}", "trainer.epochs=3", "trainer.progress=false",
                      *kept)
    summary = train(config, tmp_path)
    assert summary["status"] == "completed" and summary["epochs"] <= 3
    assert json.loads((tmp_path / "summary.json").read_text())["experiment"] == experiment
    assert (tmp_path / "learning_curves.png").is_file()


def test_shipped_experiments_are_the_promised_ones():
    assert {"xor", "moons", "spirals", "digits", "sine_fit"} <= set(EXPERIMENTS)


@pytest.mark.parametrize("seed", range(6))
def test_xor_experiment_solves_xor_for_most_seeds(seed):
    summary = train(composed("+experiment=xor", f"seed={seed}"))
    assert summary["final"]["train_accuracy"] == 1.0


def test_moons_reaches_high_validation_accuracy():
    summary = train(composed("+experiment=moons", "trainer.epochs=100"))
    assert summary["final"]["val_accuracy"] > 0.9


def test_sine_fit_writes_a_fitted_curve(tmp_path):
    summary = train(composed("+experiment=sine_fit", "trainer.epochs=150"), tmp_path)
    assert summary["final"]["train_r2"] > 0.8
    assert (tmp_path / "fitted_curve.png").is_file()


def test_plots_drawn_later_from_the_folder_are_the_plots_drawn_inline(tmp_path):
    from nnlite.runs.draw import draw_run
    from nnlite.runs.folder.background import can_draw_later

    config = composed("+experiment=moons", "trainer.epochs=5")
    assert can_draw_later(config)
    train(config, tmp_path)
    def pngs() -> dict[str, str]:  # digests: a diff of two PNGs' bytes helps nobody
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.glob("*.png")}

    inline = pngs()
    assert set(inline) == {"learning_curves.png", "decision_boundary.png"}
    for p in tmp_path.glob("*.png"):
        p.unlink()
    draw_run(tmp_path)
    assert pngs() == inline
    assert not can_draw_later(composed("+experiment=relu_fit"))  # needs its snapshots


def test_plots_false_writes_every_file_but_the_pngs(tmp_path):
    train(composed("+experiment=xor", "trainer.epochs=5", "plots=false"), tmp_path / "off")
    train(composed("+experiment=xor", "trainer.epochs=5"), tmp_path / "on")
    on = {p.name for p in (tmp_path / "on").iterdir()}
    off = {p.name for p in (tmp_path / "off").iterdir()}
    assert {"learning_curves.png", "decision_boundary.png"} <= on
    assert off == {name for name in on if not name.endswith(".png")}
    assert {"config.yaml", "metrics.csv", "summary.json", "model.npz"} <= off


def test_cross_entropy_on_binary_data_trains_two_logits(tmp_path):
    summary = train(composed("+experiment=xor", "loss=cross_entropy"), tmp_path)
    assert summary["final"]["train_accuracy"] == 1.0
    run = nl.load_run(tmp_path)
    assert run.outputs(np.array([[0.0, 1.0]])).shape == (1, 2)
    assert run.predict_proba(np.array([[0.0, 1.0]])).shape == (1, 2)


def test_a_loss_that_does_not_fit_the_task_is_a_config_error():
    expected = "loss='cross_entropy' does not fit data 'regression1d', a regression task"
    with pytest.raises(ConfigError, match=expected):
        train(composed("+experiment=sine_fit", "loss=cross_entropy"))


def test_a_schedule_may_decay_the_learning_rate_to_zero():
    # 0.01 ** epoch underflows to 0.0 after ~160 epochs: training goes on, as in PyTorch
    config = composed("+experiment=xor", "trainer.epochs=200", "trainer.target_metric=null",
                      "trainer.early_stopping.monitor=null", "trainer.schedule.name=exponential",
                      "+trainer.schedule.params.gamma=0.01")
    summary = train(config)
    assert summary["status"] == "completed" and summary["epochs"] == 200


def test_early_stopping_stops_on_patience():
    config = composed("+experiment=moons", "trainer.epochs=500",
                      "trainer.early_stopping.monitor=val_loss",
                      "trainer.early_stopping.patience=3", "optimizer.lr=0.05")
    summary = train(config)
    assert summary["epochs"] < 500 and "early stopping" in summary["stop_reason"]


def test_target_metric_stops_the_run():
    summary = train(composed("+experiment=xor"))
    assert summary["epochs"] < 500 and "train_loss reached 0.05" in summary["stop_reason"]


def test_schedules_change_the_learning_rate(tmp_path):
    config = composed("+experiment=xor", "trainer.epochs=10", "trainer.target_metric=null",
                      "trainer.schedule.name=step", "+trainer.schedule.params.step_size=5",
                      "+trainer.schedule.params.gamma=0.5")
    train(config, tmp_path)
    lrs = nl.runs.load_run(tmp_path).metrics["lr"]
    np.testing.assert_allclose(lrs, [0.05] * 5 + [0.025] * 5)


def test_divergence_is_recorded_not_raised(tmp_path):
    config = composed("+experiment=sine_fit", "optimizer=sgd", "optimizer.lr=1e6",
                      "trainer.epochs=50")
    summary = train(config, tmp_path)
    assert summary["status"] == "diverged"
    assert json.loads((tmp_path / "summary.json").read_text())["status"] == "diverged"


def test_an_epoch_end_plugin_can_stop_the_run():
    class StopAtThree:
        @nl.hookimpl
        def nnlite_epoch_end(self, run, epoch, metrics):
            return epoch == 2

    plugin = StopAtThree()
    nl.plugins.register(plugin, name="stop_at_three")
    try:
        summary = train(composed("+experiment=xor", "trainer.target_metric=null"))
    finally:
        nl.plugins.unregister(plugin)
    assert summary["epochs"] == 3 and summary["stop_reason"] == "a plugin asked to stop"


def test_train_accepts_a_plain_dict_without_hydra(tmp_path):
    config = composed("+experiment=xor")
    plain = json.loads(json.dumps(as_dict(config)))  # nothing of OmegaConf left
    summary = train(plain, Path(tmp_path))
    assert summary["final"]["train_accuracy"] == 1.0


def test_model_layers_spec_builds_and_round_trips(tmp_path):
    config = composed("+experiment=moons", "trainer.epochs=5",
                      "model.layers=[{type: linear, out_features: 16}, {type: tanh},"
                      " {type: dropout, p: 0.1}, {type: linear, out_features: out}]")
    summary = train(config, tmp_path)
    assert summary["num_parameters"] == 2 * 16 + 16 + 16 + 1
    run = nl.load_run(tmp_path)
    kinds = [type(m).__name__ for m in run.model]
    assert kinds == ["Linear", "Tanh", "Dropout", "Linear"]
    x = np.random.default_rng(0).normal(size=(5, 2))
    np.testing.assert_array_equal(run.predict(x), nl.load_run(tmp_path).predict(x))


def test_model_layers_with_an_unknown_type_is_a_config_error():
    from nnlite.runs.config.errors import ConfigError

    with pytest.raises(ConfigError, match=r"model.layers\[1\].type='lyaernorm'"):
        composed("+experiment=moons", "model.layers=[{type: linear, out_features: out},"
                 " {type: lyaernorm}]")


def test_large_initial_weights_saturate_sigmoids():
    def saturation(init):
        config = composed("+experiment=vanishing_gradients", f"init={init}", "model.depth=3",
                          "model.activation=sigmoid", "trainer.epochs=1")
        return train(config)["diagnostics"]["initial_saturated_fraction"]

    assert saturation("normal_large") > 0.3 > 0.01 > saturation("xavier_normal")


def test_the_trainer_changes_no_flag_on_the_model():
    from nnlite.runs.training.build import build_run
    from nnlite.runs.training.trainer import Trainer

    def flags(model):  # every plain setting of every module, and its mode
        return [(m.training, sorted((k, v) for k, v in vars(m).items()
                                    if isinstance(v, (bool, int, float)) and k != "training"))
                for m in model.modules()]

    for experiment in ("xor", "moons"):
        run = build_run(composed(f"+experiment={experiment}", "trainer.epochs=3"), None)
        before = flags(run.model)
        Trainer(run).fit()
        assert flags(run.model) == before
        assert run.model.training  # left in train mode, as it was handed over
        x = run.data["train"].x[:4].astype(np.float32)
        run.model.forward(x)
        dx = run.model.backward(np.ones_like(run.model.forward(x)), input_grad=True)
        assert dx.shape == x.shape  # a user can still ask for dx after training


def test_the_trainer_asks_for_no_data_gradient(monkeypatch):
    from nnlite.nn.linear import Linear
    from nnlite.runs.training.build import build_run
    from nnlite.runs.training.trainer import Trainer

    asked = []
    original = Linear.backward

    def spy(self, dout, input_grad=True):
        asked.append((self.in_features, input_grad))
        return original(self, dout, input_grad)

    monkeypatch.setattr(Linear, "backward", spy)
    run = build_run(composed("+experiment=xor", "trainer.epochs=2"), None)
    Trainer(run).fit()
    first = run.model[0].in_features
    assert asked and all(flag is (n != first) for n, flag in asked)
    assert run.history[-1]["epoch"] == 1


def test_r2_of_several_targets_uses_each_targets_own_variance():
    from nnlite.runs.metrics import evaluate

    rng = np.random.default_rng(0)
    y = np.column_stack([rng.normal(0, 1, 50), rng.normal(100, 1, 50)])  # far-apart means
    pred = y + rng.normal(0, 0.5, y.shape)
    data = nl.Dataset(rng.normal(size=(50, 1)), y, "regression")
    metrics = evaluate(nl.Sequential(), nl.MSELoss(), pred, y, data, "train")
    sse = ((pred - y) ** 2).sum()
    sst = ((y - y.mean(axis=0)) ** 2).sum()
    assert metrics["train_r2"] == pytest.approx(1 - sse / sst)  # ~0.75, not ~1.0
