"""Module plumbing: parameter traversal, state_dict round trip, summary, repr."""

import io

import numpy as np
import pytest

import nnlite as nl


def test_named_parameters_follow_definition_order():
    model = nl.mlp([2, 3, 1], rng=0)
    names = [name for name, _ in model.named_parameters()]
    assert names == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert model.num_parameters() == 2 * 3 + 3 + 3 * 1 + 1


def test_state_dict_round_trips_through_npz_without_pickle():
    model = nl.mlp([2, 5, 3], activation="tanh", rng=0)
    buffer = io.BytesIO()
    np.savez(buffer, **model.state_dict())
    buffer.seek(0)
    loaded = dict(np.load(buffer, allow_pickle=False))
    other = nl.mlp([2, 5, 3], activation="tanh", rng=1)
    x = np.random.default_rng(0).normal(size=(4, 2))
    assert not np.allclose(other(x), model(x))
    other.load_state_dict(loaded)
    np.testing.assert_array_equal(other(x), model(x))


def test_load_state_dict_reports_mismatches():
    model = nl.mlp([2, 3, 1], rng=0)
    state = model.state_dict()
    state.pop("0.bias")
    with pytest.raises(KeyError, match="missing \\['0.bias'\\]"):
        model.load_state_dict(state)
    state = model.state_dict()
    state["0.weight"] = np.zeros((3, 3))
    with pytest.raises(ValueError, match="0.weight"):
        model.load_state_dict(state)


def test_summary_lists_shapes_and_counts():
    model = nl.mlp([3, 4, 2, 1], rng=0)
    text = model.summary((1, 3))
    assert "0: Linear" in text and "(1, 4)" in text and "(1, 1)" in text
    assert text.splitlines()[-1].split() == ["total", "29"]
    assert model.training  # restored


def test_repr_explains_the_model():
    text = repr(nl.mlp([2, 4, 1], activation="tanh", dropout=0.1, rng=0))
    assert "Linear(2, 4, bias=True)" in text and "Tanh()" in text and "Dropout(p=0.1)" in text


def test_parameter_keeps_dtype():
    p = nl.Parameter(np.zeros(3, dtype=np.float32))
    assert p.grad.dtype == np.float32 and p.grad.shape == (3,)


def test_unsupported_dtype_is_rejected():
    with pytest.raises(ValueError, match="float16"):
        nl.Linear(2, 2, dtype=np.float16)


def test_zero_grad_is_lazy_but_reads_as_zero():
    p = nl.Parameter(np.ones(3, dtype=np.float32))
    buffer = p.grad
    p.grad += 5.0
    p.zero_grad()
    assert p.grad is buffer  # the same array, filled with zeros when read
    np.testing.assert_array_equal(p.grad, 0.0)
    p.grad[...] = 2.0  # writing through .grad after zero_grad keeps what was written
    p.zero_grad()
    p.grad[0] += 1.0
    np.testing.assert_array_equal(p.grad, [1.0, 0.0, 0.0])


def test_first_accumulate_after_zero_grad_assigns_then_adds():
    p = nl.Parameter(np.zeros((2, 2)))
    a, b = np.arange(4.0).reshape(2, 2), np.eye(2)
    p.grad[...] = 100.0  # stale values that zero_grad must hide
    p.zero_grad()
    p.accumulate(np.matmul, a, b)
    np.testing.assert_array_equal(p.grad, a)
    p.accumulate(np.matmul, a, b)
    np.testing.assert_array_equal(p.grad, 2 * a)
    p.accumulate(np.add.reduce, a, 0)
    np.testing.assert_array_equal(p.grad, 2 * a + a.sum(axis=0))


def test_model_gradients_after_zero_grad_equal_fresh_ones_and_accumulate():
    x = np.random.default_rng(0).normal(size=(5, 3))
    fresh = nl.mlp([3, 4, 2], rng=0, dtype=np.float64)
    used = nl.mlp([3, 4, 2], rng=0, dtype=np.float64)
    for model in (fresh, used):
        model.backward(np.ones_like(model.forward(x)))
    used.zero_grad()
    used.backward(np.ones_like(used.forward(x)))
    for p, q in zip(fresh.parameters(), used.parameters()):
        np.testing.assert_array_equal(p.grad, q.grad)
    used.backward(np.ones_like(used.forward(x)))
    for p, q in zip(fresh.parameters(), used.parameters()):
        np.testing.assert_allclose(q.grad, 2 * p.grad)


def test_state_dict_includes_what_child_layers_add_to_it():
    class WithBuffer(nl.Module):
        """A layer keeping a non-parameter array (like BatchNorm's running mean)."""

        def __init__(self):
            self.scale = nl.Parameter(np.ones(2))
            self.running = np.zeros(2)

        def state_dict(self):
            return {**super().state_dict(), "running": self.running.copy()}

        def load_state_dict(self, state):
            state = dict(state)
            self.running[...] = state.pop("running")
            super().load_state_dict(state)

    model = nl.Sequential(nl.Linear(2, 2, rng=0), nl.Residual(WithBuffer()))
    model[1].module.running[...] = [3.0, 4.0]
    state = model.state_dict()
    assert sorted(state) == ["0.bias", "0.weight", "1.module.running", "1.module.scale"]
    other = nl.Sequential(nl.Linear(2, 2, rng=1), nl.Residual(WithBuffer()))
    other.load_state_dict(state)
    np.testing.assert_array_equal(other[1].module.running, [3.0, 4.0])
    np.testing.assert_array_equal(other[0].weight.data, model[0].weight.data)


def test_a_tied_weight_is_one_parameter():
    first, second = nl.Linear(2, 2, rng=0), nl.Linear(2, 2, rng=1)
    second.weight = first.weight  # tied
    model = nl.Sequential(first, second)
    assert model.parameters() == [first.weight, first.bias, second.bias]
    assert model.num_parameters() == 4 + 2 + 2


def test_jacobian_refuses_a_float32_function():
    model = nl.mlp([2, 3, 1], rng=0, dtype="float32")
    with pytest.raises(ValueError, match="jacobian: f returned float32, not float64"):
        nl.jacobian(model.forward, [[0.3, -0.7]])
    model64 = nl.mlp([2, 3, 1], rng=0, dtype="float64")
    assert nl.jacobian(model64.forward, [[0.3, -0.7]]).shape == (1, 1, 1, 2)


def test_a_failed_load_state_dict_changes_no_parameter():
    model = nl.mlp([2, 3, 1], rng=0)
    before = {k: v.copy() for k, v in model.state_dict().items()}
    bad = {k: np.zeros_like(v) for k, v in before.items()}
    bad["2.weight"] = np.full(before["2.weight"].shape, "x")  # checked after 0.* in order
    with pytest.raises(ValueError, match=r"state_dict\['2.weight'\] holds <U1, not numbers"):
        model.load_state_dict(bad)
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[key])
