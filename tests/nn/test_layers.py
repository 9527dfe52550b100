"""Linear, Sequential, Residual, Dropout, Flatten and whole MLPs: gradients, shapes, errors."""

import numpy as np
import pytest
from conftest import assert_gradients_match
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlite as nl

shapes = dict(batch=st.integers(1, 5), d_in=st.integers(1, 6), d_out=st.integers(1, 6),
              seed=st.integers(0, 2**16))


@settings(max_examples=25, deadline=None)
@given(bias=st.booleans(), **shapes)
def test_linear_gradients(batch, d_in, d_out, seed, bias):
    layer = nl.Linear(d_in, d_out, bias=bias, weight_init="normal", bias_init="normal",
                      rng=seed, dtype=np.float64)
    x = np.random.default_rng(seed + 1).normal(size=(batch, d_in))
    errors = assert_gradients_match(layer, x)
    assert set(errors) == ({"input", "weight", "bias"} if bias else {"input", "weight"})


def test_linear_computes_x_at_w_plus_b_with_in_out_layout():
    layer = nl.Linear(2, 3, dtype=np.float64)
    layer.weight.data[...] = [[1, 2, 3], [4, 5, 6]]
    layer.bias.data[...] = [0.5, 0, -0.5]
    np.testing.assert_allclose(layer(np.array([[1.0, 1.0]])), [[5.5, 7.0, 8.5]])


def test_backward_accumulates_into_grad():
    layer = nl.Linear(3, 2, rng=0, dtype=np.float64)
    x, dout = np.ones((4, 3)), np.ones((4, 2))
    layer.forward(x)
    layer.backward(dout)
    once = layer.weight.grad.copy()
    layer.forward(x)
    layer.backward(dout)
    np.testing.assert_allclose(layer.weight.grad, 2 * once)
    layer.zero_grad()
    assert not layer.weight.grad.any() and not layer.bias.grad.any()


def test_float32_is_kept_end_to_end():
    model = nl.mlp([3, 5, 2], activation="tanh", rng=0)
    x = np.ones((4, 3))  # float64 input: the model's float32 wins
    out = model(x)
    dx = model.backward(np.ones_like(out), input_grad=True)
    assert out.dtype == dx.dtype == np.float32
    assert all(p.data.dtype == p.grad.dtype == np.float32 for p in model.parameters())


@settings(max_examples=10, deadline=None)
@given(batch=st.integers(1, 4), seed=st.integers(0, 2**16),
       activation=st.sampled_from(["tanh", "sigmoid", "gelu", "softplus", "elu"]))
def test_random_mlp_with_dropout_and_residual_blocks(batch, seed, activation):
    model = nl.mlp([3, 4, 4, 4, 2], activation=activation, dropout=0.3, residual=True,
                   rng=seed, dtype=np.float64)
    assert any(isinstance(m, nl.Residual) for m in model)
    dropouts = [m for m in model.modules() if isinstance(m, nl.Dropout)]

    def fixed_masks():
        for i, d in enumerate(dropouts):
            d.rng = np.random.default_rng(seed + i)

    x = np.random.default_rng(seed).normal(size=(batch, 3))
    assert_gradients_match(model, x, before_forward=fixed_masks)


def test_residual_gradients_and_shape_error(rng):
    inner = nl.Sequential(nl.Linear(3, 3, rng=0, dtype=np.float64), nl.activation("tanh"))
    block = nl.Residual(inner)
    assert_gradients_match(block, rng.normal(size=(2, 3)))
    with pytest.raises(ValueError, match="shapes must match"):
        nl.Residual(nl.Linear(3, 2)).forward(np.ones((1, 3)))


def test_flatten_and_sequential_indexing(rng):
    model = nl.Sequential(nl.Flatten(), nl.Linear(6, 2, rng=0, dtype=np.float64))
    x = rng.normal(size=(2, 2, 3))
    assert_gradients_match(model, x)
    assert len(model) == 2 and isinstance(model[1], nl.Linear)
    assert isinstance(model[1:], nl.Sequential) and len(model[1:]) == 1


def test_inverted_dropout_scales_survivors_and_is_identity_in_eval():
    drop = nl.Dropout(0.25, rng=0)
    x = np.ones((2000, 50), dtype=np.float32)
    y = drop(x)
    assert y.dtype == np.float32
    assert set(np.unique(y)) == {0.0, np.float32(1 / 0.75)}
    assert abs((y == 0).mean() - 0.25) < 0.01
    assert abs(y.mean() - 1.0) < 0.01  # expectation preserved
    np.testing.assert_array_equal(drop.backward(np.ones_like(x)), y)
    drop.eval()
    assert drop(x) is x and drop.backward(x) is x


def test_model_eval_reaches_nested_dropout():
    model = nl.mlp([2, 4, 4, 1], dropout=0.5, residual=True, rng=0)
    model.eval()
    assert all(not m.training for m in model.modules())
    x = np.ones((3, 2))
    np.testing.assert_array_equal(model(x), model(x))


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_linear_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match=f"in_features={bad!r} must be an integer >= 1"):
        nl.Linear(bad, 2)


def test_linear_rejects_wrong_input_width():
    expected = r"Linear\(3, 2\) expects input of shape \(N, 3\), got \(4, 5\)"
    with pytest.raises(ValueError, match=expected):
        nl.Linear(3, 2)(np.ones((4, 5)))


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_dropout_rejects_bad_p(p):
    with pytest.raises(ValueError, match=f"Dropout: p must be in \\[0, 1\\), got {p!r}"):
        nl.Dropout(p)


def test_backward_before_forward():
    with pytest.raises(RuntimeError, match="Linear.backward called before forward"):
        nl.Linear(2, 2).backward(np.ones((1, 2)))


def test_mlp_rejects_bad_arguments():
    with pytest.raises(ValueError, match="-4"):
        nl.mlp([2, -4, 1])
    with pytest.raises(ValueError, match="dropout must be in"):
        nl.mlp([2, 4, 1], dropout=1.5)
    with pytest.raises(ValueError, match="unknown activation 'rleu'. Did you mean 'relu'"):
        nl.mlp([2, 4, 1], activation="rleu")


def test_first_layer_can_skip_its_input_gradient(rng):
    x, dout = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    full, lean = (nl.Linear(3, 2, rng=0, dtype=np.float64) for _ in range(2))
    for layer in (full, lean):
        layer.forward(x)
    np.testing.assert_allclose(full.backward(dout), dout @ full.weight.data.T)
    assert lean.backward(dout, input_grad=False) is None
    np.testing.assert_array_equal(lean.weight.grad, full.weight.grad)
    np.testing.assert_array_equal(lean.bias.grad, full.bias.grad)


@pytest.mark.parametrize("residual", [False, True])
def test_mlp_skips_the_data_gradient_unless_asked(rng, residual):
    sizes = [3, 3, 3, 2] if residual else [3, 5, 4, 2]
    model = nl.mlp(sizes, activation="tanh", residual=residual, rng=0, dtype=np.float64)
    x = rng.normal(size=(6, 3))
    dout = rng.normal(size=(6, 2))
    model.forward(x)
    assert model.backward(dout) is None  # the README loop's call: no dx computed
    lean = [p.grad.copy() for p in model.parameters()]
    model.zero_grad()
    model.forward(x)
    dx = model.backward(dout, input_grad=True)  # asked: dx, and the same parameter grads
    for got, want in zip((p.grad for p in model.parameters()), lean):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    numeric = nl.jacobian(lambda v: np.sum(model.forward(v) * dout), x)
    np.testing.assert_allclose(dx, numeric, rtol=1e-6, atol=1e-8)
    assert nl.gradcheck(model, x)["input"] < 1e-6  # gradcheck asks for it too


def test_an_mlp_can_be_built_to_return_dx(rng):
    model = nl.mlp([3, 4, 2], input_grad=True, rng=0, dtype=np.float64)
    x = rng.normal(size=(2, 3))
    model.forward(x)
    dx = model.backward(np.ones((2, 2)))
    assert dx.shape == x.shape
    assert model.backward(np.ones((2, 2)), input_grad=False) is None
    hand = nl.Sequential(nl.Linear(3, 2, rng=0))  # hand-built: dx by default, as before
    hand.forward(x)
    assert hand.backward(np.ones((2, 2))).shape == x.shape


def test_dropout_promotes_integer_input_to_float64():
    drop = nl.Dropout(0.5, rng=0)
    y = drop(np.full((200, 10), 3))
    assert y.dtype == np.float64
    assert set(np.unique(y)) == {0.0, 6.0}
    np.testing.assert_array_equal(drop.backward(np.ones((200, 10))), y / 3)


def test_mlp_accepts_numpy_integer_sizes_but_not_other_numbers():
    model = nl.mlp([2, np.int32(8), np.int64(3)], rng=0)
    assert (model[0].in_features, model[0].out_features, model[-1].out_features) == (2, 8, 3)
    assert model(np.ones((4, 2))).shape == (4, 3)
    for bad in (np.float64(3.0), 2.5, True, np.bool_(True), np.int64(0)):
        with pytest.raises(ValueError, match="mlp: size=.* must be an integer >= 1"):
            nl.mlp([2, bad, 1])


def test_linear_backward_keeps_float32_for_a_float64_upstream_gradient():
    layer = nl.Linear(3, 2, rng=0, dtype=np.float32)
    layer.forward(np.ones((4, 3), dtype=np.float32))
    dx = layer.backward(np.ones((4, 2), dtype=np.float64))
    assert dx.dtype == np.float32 and layer.weight.grad.dtype == np.float32
