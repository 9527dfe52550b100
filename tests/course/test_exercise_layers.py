"""nl.course's exercises that are layers (a Linear layer, a residual block, inverted
dropout) and the SGD step: the Module contract's mistakes are named too, each shown by
a deliberately wrong implementation: .grad overwritten, the forward input not cached,
the input changed in place."""

import numpy as np
import pytest

import nnlite as nl

course = nl.course


class Linear(nl.Module):
    def __init__(self, weight, bias):
        self.weight, self.bias = nl.Parameter(weight), nl.Parameter(bias)

    def forward(self, x):
        self.x = x
        return x @ self.weight.data + self.bias.data

    def backward(self, dout):
        self.weight.grad += self.x.T @ dout
        self.bias.grad += dout.sum(axis=0)
        return dout @ self.weight.data.T


class Overwrites(Linear):
    def backward(self, dout):
        self.weight.grad = self.x.T @ dout
        self.bias.grad = dout.sum(axis=0)
        return dout @ self.weight.data.T


class CachesNothing(Linear):
    def forward(self, x):
        return x @ self.weight.data + self.bias.data


class CachesOnce(Linear):
    def forward(self, x):
        if not hasattr(self, "x"):
            self.x = x
        return x @ self.weight.data + self.bias.data


class NoBias(Linear):
    def forward(self, x):
        self.x = x
        return x @ self.weight.data


def test_linear_layer_written_right_passes():
    result = course.check("linear_layer", Linear)
    assert result.passed, result.diagnosis
    assert "accumulated into weight.grad" in result.diagnosis


@pytest.mark.parametrize("attempt, says", [
    (Overwrites, ".grad overwritten instead of accumulated"),
    (CachesNothing, ("backward reads self.x, which forward never set: the forward input was "
                    "not cached")),
    (CachesOnce, "backward used the input of an earlier forward call"),
    (NoBias, "forward: y (z^(l) = a^(l-1) W^(l) + b^(l)): left out b"),
])
def test_the_module_contract_s_mistakes_are_named(attempt, says):
    result = course.check("linear_layer", attempt)
    assert not result.passed
    assert says in result.diagnosis, result.diagnosis


class Block(nl.Module):
    def __init__(self, weight, bias):
        self.weight, self.bias = nl.Parameter(weight), nl.Parameter(bias)

    def forward(self, x):
        self.x, self.z = x, x @ self.weight.data + self.bias.data
        return x + np.maximum(self.z, 0)

    def backward(self, dout, skip=True, g=True):
        dz = dout * (self.z > 0) if g else dout
        self.weight.grad += self.x.T @ dz
        self.bias.grad += dz.sum(axis=0)
        return (dout if skip else 0) + dz @ self.weight.data.T


class NoSkip(Block):
    def backward(self, dout):
        return super().backward(dout, skip=False)


class NoSlope(Block):
    def backward(self, dout):
        return super().backward(dout, g=False)


class AddsInPlace(Block):
    def forward(self, x):
        self.z = x @ self.weight.data + self.bias.data
        self.x = x.copy()
        x += np.maximum(self.z, 0)
        return x


@pytest.mark.parametrize("attempt, says", [
    (Block, None),
    (NoSkip, "dx (∂L/∂x = ∂L/∂y + (∂L/∂y ⊙ g'(z)) W^T): missing the skip path"),
    (NoSlope, "dW (∂L/∂W = x^T (∂L/∂y ⊙ g'(z))): missing g'(z)"),
    (AddsInPlace, "forward changed its input x in place"),
])
def test_residual_block(attempt, says):
    result = course.check("residual_block", attempt)
    assert result.passed is (says is None), result.diagnosis
    assert says is None or says in result.diagnosis, result.diagnosis


class Dropout(nl.Module):
    def __init__(self, p, rng):
        self.p, self.rng = p, rng

    def mask(self, shape):
        return (self.rng.random(shape) >= self.p) / (1 - self.p)

    def forward(self, x):
        if not self.training:
            return x
        self.m = self.mask(x.shape)
        return x * self.m

    def backward(self, dout):
        return dout * self.m if self.training else dout


class NotInverted(Dropout):
    def mask(self, shape):
        return (self.rng.random(shape) >= self.p) * 1.0


class ScaledAtEvaluation(NotInverted):
    def forward(self, x):
        return super().forward(x) if self.training else x * (1 - self.p)


class KeepsWithP(Dropout):
    def mask(self, shape):
        return (self.rng.random(shape) < self.p) / (1 - self.p)


class NewMaskInBackward(Dropout):
    def backward(self, dout):
        return dout * self.mask(dout.shape) if self.training else dout


class MultipliesInPlace(Dropout):
    def forward(self, x):
        if self.training:
            self.m = self.mask(x.shape)
            x *= self.m
        return x


class GlobalRandom(Dropout):
    def mask(self, shape):
        return (np.random.random(shape) >= self.p) / (1 - self.p)


@pytest.mark.parametrize("attempt, says", [
    (Dropout, None),
    (NotInverted, "is not inverted: the kept units are not scaled"),
    (ScaledAtEvaluation, "scaled by 1 − p = 0.75 in eval mode: that is classic dropout"),
    (KeepsWithP, "kept each unit with probability p = 0.25 instead of 1 − p = 0.75"),
    (NewMaskInBackward, "forward must cache the mask it drew"),
    (MultipliesInPlace, "forward changed its input x in place"),
    (GlobalRandom, "does not draw its mask from self.rng"),
])
def test_dropout(attempt, says):
    result = course.check("dropout", attempt)
    assert result.passed is (says is None), result.diagnosis
    assert says is None or says in result.diagnosis, result.diagnosis


def sgd(params, velocity, lr, momentum, sign=-1.0, keep=True, zero_grad=False):
    for p, v in zip(params, velocity):
        if keep:
            v *= momentum
            v += p.grad
        else:
            v = momentum * v + p.grad
        p.data = p.data + sign * lr * v
        if zero_grad:
            p.grad[...] = 0


@pytest.mark.parametrize("attempt, says", [
    (sgd, None),
    (lambda *a: sgd(*a, sign=1.0), "moved up the gradient"),
    (lambda *a: sgd(*a, keep=False), "did not keep the velocity"),
    (lambda *a: sgd(*a, zero_grad=True), "changed p.grad"),
    (lambda p, v, lr, m: sgd(p, v, lr, 0.0), "ignored the momentum"),
])
def test_sgd_step(attempt, says):
    result = course.check("sgd_step", attempt)
    assert result.passed is (says is None), result.diagnosis
    assert says is None or says in result.diagnosis, result.diagnosis


def test_the_reference_step_is_nnlite_s_own_sgd():
    """sgd_step's rule is nl.optimizer('sgd', momentum=...)'s, step for step."""
    from nnlite.course.problems.sgd import sgd_step

    rng = np.random.default_rng(0)
    mine, theirs = nl.Parameter(rng.normal(size=(3, 2))), nl.Parameter(rng.normal(size=(3, 2)))
    theirs.data[...] = mine.data
    opt, velocity = nl.optimizer("sgd", [theirs], lr=0.1, momentum=0.9), [np.zeros((3, 2))]
    for _ in range(3):
        mine.grad = theirs.grad = rng.normal(size=(3, 2))
        sgd_step([mine], velocity, 0.1, 0.9)
        opt.step()
        np.testing.assert_allclose(mine.data, theirs.data, rtol=1e-14)
