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

from nnlite.testing._common import (
    BATCHES,
    DEFAULT_LR,
    DESCENT_FACTOR,
    DESCENT_STEPS,
    FLOATS,
    GRAD_TOL,
    INIT_SHAPE,
    STD_TOLERANCE,
    WIDTH,
)
from nnlite.testing.data import check_dataset, check_schedule
from nnlite.testing.initializers import check_initializer
from nnlite.testing.losses import check_loss
from nnlite.testing.modules import check_activation, check_layer
from nnlite.testing.optimizers import check_optimizer
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
