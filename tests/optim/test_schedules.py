"""Learning-rate schedules: PyTorch's per-epoch StepLR, ExponentialLR, CosineAnnealingLR."""

import math

import pytest

import nnlite as nl


def lrs(name, epochs=10, **kw):
    lr_at = nl.schedule(name, base_lr=0.1, epochs=epochs, **kw)
    return [lr_at(e) for e in range(epochs)]


def test_constant():
    assert lrs("constant") == [0.1] * 10


def test_step():
    expected = [0.1] * 4 + [0.05] * 4 + [0.025] * 2
    assert lrs("step", step_size=4, gamma=0.5) == pytest.approx(expected)


def test_exponential():
    assert lrs("exponential", gamma=0.9) == pytest.approx([0.1 * 0.9**e for e in range(10)])


def test_cosine_goes_from_base_towards_min_and_stays_positive():
    values = lrs("cosine", epochs=5, min_lr=0.01)
    expected = [0.01 + 0.09 * (1 + math.cos(math.pi * e / 5)) / 2 for e in range(5)]
    assert values == pytest.approx(expected)
    assert values[0] == pytest.approx(0.1) and values[-1] > 0.01
    assert lrs("cosine", epochs=3)[-1] == pytest.approx(0.025)  # min_lr=0: still > 0


@pytest.mark.parametrize("name,kw,message", [
    ("step", {"step_size": 0}, "step_size must be >= 1, got 0"),
    ("step", {"gamma": -1.0}, "gamma must be > 0, got -1.0"),
    ("exponential", {"gamma": 0.0}, "gamma must be > 0, got 0.0"),
    ("cosine", {"min_lr": 0.5}, "min_lr must be in"),
])
def test_bad_schedule_arguments_name_the_value(name, kw, message):
    with pytest.raises(ValueError, match=message):
        nl.schedule(name, base_lr=0.1, epochs=10, **kw)


def test_unknown_schedule_lists_the_known_ones():
    with pytest.raises(ValueError, match="Did you mean 'cosine'.*exponential"):
        nl.schedule("cosin", base_lr=0.1, epochs=10)
