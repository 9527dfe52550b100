"""A loaded run's `predict` (labels or values), `predict_proba`, `score` and short repr."""

import numpy as np
import pytest
from conftest import composed

import nnlite as nl
from nnlite.runs.training.build import build_data
from nnlite.runs.training.lifecycle import train

XOR = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
FAST = ("plots=false", "trainer.progress=false")


@pytest.fixture(scope="module")
def xor_run(tmp_path_factory):
    path = tmp_path_factory.mktemp("xor")
    train(composed("+experiment=xor", *FAST), path)
    return nl.load_run(path)


def test_a_classifier_predicts_labels_and_probabilities(xor_run):
    assert xor_run.predict(XOR).tolist() == [0, 1, 1, 0]
    proba = xor_run.predict_proba(XOR)
    assert proba.shape == (4, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    # one logit: P(class 1) is its sigmoid
    logits = xor_run.outputs(XOR)[:, 0].astype(np.float64)
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-logits)), rtol=1e-6)
    assert xor_run.score(XOR, [0, 1, 1, 0]) == 1.0
    assert xor_run.score(XOR, [1, 1, 1, 0]) == 0.75


def test_multiclass_probabilities_follow_the_softmax_of_the_logits(tmp_path):
    config = composed("+experiment=spirals", "trainer.epochs=20", *FAST)
    train(config, tmp_path)
    run = nl.load_run(tmp_path)
    train_split = build_data(config)[0]["train"]  # standardised as training saw it
    x = np.random.default_rng(0).normal(size=(7, 2))
    proba = run.predict_proba(x)
    logits = run.outputs(x).astype(np.float64)
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(proba, expected, rtol=1e-5)
    np.testing.assert_array_equal(run.predict(x), proba.argmax(axis=1))
    assert run.classes.tolist() == list(range(train_split.n_classes))


def test_regression_predicts_values_and_scores_r2(tmp_path):
    train(composed("+experiment=sine_fit", "trainer.epochs=30", *FAST), tmp_path)
    run = nl.load_run(tmp_path)
    x = np.linspace(-3, 3, 50).reshape(-1, 1)
    y = np.sin(x)
    pred = run.predict(x)
    assert pred.shape == (50, 1)
    r2 = 1 - np.sum((pred - y) ** 2) / np.sum((y - y.mean()) ** 2)
    assert run.score(x, y) == pytest.approx(r2)
    with pytest.raises(ValueError, match="regression"):
        run.predict_proba(x)


def test_inputs_of_the_wrong_width_are_refused_with_the_expected_shape(xor_run):
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        xor_run.predict(np.ones((3, 5)))


def test_repr_is_short_even_for_a_long_run(xor_run):
    long = nl.runs.LoadedRun(xor_run.path, xor_run.config, xor_run.summary,
                             xor_run.records * 300, xor_run.model, xor_run.meta)
    assert len(long.records) >= 1500
    text = repr(long)
    assert len(text) < 400 and "xor" in text and "completed" in text
    assert f"epochs={len(long.records)}" in text


def test_plots_say_which_sweep_job_they_belong_to(tmp_path):
    from nnlite.plots.run import job_title

    job = tmp_path / "3"
    (job / ".hydra").mkdir(parents=True)
    (job / ".hydra" / "overrides.yaml").write_text(
        "- +experiment=xor\n- seed=2\n- init=zeros\n- logger=jsonl\n")
    assert job_title(job, "xor") == "xor  job 3: seed=2, init=zeros"
    assert job_title(tmp_path, "xor") == "xor"  # a single run keeps its plain title


def test_a_binary_run_trained_with_mse_predicts_from_its_scores_not_as_logits(tmp_path):
    # mse trains the single output towards the 0/1 labels: 0.5, not 0, is the class edge
    train(composed("+experiment=xor", "loss=mse", "trainer.epochs=400", "plots=false",
                   "optimizer=adam", "optimizer.lr=0.05"), tmp_path)
    run = nl.load_run(tmp_path)
    scores = run.outputs(XOR)[:, 0]
    assert run.predict(XOR).tolist() == (scores > 0.5).astype(int).tolist() == [0, 1, 1, 0]
    np.testing.assert_allclose(run.predict_proba(XOR)[:, 1], np.clip(scores, 0, 1))
