"""`nl.jacobian` on functions that return their input or a view of it, or reuse one
output buffer, which a Jacobian by central differences must not confuse with a constant
(the seven Jacobians of the course notes are in tests/course/test_note002_jacobians.py)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import nnlite as nl

D = 3
RNG = np.random.default_rng(13)
w = RNG.standard_normal(D)


def test_identity_is_I_d():
    J = nl.jacobian(lambda v: v, w)
    assert J.shape == (D, D)
    assert_allclose(J, np.eye(D), rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("make", [
    lambda: nl.activation("identity"),
    lambda: nl.Flatten(),
    lambda: nl.Dropout(0.5, rng=0).eval(),
], ids=["identity", "flatten", "dropout-eval"])
def test_modules_returning_their_input_or_a_view_have_the_identity_jacobian(make):
    module = make()
    x = RNG.standard_normal((2, 3))
    J = nl.jacobian(module.forward, x)
    assert_allclose(J.reshape(6, 6), np.eye(6), rtol=1e-8, atol=1e-12)


def test_a_function_reusing_one_output_buffer_is_differentiated_right():
    """f writes every result into the same array: each output is copied before the next."""
    buffer = np.zeros(D)

    def f(v):
        np.multiply(v, 3.0, out=buffer)
        return buffer

    assert_allclose(nl.jacobian(f, w), 3 * np.eye(D), rtol=1e-8, atol=1e-12)


def test_jacobian_leaves_its_argument_alone():
    x = w.copy()
    nl.jacobian(lambda v: v**3, x)
    assert np.array_equal(x, w)


def test_a_saturated_tanh_passes_and_a_wrong_small_gradient_fails():
    """At x = 6.53 tanh's slope is 8.6e-6: central differences resolve it only to
    ~1e-10, a relative error of 2e-6 on a correct backward (seen as a flaky property
    test). Measured against the round-off floor it passes; a 10% error in a gradient
    of norm 1e-3 still fails by four orders of magnitude."""
    x = np.array([[6.53]])
    assert nl.gradcheck(nl.activation("tanh"), x)["input"] < 1e-7
    # GELU's 1 + tanh(u) cancelled to nothing at x = -6 (error 1e-3); now a sigmoid
    assert nl.gradcheck(nl.activation("gelu"), np.array([[-6.0]]))["input"] < 1e-7

    class TenPercentOff(nl.Elementwise):
        def f(self, x):
            return 1e-3 * x

        def df(self, x, y):
            return np.full_like(x, 1.1e-3)

    assert nl.gradcheck(TenPercentOff(), np.array([[0.3, -0.2]]))["input"] > 1e-2
