"""The loss step worked out: ℓ's formula, ∂ℓ/∂ŷ's, and its numbers against numpy and
against the loss's own backward, for each loss nnlite knows; any other loss says that
it is shown without a formula."""

import numpy as np
import pytest

import nnlite as nl
from nnlite.explain import notation as n
from nnlite.explain.loss_step import worked_loss_step

RNG = np.random.default_rng(11)
OUT = RNG.normal(size=(3, 2))
TARGET = RNG.normal(size=(3, 2))
BINARY = (RNG.random((3, 2)) > 0.5) * 1.0
LABELS = np.array([1, 0, 1])


def sig(v):
    return 1 / (1 + np.exp(-v))


def soft(v):
    e = np.exp(v)
    return e / e.sum(axis=1, keepdims=True)


ONEHOT = np.eye(2)[LABELS]
CASES = {  # loss, target, its derivative by hand, ℓ's formula, ∂ℓ/∂ŷ's formula
    "mse": (nl.MSELoss(), TARGET, 2 * (OUT - TARGET) / 6,
            "ℓ = (1/n) Σ (ŷ - y)^2 over the n = 6 values of ŷ", "∂ℓ/∂ŷ = 2(ŷ - y)/n"),
    "mse sum": (nl.MSELoss("sum"), TARGET, 2 * (OUT - TARGET), "ℓ = Σ (ŷ - y)^2",
                "∂ℓ/∂ŷ = 2(ŷ - y)"),
    "mse half sum": (nl.MSELoss("sum", half=True), TARGET, OUT - TARGET, "ℓ = ½ Σ (ŷ - y)^2",
                     "∂ℓ/∂ŷ = (ŷ - y)"),
    "mse half mean": (nl.MSELoss(half=True), TARGET, (OUT - TARGET) / 6,
                      "ℓ = (1/(2n)) Σ (ŷ - y)^2 over the n = 6", "∂ℓ/∂ŷ = (ŷ - y)/n"),
    "bce": (nl.BCEWithLogitsLoss(), BINARY, (sig(OUT) - BINARY) / 6,
            "ℓ = (1/n) Σ [log(1 + e^ŷ) - y ŷ] over the n = 6 values of ŷ (= -y log σ(ŷ) - "
            "(1 - y) log(1 - σ(ŷ)), ŷ the logits)", "∂ℓ/∂ŷ = (σ(ŷ) - y)/n"),
    "bce sum": (nl.BCEWithLogitsLoss("sum"), BINARY, sig(OUT) - BINARY,
                "ℓ = Σ [log(1 + e^ŷ) - y ŷ] (", "∂ℓ/∂ŷ = (σ(ŷ) - y)"),
    "ce": (nl.CrossEntropyLoss(), LABELS, (soft(OUT) - ONEHOT) / 3,
           "ℓ = (1/N) Σ over the N = 3 sample(s) of -log softmax(ŷ)_y",
           "∂ℓ/∂ŷ = (softmax(ŷ) - onehot(y))/N"),
    "ce smoothed": (nl.CrossEntropyLoss(label_smoothing=0.2), LABELS,
                    (soft(OUT) - (0.8 * ONEHOT + 0.1)) / 3,
                    "-Σ_c q_c log softmax(ŷ)_c, q = (1 - ε) onehot(y) + ε/C, ε = 0.2, C = 2",
                    "∂ℓ/∂ŷ = (softmax(ŷ) - q)/N"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_formulas_and_numbers_against_numpy_and_the_losses_own_backward(case):
    loss, target, by_hand, value, derivative = CASES[case]
    found = worked_loss_step(loss, OUT, target)
    assert value in found.value and found.derivative == derivative
    np.testing.assert_allclose(found.numbers, by_hand, rtol=1e-12)
    loss(OUT, target)
    np.testing.assert_allclose(found.numbers, loss.backward(), rtol=1e-12)


def test_each_entry_is_worked_with_its_numbers():
    found = worked_loss_step(nl.MSELoss(), OUT, TARGET)
    assert found.unit(2, 1) == f"2·({n.num(OUT[2, 1])} - {n.num(TARGET[2, 1])})/6"
    found = worked_loss_step(nl.BCEWithLogitsLoss(), OUT, BINARY)
    assert found.unit(0, 0) == (f"(σ({n.num(OUT[0, 0])}) - {n.num(BINARY[0, 0])})/6 = "
                                f"({n.num(sig(OUT[0, 0]))} - {n.num(BINARY[0, 0])})/6")
    found = worked_loss_step(nl.CrossEntropyLoss(), OUT, LABELS)
    assert found.unit(1, 0) == f"(softmax(ŷ)_1 - 1)/3 = ({n.num(soft(OUT)[1, 0])} - 1)/3"


def test_the_explainer_prints_the_step_entry_by_entry_for_one_sample():
    model = nl.mlp([2, 2], rng=0, dtype=np.float64)
    x, y = np.array([[0.5, -1.0]]), np.array([[0.25, 2.0]])
    e = nl.explain(model, x, y, "mse")
    yhat = model(x)
    text = str(e)
    assert ("The loss step: ℓ = (1/n) Σ (ŷ - y)^2 over the n = 2 values of ŷ; so ∂ℓ/∂ŷ = "
            "2(ŷ - y)/n") in text
    for j in range(2):
        d = 2 * (yhat[0, j] - y[0, j]) / 2
        assert (f"  ∂ℓ/∂ŷ_{j + 1} = 2·({n.num(yhat[0, j])} - {n.num(y[0, j])})/2 = "
                f"{n.num(d)}") in text
    assert "∂ℓ/∂a^(1) = ∂ℓ/∂ŷ =\n" + n.matrix(2 * (yhat - y) / 2, "  ") in text
    batch = nl.explain(model, np.vstack([x, -x]), np.vstack([y, y]), "bce_with_logits")
    assert "  σ(ŷ) =\n" + n.matrix(sig(model(np.vstack([x, -x])))) in str(batch)


class Cube(nl.Loss):
    """A plugin's loss: Σ (ŷ - y)^3."""

    def forward(self, pred, target):
        self._cache = pred - target
        return float(np.sum(self._cache**3))

    def backward(self):
        return 3 * self._cache**2


class Scaled(nl.MSELoss):
    """A subclass may compute something else than its parent: no parent's formula."""

    def backward(self):
        return 10 * super().backward()


@pytest.mark.parametrize("loss", [Cube(), Scaled()], ids=["plugin", "subclass"])
def test_a_loss_without_a_known_formula_says_so_and_shows_its_own_numbers(loss):
    model = nl.mlp([2, 1], rng=0, dtype=np.float64)
    x, y = np.array([[0.5, -1.0]]), np.array([[0.25]])
    e = nl.explain(model, x, y, loss)
    text = str(e)
    assert f"∂ℓ/∂ŷ = {type(loss).__name__}.backward(): a loss without a formula here" in text
    loss(model(x), y)
    np.testing.assert_allclose(e.layers[-1].da, loss.backward(), rtol=1e-12)
    assert "∂ℓ/∂a^(1) = ∂ℓ/∂ŷ =\n" + n.matrix(loss.backward(), "  ") in text
