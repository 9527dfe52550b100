"""The conformance kit catches what it promises: each check is run against a deliberately
broken plugin and must fail with a message saying precisely what is wrong."""

import math
import re
import types

import numpy as np
import pytest

import nnlite as nl
from nnlite import testing
from nnlite.nn.activations import stable_sigmoid


def fails(check, factory, expected, *args, **kwargs):
    """`check(factory, ...)` raises AssertionError whose message contains `expected` (a regex)."""
    with pytest.raises(AssertionError) as err:
        check(factory, *args, **kwargs)
    assert re.search(expected, str(err.value)), str(err.value)
    return str(err.value)


# -- activations -----------------------------------------------------------------------

class Swish(nl.Elementwise):
    def f(self, x):
        return x * stable_sigmoid(x)

    def df(self, x, y):
        s = stable_sigmoid(x)
        return s + y * (1.0 - s)


class SwishWrongBackward(Swish):
    def df(self, x, y):
        return stable_sigmoid(x)  # forgets the x s (1 - s) term


class SwishFlatTails(Swish):
    def df(self, x, y):  # right in the middle, 0 past |x| = 2.5
        return np.where(np.abs(x) > 2.5, 0.0, super().df(x, y))


class SwishOverflows(Swish):
    def f(self, x):
        return x / (1.0 + np.exp(-x))  # exp(1e4) overflows


class Doubles(nl.Module):
    def forward(self, x):
        return np.concatenate([x, x], axis=1)

    def backward(self, dout):
        half = dout.shape[1] // 2
        return dout[:, :half] + dout[:, half:]


class Upcasts(Swish):
    def f(self, x):
        return x * np.float64(1.0) * stable_sigmoid(x).astype(np.float64)


def test_a_correct_activation_passes():
    testing.check_activation(Swish)
    testing.check_activation(nl.activations.LeakyReLU, negative_slope=0.2)


def test_activation_with_a_wrong_backward():
    message = fails(testing.check_activation, SwishWrongBackward,
                    r"backward disagrees with central differences in float64 \(input \(4, 5\)\): "
                    r"relative error d/dinput \d\.\d\de-0\d \(tolerance 1e-06\)")
    assert message.startswith("activation SwishWrongBackward(): ")


def test_activation_whose_derivative_is_wrong_only_in_the_tails():
    fails(testing.check_activation, SwishFlatTails,
          r"backward disagrees with central differences in float64")


def test_activation_that_overflows_at_large_inputs():
    fails(testing.check_activation, SwishOverflows, r"overflow .* at \|x\| up to 1e4 in float32")


def test_activation_that_changes_the_shape():
    fails(testing.check_activation, Doubles, r"forward mapped shape \(4, 5\) to \(4, 10\); an "
                                              r"activation keeps its input's shape")


def test_activation_that_upcasts_float32():
    fails(testing.check_activation, Upcasts, r"forward turned float32 input into float64")


def test_activation_factory_keyword_arguments_reach_the_factory_and_the_message():
    fails(testing.check_activation, nl.activations.ELU,
          r"activation ELU\(alpha=-1\.0\): building it raised ValueError", alpha=-1.0)


def test_activation_factory_that_returns_no_module():
    fails(testing.check_activation, lambda: np.tanh, r"returned ufunc, not an nl.Module")


# -- layers ----------------------------------------------------------------------------

class Scale(nl.Module):
    """y = x * weight, weight: (num_features,)."""

    def __init__(self, num_features, dtype=None):
        self.weight = nl.Parameter(np.linspace(0.5, 1.5, num_features).astype(
            nl.module.resolve_dtype(dtype)), "weight")
        self._x = None

    def forward(self, x):
        self._x = x
        return x * self.weight.data

    def backward(self, dout):
        self.weight.grad += (dout * self._x).sum(axis=0)
        return dout * self.weight.data


class ScaleUpcasts(Scale):
    def forward(self, x):
        self._x = x
        return x * self.weight.data.astype(np.float64)  # float64 weights for float32 data


class ScaleWrongWeightGrad(Scale):
    def backward(self, dout):
        self.weight.grad += dout.sum(axis=0)  # forgets x
        return dout * self.weight.data


class ScaleAssignsGrad(Scale):
    def backward(self, dout):
        self.weight.grad = (dout * self._x).sum(axis=0)  # = instead of +=
        return dout * self.weight.data


class ScaleInPlace(Scale):
    def forward(self, x):
        self._x = x.copy()
        x *= self.weight.data
        return x


class CenterEvalByBatch(nl.Module):
    """Subtracts the batch mean in training AND in eval (forgets running statistics)."""

    def __init__(self, num_features):
        self._n = None

    def forward(self, x):
        self._n = len(x)
        return x - x.mean(axis=0)

    def backward(self, dout):
        return dout - dout.mean(axis=0)


class BatchNormWithoutBuffersInStateDict(nl.Module):
    """Running mean used in eval mode but not saved by state_dict."""

    def __init__(self, num_features):
        self.running_mean = np.zeros(num_features)
        self._train = None

    def forward(self, x):
        self._train = self.training
        if self.training:
            self.running_mean = 0.9 * self.running_mean + 0.1 * x.mean(axis=0)
            return x - x.mean(axis=0)
        return x - self.running_mean.astype(x.dtype)

    def backward(self, dout):
        return dout - dout.mean(axis=0) if self._train else dout


def test_correct_layers_pass():
    testing.check_layer(Scale)
    testing.check_layer(nl.Linear, out_features=2)
    testing.check_layer(nl.Dropout, p=0.5)


def test_layer_that_upcasts_float32():
    message = fails(testing.check_layer, ScaleUpcasts,
                    r"forward turned float32 input into float64 \(float32 input \(4, 5\) in eval "
                    r"mode\); keep float32")
    assert message.startswith("layer ScaleUpcasts(num_features=5): ")


def test_layer_with_a_wrong_parameter_gradient():
    fails(testing.check_layer, ScaleWrongWeightGrad,
          r"backward disagrees with central differences in float64 \(training mode, input "
          r"\(4, 5\)\): relative error d/dweight \d\.\d\de-\d\d")


def test_layer_that_assigns_instead_of_accumulating_gradients():
    fails(testing.check_layer, ScaleAssignsGrad,
          r"a second backward did not add to weight.grad \(accumulate with \+=")


def test_layer_that_modifies_its_input():
    fails(testing.check_layer, ScaleInPlace, r"forward modified its input in place")


def test_layer_using_batch_statistics_in_eval_mode():
    fails(testing.check_layer, CenterEvalByBatch,
          r"in eval mode, sample 0's output depends on the rest of its batch")


def test_layer_whose_state_dict_misses_running_statistics():
    fails(testing.check_layer, BatchNormWithoutBuffersInStateDict,
          r"after load_state_dict, a fresh module computes other outputs in eval mode; "
          r"state_dict misses state forward uses \(e.g. running statistics\)")


def test_layer_width_comes_from_keyword_or_input_shape():
    fails(testing.check_layer, nl.Linear, r"layer Linear\(in_features=4, out_features=3\): "
          r"forward on float32 input \(4, 5\) in eval mode raised ValueError",
          input_shape=(4, 5), in_features=4)
    testing.check_layer(nl.Flatten, input_shape=(2, 3, 4))


# -- losses ----------------------------------------------------------------------------

class L1(nl.Loss):
    def forward(self, pred, target):
        self._cache = (pred - target, self._count(pred))
        return float(np.abs(self._cache[0]).sum() / self._cache[1])

    def backward(self):
        diff, count = self._cached()
        return np.sign(diff) / count


class L1WrongBackward(L1):
    def backward(self):
        diff, _ = self._cached()
        return np.sign(diff)  # forgets the mean's 1/count


class L1Upcasts(L1):
    def backward(self):
        diff, count = self._cached()
        return np.sign(diff) / np.float64(count)


class L1ReturnsArray(L1):
    def forward(self, pred, target):
        super().forward(pred, target)
        return np.abs(self._cache[0]) / self._cache[1]


def test_a_correct_loss_passes_and_labels_are_found_for_cross_entropy():
    testing.check_loss(L1)
    testing.check_loss(nl.CrossEntropyLoss, label_smoothing=0.1)


def test_loss_with_a_wrong_backward():
    fails(testing.check_loss, L1WrongBackward,
          r"loss L1WrongBackward\(\): backward\(\) disagrees with central differences in float64 "
          r"\(pred \(4, 3\)\): relative error")


def test_loss_that_upcasts_float32():
    fails(testing.check_loss, L1Upcasts, r"backward\(\) returned float64 for float32 pred")


def test_loss_returning_an_array():
    fails(testing.check_loss, L1ReturnsArray,
          r"returned an array of shape \(4, 3\) \(pred \(4, 3\)\); it must be one finite number")


# -- optimizers -------------------------------------------------------------------------

class PlainSGD(nl.Optimizer):
    def __init__(self, params, lr=0.1):
        super().__init__(params, lr)
        self._allocate_state()

    def step(self):
        self.step_count += 1
        for p in self.params:
            p.data -= self.lr * p.grad


class Ascends(PlainSGD):
    def step(self):
        for p in self.params:
            p.data += self.lr * p.grad


class Crawls(PlainSGD):
    def step(self):
        for p in self.params:
            p.data -= 1e-4 * self.lr * p.grad


class UpcastsParameters(PlainSGD):
    def step(self):
        for p in self.params:
            p.data = p.data - np.float64(self.lr) * p.grad.astype(np.float64)


class IgnoresLrChanges(PlainSGD):
    def __init__(self, params, lr=0.1):
        super().__init__(params, lr)
        self.initial_lr = lr

    def step(self):
        for p in self.params:
            p.data -= self.initial_lr * p.grad


class CachesLrAtFirstStep(PlainSGD):
    def step(self):
        if not hasattr(self, "cached_lr"):
            self.cached_lr = self.lr  # later schedule changes are never seen
        for p in self.params:
            p.data -= self.cached_lr * p.grad


class ScalesGradInPlace(PlainSGD):
    def step(self):
        for p in self.params:
            p.grad *= self.lr
            p.data -= p.grad


class ForgetsMomentum(PlainSGD):
    """Momentum kept outside the state the base class saves."""

    def __init__(self, params, lr=0.1):
        super().__init__(params, lr)
        self.velocity = [np.zeros_like(p.data) for p in self.params]

    def step(self):
        for p, v in zip(self.params, self.velocity):
            v *= 0.9
            v += p.grad
            p.data -= self.lr * v


def test_a_correct_optimizer_passes():
    testing.check_optimizer(PlainSGD)
    testing.check_optimizer(nl.optim.SGD, lr=0.02, momentum=0.9, nesterov=True)


def test_optimizer_that_ascends():
    message = fails(testing.check_optimizer, Ascends,
                    r"the first step went uphill on a convex quadratic: f = (\S+) -> (\S+) \(is "
                    r"the update's sign right\?\)")
    assert message.startswith("optimizer Ascends(lr=0.05): ")


def test_optimizer_that_does_not_descend():
    fails(testing.check_optimizer, Crawls, r"did not descend a convex quadratic: f = \S+ -> \S+ "
                                           r"after 300 steps \(must fall below 0.1 x the start\)")


def test_optimizer_that_upcasts_float32_parameters():
    fails(testing.check_optimizer, UpcastsParameters,
          r"float32 parameters became w0: float64, w1: float64, w2: float64 after steps")


def test_optimizer_that_ignores_lr_set_by_a_schedule():
    fails(testing.check_optimizer, IgnoresLrChanges,
          r"after opt.lr was set 100x smaller the step moved .*; "
          r"step\(\) must use the current opt.lr")


def test_optimizer_that_caches_lr_at_its_first_step():
    fails(testing.check_optimizer, CachesLrAtFirstStep,
          r"after opt.lr was set 100x smaller the step moved")


def test_optimizer_that_modifies_gradients():
    fails(testing.check_optimizer, ScalesGradInPlace, r"step\(\) modified p.grad")


def test_optimizer_whose_state_dict_misses_state():
    fails(testing.check_optimizer, ForgetsMomentum,
          r"an optimizer loaded from state_dict\(\) took a different step than the original")


# -- initializers -----------------------------------------------------------------------

def he_normal(shape, rng):
    return rng.normal(0.0, math.sqrt(2.0 / shape[0]), size=shape)


def he_normal_wrong_variance(shape, rng):
    return rng.normal(0.0, math.sqrt(1.0 / shape[0]), size=shape)  # forgets the gain of 2


def he_normal_global_rng(shape, rng):
    return np.random.normal(0.0, math.sqrt(2.0 / shape[0]), size=shape)


def he_normal_touches_global_rng(shape, rng):
    np.random.random()  # e.g. a stray np.random.shuffle: other code's seeds stop reproducing
    return he_normal(shape, rng)


def he_normal_wrong_shape(shape, rng):
    return rng.normal(0.0, 1.0, size=shape[::-1])


def he_normal_ints(shape, rng):
    return np.ones(shape, dtype=np.int64)


HE_STD = {"expected_std": lambda shape: math.sqrt(2.0 / shape[0]), "expected_mean": 0.0}


def test_a_correct_initializer_passes():
    testing.check_initializer(he_normal, **HE_STD)
    testing.check_initializer(nl.init.normal, std=0.2, expected_std=0.2, expected_mean=0.0)


def test_initializer_with_the_wrong_variance():
    message = fails(testing.check_initializer, he_normal_wrong_variance,
                    r"standard deviation 0.057\d+ for shape \(300, 200\), expected 0.0816\d* "
                    r"\(within 5%\)", **HE_STD)
    assert message.startswith("initializer he_normal_wrong_variance(): ")


def test_initializer_using_the_global_random_state():
    fails(testing.check_initializer, he_normal_global_rng,
          r"two draws with the same seed differ \(shape \(5, 3\)\); "
          r"draw only from the rng argument")
    fails(testing.check_initializer, he_normal_touches_global_rng,
          r"used numpy's global random state; draw from the rng argument")


def test_initializer_with_the_wrong_shape():
    fails(testing.check_initializer, he_normal_wrong_shape,
          r"returned shape \(3, 5\) when asked for \(5, 3\)")


def test_initializer_returning_integers():
    fails(testing.check_initializer, he_normal_ints, r"returned int64 values; return float64")


def test_initializer_may_refuse_one_dimensional_shapes():
    testing.check_initializer(nl.init.orthogonal, expected_std=lambda s: 1 / math.sqrt(max(s)))


# -- datasets and schedules ---------------------------------------------------------------

def noisy_dataset(n_samples=20, seed=0):
    x = np.random.default_rng().normal(size=(n_samples, 2))  # ignores the seed
    return nl.Dataset(x, (x[:, 0] > 0).astype(int), "binary")


def test_dataset_and_schedule_checks():
    testing.check_dataset(nl.datasets.moons)
    fails(testing.check_dataset, noisy_dataset, r"the same seed gave different data")
    fails(testing.check_dataset, lambda n_samples=3: None, r"takes no `seed`")
    testing.check_schedule(nl.schedules.step, step_size=5)
    def reaches_zero(base_lr, epochs):  # a linear decay to 0 is fine, as in PyTorch
        return lambda epoch: base_lr * (1 - epoch / 19)

    def goes_negative(base_lr, epochs):
        return lambda epoch: base_lr * (1 - epoch / 10)

    testing.check_schedule(reaches_zero)
    fails(testing.check_schedule, goes_negative,
          r"lr_at\(11\) = -0.01.*; every epoch needs a finite learning rate >= 0")


# -- running over registered entries ------------------------------------------------------

def test_check_entry_names_the_plugin_and_uses_check_kwargs():
    he_normal_wrong_variance.check_kwargs = HE_STD
    plugin = types.ModuleType("wrong_variance_plugin")
    plugin.nnlite_initializers = nl.hookimpl(lambda: {"he_bad": he_normal_wrong_variance})
    try:
        found = testing.entries(plugins=[plugin])
        assert [(e.kind, e.name, e.plugin) for e in found] == [
            ("initializers", "he_bad", "wrong_variance_plugin")]
        assert not nl.plugins.manager.is_registered(plugin)  # registered only for the look-up
        fails(testing.check_entry, found[0],
              r"^initializer 'he_bad' from plugin 'wrong_variance_plugin': initializer "
              r"he_normal_wrong_variance\(\): standard deviation")
        testing.check_entry(found[0], expected_std=0.0577, expected_mean=0.0)  # explicit wins
    finally:
        del he_normal_wrong_variance.check_kwargs


def test_parametrize_entries_makes_one_case_per_entry():
    mark = testing.parametrize_entries(kinds=("losses",))
    names, values = mark.args[0], mark.args[1]
    assert names == "entry"
    assert {e.name for e in values} >= {"mse", "bce_with_logits", "cross_entropy"}
    assert [i for i in mark.kwargs["ids"] if i.startswith("losses:")] == mark.kwargs["ids"]
