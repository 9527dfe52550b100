"""The conformance kit: checks that a plugin's factory behaves like a built-in.

    from nnlite.testing import check_activation
    check_activation(Swish)                      # what nnlite_activations() registers
    check_activation(Swish, beta=2.0)            # ...with the factory's keyword arguments

Each `check_*` takes exactly what the registration hook gives (a class or function),
builds it with the keyword arguments given, and raises AssertionError with a precise
message at the first thing that is wrong: gradients against central differences in
float64, float32 kept float32, batch-1 and odd shapes, train/eval behaviour, state_dict
round trips, optimizers descending a convex quadratic, initializers' shape, dtype,
seeding and variance. A few keyword arguments belong to the kit, not the factory:
`input_shape` (check_layer), `make_target` (check_loss), `expected_std` and
`expected_mean` (check_initializer).

For pytest, `parametrize_entries` makes one test per registered entry and `check_entry`
runs the right check with the entry's `check_kwargs` (an attribute of the factory, if
it needs arguments) or the built-ins' table below. nnlite's own suite runs it over every
built-in and every example plugin.
"""

# The private helpers (_same, _Builder, _quadratic, ...) stay importable from here as before.
from nnlite.testing._common import (  # noqa: F401
    BATCHES,
    DEFAULT_LR,
    DESCENT_FACTOR,
    DESCENT_STEPS,
    FLOATS,
    GRAD_TOL,
    INIT_SHAPE,
    STD_TOLERANCE,
    WIDTH,
    _away_from_zero,
    _backward,
    _Builder,
    _check_accumulates,
    _check_eval,
    _check_float32,
    _check_gradients,
    _check_modes,
    _check_state_round_trip,
    _forward,
    _label,
    _parameters_of,
    _rng,
    _rng_restorer,
    _same,
    _step,
)
from nnlite.testing.data import check_dataset, check_schedule
from nnlite.testing.initializers import _fans, check_initializer  # noqa: F401
from nnlite.testing.losses import _float_targets, _label_targets, check_loss  # noqa: F401
from nnlite.testing.modules import check_activation, check_layer
from nnlite.testing.optimizers import _quadratic, check_optimizer  # noqa: F401
from nnlite.testing.registry import (
    CHECKS,
    builtin_cases,
    check_entry,
    entries,
    parametrize_entries,
)

__all__ = [
    "BATCHES",
    "CHECKS",
    "DEFAULT_LR",
    "DESCENT_FACTOR",
    "DESCENT_STEPS",
    "FLOATS",
    "GRAD_TOL",
    "INIT_SHAPE",
    "STD_TOLERANCE",
    "WIDTH",
    "builtin_cases",
    "check_activation",
    "check_dataset",
    "check_entry",
    "check_initializer",
    "check_layer",
    "check_loss",
    "check_optimizer",
    "check_schedule",
    "entries",
    "parametrize_entries",
]
