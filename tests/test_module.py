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
