"""Optimizers vs independent, loop-style transcriptions of PyTorch's documented algorithms.

Each reference below walks the algorithm box of the torch.optim docs one scalar at a time
(python floats, math.sqrt), so it shares no code or vectorisation with nnlite's in-place
implementation. "maximize" negates the gradient first, as PyTorch's code does (the SGD
doc box writes it at the end; the two differ only together with weight decay).
"""

import io
import math
import warnings

import numpy as np
import pytest

from nnlite.nn.module import Module, Parameter
from nnlite.optim import SGD, Adagrad, Adam, AdamW, Optimizer, RMSprop, clip_grad_norm

# -- references ----------------------------------------------------------------------------


def sgd_reference(theta, grads, lr, momentum=0.0, dampening=0.0, weight_decay=0.0,
                  nesterov=False, maximize=False):
    theta, buf, history = list(theta), [None] * len(theta), []
    for t, grad in enumerate(grads, start=1):
        for i in range(len(theta)):
            g = -grad[i] if maximize else grad[i]
            if weight_decay != 0:
                g = g + weight_decay * theta[i]
            if momentum != 0:
                buf[i] = g if t == 1 else momentum * buf[i] + (1 - dampening) * g
                g = g + momentum * buf[i] if nesterov else buf[i]
            theta[i] = theta[i] - lr * g
        history.append(list(theta))
    return history


def adam_reference(theta, grads, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                   amsgrad=False, maximize=False, decoupled=False):
    beta1, beta2 = betas
    n = len(theta)
    theta, m, v, v_max, history = list(theta), [0.0] * n, [0.0] * n, [0.0] * n, []
    for t, grad in enumerate(grads, start=1):
        for i in range(n):
            g = -grad[i] if maximize else grad[i]
            if decoupled:
                theta[i] = theta[i] - lr * weight_decay * theta[i]
            elif weight_decay != 0:
                g = g + weight_decay * theta[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            m_hat = m[i] / (1 - beta1**t)
            if amsgrad:
                v_max[i] = max(v_max[i], v[i])
                v_hat = v_max[i] / (1 - beta2**t)
            else:
                v_hat = v[i] / (1 - beta2**t)
            theta[i] = theta[i] - lr * m_hat / (math.sqrt(v_hat) + eps)
        history.append(list(theta))
    return history


def adamw_reference(theta, grads, weight_decay=1e-2, **hyper):
    return adam_reference(theta, grads, weight_decay=weight_decay, decoupled=True, **hyper)


def rmsprop_reference(theta, grads, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0,
                      momentum=0.0, centered=False, maximize=False):
    n = len(theta)
    theta, v, buf, g_ave, history = list(theta), [0.0] * n, [0.0] * n, [0.0] * n, []
    for grad in grads:
        for i in range(n):
            g = -grad[i] if maximize else grad[i]
            if weight_decay != 0:
                g = g + weight_decay * theta[i]
            v[i] = alpha * v[i] + (1 - alpha) * g * g
            v_tilde = v[i]
            if centered:
                g_ave[i] = g_ave[i] * alpha + (1 - alpha) * g
                v_tilde = v_tilde - g_ave[i] ** 2
            if momentum > 0:
                buf[i] = momentum * buf[i] + g / (math.sqrt(v_tilde) + eps)
                theta[i] = theta[i] - lr * buf[i]
            else:
                theta[i] = theta[i] - lr * g / (math.sqrt(v_tilde) + eps)
        history.append(list(theta))
    return history


def adagrad_reference(theta, grads, lr=1e-2, lr_decay=0.0, weight_decay=0.0,
                      initial_accumulator_value=0.0, eps=1e-10, maximize=False):
    theta, history = list(theta), []
    state_sum = [initial_accumulator_value] * len(theta)
    for t, grad in enumerate(grads, start=1):
        lr_t = lr / (1 + (t - 1) * lr_decay)
        for i in range(len(theta)):
            g = -grad[i] if maximize else grad[i]
            if weight_decay != 0:
                g = g + weight_decay * theta[i]
            state_sum[i] = state_sum[i] + g * g
            theta[i] = theta[i] - lr_t * g / (math.sqrt(state_sum[i]) + eps)
        history.append(list(theta))
    return history


# -- cases: every option of every optimizer ------------------------------------------------

CASES = [
    (SGD, sgd_reference, {"lr": 0.1}),
    (SGD, sgd_reference, {"lr": 0.1, "momentum": 0.9}),
    (SGD, sgd_reference, {"lr": 0.05, "momentum": 0.8, "dampening": 0.3}),
    (SGD, sgd_reference, {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    (SGD, sgd_reference, {"lr": 0.1, "weight_decay": 0.1}),
    (SGD, sgd_reference, {"lr": 0.1, "momentum": 0.5, "dampening": 0.1, "weight_decay": 0.2}),
    (SGD, sgd_reference, {"lr": 0.1, "maximize": True}),
    (SGD, sgd_reference, {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05,
                          "maximize": True}),
    (Adam, adam_reference, {}),
    (Adam, adam_reference, {"lr": 0.05, "betas": (0.8, 0.9), "eps": 1e-3}),
    (Adam, adam_reference, {"lr": 0.05, "weight_decay": 0.1}),
    (Adam, adam_reference, {"lr": 0.05, "amsgrad": True}),
    (Adam, adam_reference, {"lr": 0.05, "maximize": True}),
    (Adam, adam_reference, {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1, "maximize": True}),
    (AdamW, adamw_reference, {"lr": 0.05}),
    (AdamW, adamw_reference, {"lr": 0.05, "weight_decay": 0.0}),
    (AdamW, adamw_reference, {"lr": 0.05, "weight_decay": 0.3, "betas": (0.5, 0.8)}),
    (AdamW, adamw_reference, {"lr": 0.05, "weight_decay": 0.3, "amsgrad": True,
                              "maximize": True}),
    (RMSprop, rmsprop_reference, {}),
    (RMSprop, rmsprop_reference, {"lr": 0.05, "alpha": 0.9, "eps": 1e-4}),
    (RMSprop, rmsprop_reference, {"centered": True}),
    (RMSprop, rmsprop_reference, {"momentum": 0.9}),
    (RMSprop, rmsprop_reference, {"momentum": 0.9, "centered": True}),
    (RMSprop, rmsprop_reference, {"weight_decay": 0.1}),
    (RMSprop, rmsprop_reference, {"alpha": 0.8, "momentum": 0.5, "centered": True,
                                  "weight_decay": 0.1, "maximize": True}),
    (Adagrad, adagrad_reference, {}),
    (Adagrad, adagrad_reference, {"lr": 0.1, "lr_decay": 0.5}),
    (Adagrad, adagrad_reference, {"weight_decay": 0.1}),
    (Adagrad, adagrad_reference, {"initial_accumulator_value": 0.5}),
    (Adagrad, adagrad_reference, {"eps": 1e-3}),
    (Adagrad, adagrad_reference, {"lr": 0.1, "lr_decay": 0.2, "weight_decay": 0.1,
                                  "initial_accumulator_value": 0.3, "eps": 1e-4,
                                  "maximize": True}),
]
CASE_IDS = [f"{cls.__name__}-{'-'.join(f'{k}={v}' for k, v in hyper.items())}"
            for cls, _, hyper in CASES]
OPT_CASES = [(cls, hyper if "lr" in hyper else {**hyper, "lr": 0.01}) for cls, _, hyper in CASES]

SHAPES = [(2, 3), (3,)]  # a weight and a bias: the optimizer must handle several parameters
N_STEPS = 5


def theta0():
    return np.random.default_rng(0).normal(size=9)


def grad_sequence(steps=N_STEPS):
    # Magnitudes that rise and fall, so amsgrad's running max differs from v; one
    # coordinate always has zero gradient, which exercises the eps guards.
    scales = np.array([3.0, 0.1, 1.0, 0.01, 2.0, 0.5, 1.5])[:steps, None]
    grads = np.random.default_rng(1).normal(size=(steps, 9)) * scales
    grads[:, 4] = 0.0
    return grads


def make_params(flat, dtype=np.float64):
    sizes = [math.prod(s) for s in SHAPES]
    chunks = np.split(np.asarray(flat, dtype=dtype), np.cumsum(sizes)[:-1])
    return [Parameter(c.reshape(s).copy()) for c, s in zip(chunks, SHAPES)]


def set_grads(params, flat_grad):
    make = make_params(flat_grad, params[0].data.dtype)
    for p, g in zip(params, make):
        p.grad[...] = g.data


def flat(params):
    return np.concatenate([p.data.ravel() for p in params])


@pytest.mark.parametrize("cls, reference, hyper", CASES, ids=CASE_IDS)
def test_matches_pytorch_algorithm(cls, reference, hyper):
    grads = grad_sequence()
    expected = reference(theta0().tolist(), grads.tolist(), **hyper)
    params = make_params(theta0())
    opt = cls(params, **hyper)
    for t, g in enumerate(grads):
        set_grads(params, g)
        grad_before = [p.grad.copy() for p in params]
        opt.step()
        np.testing.assert_allclose(flat(params), expected[t], rtol=1e-11, atol=1e-14)
        for p, g_before in zip(params, grad_before):  # the optimizer reads grads, never edits
            np.testing.assert_array_equal(p.grad, g_before)
    assert opt.step_count == N_STEPS


# -- hand-computed trajectories ------------------------------------------------------------


def scalar_run(opt_factory, grads, start=1.0):
    p = Parameter(np.array([start]))
    opt = opt_factory([p])
    out = []
    for g in grads:
        p.grad[...] = g
        opt.step()
        out.append(float(p.data[0]))
    return out


def test_sgd_momentum_literal():
    # b1 = g = 1 (undamped); p = 1 - 0.1 = 0.9. b2 = 0.9*1 + 1 = 1.9; p = 0.9 - 0.19 = 0.71.
    run = scalar_run(lambda ps: SGD(ps, lr=0.1, momentum=0.9), [1, 1])
    assert run == pytest.approx([0.9, 0.71])
    # Dampening 0.5 skips step 1: b2 = 0.9 + 0.5 = 1.4; p = 0.9 - 0.14 = 0.76.
    run = scalar_run(lambda ps: SGD(ps, lr=0.1, momentum=0.9, dampening=0.5), [1, 1])
    assert run == pytest.approx([0.9, 0.76])
    # Nesterov: step g + 0.9*b: 1.9 then 1 + 0.9*1.9 = 2.71, so 1 - 0.19 = 0.81, 0.81 - 0.271.
    run = scalar_run(lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=True), [1, 1])
    assert run == pytest.approx([0.81, 0.539])


def test_adam_constant_gradient_moves_lr_per_step():
    # With a constant gradient the bias-corrected m_hat = g and v_hat = g**2 exactly.
    assert scalar_run(lambda ps: Adam(ps, lr=0.1), [2, 2, 2]) == pytest.approx(
        [0.9, 0.8, 0.7], abs=1e-7)


def test_adagrad_literal():
    # s = 4, step 0.1*2/2 = 0.1; s = 8, step 0.2/sqrt(8); s = 12, step 0.2/sqrt(12).
    expected = [0.9, 0.9 - 0.2 / math.sqrt(8), 0.9 - 0.2 / math.sqrt(8) - 0.2 / math.sqrt(12)]
    assert scalar_run(lambda ps: Adagrad(ps, lr=0.1), [2, 2, 2]) == pytest.approx(expected)


def test_adamw_decay_alone_shrinks_geometrically():
    # Zero gradient: Adam's term is 0, so each step only multiplies p by 1 - lr*wd = 0.95.
    run = scalar_run(lambda ps: AdamW(ps, lr=0.5, weight_decay=0.1), [0, 0, 0])
    assert run == pytest.approx([0.95, 0.95**2, 0.95**3])


# -- dtype, state, API ---------------------------------------------------------------------


@pytest.mark.parametrize("cls, hyper", OPT_CASES, ids=CASE_IDS)
def test_float32_stays_float32(cls, hyper):
    params = make_params(theta0(), np.float32)
    data_arrays = [p.data for p in params]
    opt = cls(params, **{**hyper, "lr": np.float64(hyper["lr"])})
    assert type(opt.lr) is float  # a numpy float64 lr would upcast every update
    for g in grad_sequence(3):
        set_grads(params, g)
        opt.step()
    for p, original in zip(params, data_arrays):
        assert p.data is original and p.data.dtype == np.float32
    buffers = {k: v for k, v in opt.state_dict().items() if k.startswith("state.")}
    assert all(v.dtype == np.float32 for v in buffers.values())
    reference = make_params(theta0())
    opt64 = cls(reference, **hyper)
    for g in grad_sequence(3):
        set_grads(reference, g)
        opt64.step()
    np.testing.assert_allclose(flat(params), flat(reference), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("cls, hyper", OPT_CASES, ids=CASE_IDS)
def test_state_dict_round_trips_through_npz(cls, hyper):
    grads = grad_sequence(6)
    params_a = make_params(theta0())
    opt_a = cls(params_a, **hyper)
    for g in grads[:3]:
        set_grads(params_a, g)
        opt_a.step()
    buffer = io.BytesIO()
    np.savez(buffer, **opt_a.state_dict())
    buffer.seek(0)
    params_b = make_params(flat(params_a))
    opt_b = cls(params_b, lr=0.5)  # other settings: loading must restore them all
    with np.load(buffer, allow_pickle=False) as saved:
        opt_b.load_state_dict(saved)
    assert repr(opt_b) == repr(opt_a) and opt_b.step_count == 3
    for g in grads[3:]:
        set_grads(params_a, g)
        set_grads(params_b, g)
        opt_a.step()
        opt_b.step()
    np.testing.assert_array_equal(flat(params_a), flat(params_b))


def test_load_state_dict_rejects_mismatches():
    state = SGD(make_params(theta0()), lr=0.1, momentum=0.9).state_dict()
    with pytest.raises(ValueError, match="SGD"):
        Adam(make_params(theta0())).load_state_dict(state)
    with pytest.raises(KeyError, match=r"state\.1\.momentum_buffer"):
        SGD(make_params(theta0())[:1], lr=0.1).load_state_dict(state)
    bad = {**state, "momentum": np.array(-1.0)}
    opt = SGD(make_params(theta0()), lr=0.1)
    with pytest.raises(ValueError, match=r"momentum=-1\.0"):
        opt.load_state_dict(bad)
    assert opt.momentum == 0.0  # a failed load leaves the optimizer as it was


def adam_after_three_steps():
    params = make_params(theta0())
    opt = Adam(params, lr=0.05, betas=(0.8, 0.9), amsgrad=True)
    for g in grad_sequence(3):
        set_grads(params, g)
        opt.step()
    return params, opt


def other_adam_state(extra_params=0, **changes):
    """The state of an Adam with other settings (lr=0.5, no amsgrad), with entries changed."""
    params = make_params(theta0()) + [Parameter(np.ones(3)) for _ in range(extra_params)]
    state = Adam(params, lr=0.5, betas=(0.5, 0.5)).state_dict()
    for key, value in changes.items():
        key = key.replace("_", ".", 2)  # state_1_exp_avg -> state.1.exp_avg
        if value is None:
            del state[key]
        else:
            state[key] = value
    return state


@pytest.mark.parametrize("saved, error, message", [
    (other_adam_state(extra_params=1), KeyError, r"unexpected \['state\.2\.exp_avg'"),
    (other_adam_state(state_1_exp_avg_sq=None), KeyError, r"missing \['state\.1\.exp_avg_sq'"),
    (other_adam_state(state_1_exp_avg=np.ones(4)), ValueError, r"state\.1\.exp_avg has shape"),
    (other_adam_state(state_0_exp_avg=np.full((2, 3), "x")), ValueError,
     r"state\.0\.exp_avg has dtype"),
    (other_adam_state(step=None), KeyError, "step"),
], ids=["extra parameter", "missing buffer", "wrong shape", "wrong dtype", "missing step"])
def test_failed_load_state_dict_changes_nothing(saved, error, message):
    params, opt = adam_after_three_steps()
    twin_params, twin = adam_after_three_steps()
    before = opt.state_dict()
    with pytest.raises(error, match=message):
        opt.load_state_dict(saved)
    assert repr(opt) == repr(twin) and opt.lr == 0.05 and opt.step_count == 3
    after = opt.state_dict()
    assert after.keys() == before.keys()
    for key, value in before.items():
        np.testing.assert_array_equal(after[key], value, err_msg=key)
    for g in grad_sequence(4)[3:]:  # and it steps on exactly as an untouched twin
        set_grads(params, g)
        set_grads(twin_params, g)
        opt.step()
        twin.step()
    np.testing.assert_array_equal(flat(params), flat(twin_params))


BAD_VALUES = [
    (SGD, {"lr": -0.1}, "lr=-0.1"), (SGD, {"lr": math.nan}, "lr=nan"),
    (SGD, {"lr": math.inf}, "lr=inf"),
    (SGD, {"lr": 0.1, "momentum": -0.5}, "momentum=-0.5"),
    (SGD, {"lr": 0.1, "momentum": 0.9, "dampening": 1.5}, "dampening=1.5"),
    (SGD, {"lr": 0.1, "weight_decay": -1e-4}, "weight_decay=-0.0001"),
    (SGD, {"lr": 0.1, "nesterov": True}, "momentum > 0"),
    (SGD, {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True}, "dampening = 0"),
    (SGD, {"lr": 0.1, "nesterov": "yes"}, "nesterov='yes'"),
    (Adam, {"lr": -1e-3}, "lr=-0.001"), (Adam, {"betas": (1.0, 0.999)}, "beta1=1.0"),
    (Adam, {"betas": (0.9, -0.1)}, "beta2=-0.1"), (Adam, {"betas": (0.9,)}, "betas=(0.9,)"),
    (Adam, {"eps": -1e-8}, "eps=-1e-08"), (Adam, {"weight_decay": -1}, "weight_decay=-1"),
    (Adam, {"amsgrad": 1}, "amsgrad=1"), (AdamW, {"weight_decay": -0.1}, "weight_decay=-0.1"),
    (RMSprop, {"alpha": 1.5}, "alpha=1.5"), (RMSprop, {"eps": -1.0}, "eps=-1.0"),
    (RMSprop, {"momentum": -0.1}, "momentum=-0.1"), (RMSprop, {"lr": -1.0}, "lr=-1.0"),
    (Adagrad, {"lr_decay": -0.1}, "lr_decay=-0.1"), (Adagrad, {"eps": -1e-10}, "eps=-1e-10"),
    (Adagrad, {"initial_accumulator_value": -1}, "initial_accumulator_value=-1"),
    (Adagrad, {"weight_decay": -1}, "weight_decay=-1"),
]


@pytest.mark.parametrize("cls, hyper, message", BAD_VALUES)
def test_bad_hyperparameters_raise_naming_value(cls, hyper, message):
    with pytest.raises(ValueError, match=cls.__name__) as err:
        cls(make_params(theta0()), **hyper)
    assert message in str(err.value)


def test_params_from_module_list_or_tied():
    class Affine(Module):
        def __init__(self):
            self.weight = Parameter(np.ones((2, 2)))
            self.bias = Parameter(np.zeros(2))

    model = Affine()
    assert SGD(model, lr=0.1).params == [model.weight, model.bias]
    assert SGD([model.weight, model.weight], lr=0.1).params == [model.weight]  # stepped once
    with pytest.raises(ValueError, match="empty"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="ndarray"):
        SGD([np.ones(3)], lr=0.1)
    assert issubclass(SGD, Optimizer)


def test_zero_grad():
    params = make_params(theta0())
    set_grads(params, grad_sequence(1)[0])
    Adam(params).zero_grad()
    assert all(not p.grad.any() for p in params)


@pytest.mark.parametrize("cls, hyper", [
    (SGD, {"lr": 0.05}), (SGD, {"lr": 0.01, "momentum": 0.9}),
    (SGD, {"lr": 0.01, "momentum": 0.9, "nesterov": True}), (Adam, {"lr": 0.05}),
    (Adam, {"lr": 0.05, "amsgrad": True}), (AdamW, {"lr": 0.05}), (RMSprop, {"lr": 0.01}),
    (RMSprop, {"lr": 0.01, "centered": True, "momentum": 0.5}), (Adagrad, {"lr": 0.5}),
])
def test_decreases_convex_quadratic(cls, hyper):
    # f(x) = 0.5 x.A x - b.x with A symmetric positive definite, eigenvalues 1..10.
    rng = np.random.default_rng(3)
    q, _ = np.linalg.qr(rng.normal(size=(5, 5)))
    a = q @ np.diag(np.linspace(1.0, 10.0, 5)) @ q.T
    b = rng.normal(size=5)
    f_min = -0.5 * b @ np.linalg.solve(a, b)

    def f(x):
        return 0.5 * x @ a @ x - b @ x

    p = Parameter(rng.normal(size=5) * 3)
    gap_start = f(p.data) - f_min
    opt = cls([p], **hyper)
    for _ in range(300):
        p.grad[...] = a @ p.data - b
        opt.step()
    assert f(p.data) - f_min < 1e-2 * gap_start


def test_clip_grad_norm_scales_to_max_norm():
    params = [Parameter(np.zeros(2)), Parameter(np.zeros((1, 1)))]
    params[0].grad[...] = [3.0, 0.0]
    params[1].grad[...] = 4.0
    total = clip_grad_norm(params, max_norm=1.0)
    assert total == pytest.approx(5.0) and isinstance(total, float)
    scale = 1.0 / (5.0 + 1e-6)
    np.testing.assert_allclose(params[0].grad, [3 * scale, 0.0])
    np.testing.assert_allclose(params[1].grad, [[4 * scale]])
    assert clip_grad_norm(params, max_norm=1.0) == pytest.approx(1.0, abs=1e-6)


def test_clip_grad_norm_other_norms_and_no_op():
    p = Parameter(np.array([3.0, -4.0], dtype=np.float32))
    p.grad[...] = p.data
    assert clip_grad_norm([p], max_norm=10.0) == pytest.approx(5.0)
    np.testing.assert_array_equal(p.grad, [3.0, -4.0])  # below max_norm: untouched
    assert clip_grad_norm([p], max_norm=10.0, norm_type=1) == pytest.approx(7.0)
    assert clip_grad_norm([p], max_norm=2.0, norm_type=math.inf) == pytest.approx(4.0)
    np.testing.assert_allclose(p.grad, [1.5, -2.0], rtol=1e-5)
    assert p.grad.dtype == np.float32
    with pytest.raises(ValueError, match=r"max_norm=-1\.0"):
        clip_grad_norm([p], max_norm=-1.0)


def test_clip_grad_norm_huge_float32_gradients():
    # 1e20 is a finite float32, but its square is not: the norm must be taken in float64.
    params = [Parameter(np.zeros(1, dtype=np.float32)) for _ in range(2)]
    for p in params:
        p.grad[...] = 1e20
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        total = clip_grad_norm(params, max_norm=1.0)
    assert total == pytest.approx(math.sqrt(2) * 1e20, rel=1e-6)
    assert all(p.grad.dtype == np.float32 for p in params)
    clipped = math.hypot(float(params[0].grad[0]), float(params[1].grad[0]))
    assert clipped == pytest.approx(1.0, rel=1e-6)


def test_builtin_plugin_registers_every_optimizer():
    from nnlite.plugins import builtins

    assert builtins.nnlite_optimizers() == {
        "sgd": SGD, "adam": Adam, "adamw": AdamW, "rmsprop": RMSprop, "adagrad": Adagrad}
