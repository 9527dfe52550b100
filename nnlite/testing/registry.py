"""Running the kit over registered entries: which check each kind gets (`CHECKS`), the
arguments built-ins need (`builtin_cases`), `check_entry` for one entry, and `entries` /
`parametrize_entries` to find them and make one pytest test each.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from nnlite.testing._common import WIDTH
from nnlite.testing.data import check_dataset, check_schedule
from nnlite.testing.initializers import _fans, check_initializer
from nnlite.testing.losses import check_loss
from nnlite.testing.modules import check_activation, check_layer
from nnlite.testing.optimizers import check_optimizer

CHECKS: dict[str, Callable[..., None]] = {
    "activations": check_activation,
    "layers": check_layer,
    "losses": check_loss,
    "optimizers": check_optimizer,
    "initializers": check_initializer,
    "datasets": check_dataset,
    "schedules": check_schedule,
}


def builtin_cases() -> dict[tuple[str, str], tuple[tuple, dict[str, Any]]]:
    """(kind, name) -> (args, kwargs) for the built-ins the kit cannot call bare: required
    arguments, and the standard deviation each initializer promises."""
    from nnlite.nn.activations import Tanh
    from nnlite.nn.linear import Linear

    xavier = {"expected_std": lambda s: math.sqrt(2.0 / sum(_fans(s))), "expected_mean": 0.0}
    he = {"expected_std": lambda s: math.sqrt(2.0 / _fans(s)[0]), "expected_mean": 0.0}
    cases: dict[tuple[str, str], tuple[tuple, dict[str, Any]]] = {
        ("initializers", "zeros"): ((), {"expected_std": 0.0, "expected_mean": 0.0}),
        ("initializers", "constant"): ((), {"value": 0.5, "expected_std": 0.0,
                                            "expected_mean": 0.5}),
        ("initializers", "normal"): ((), {"std": 0.3, "expected_std": 0.3, "expected_mean": 0.0}),
        ("initializers", "uniform"): ((), {"a": -1.0, "b": 1.0, "expected_std": 1 / math.sqrt(3),
                                           "expected_mean": 0.0}),
        ("initializers", "lecun_normal"): ((), {"expected_std":
                                                lambda s: 1 / math.sqrt(_fans(s)[0]),
                                                "expected_mean": 0.0}),
        ("initializers", "orthogonal"): ((), {"expected_std": lambda s: 1 / math.sqrt(max(s)),
                                              "expected_mean": 0.0}),
        ("layers", "residual"): ((), {"module": Linear(WIDTH, WIDTH, rng=0)}),
        ("layers", "sequential"): ((Linear(WIDTH, 4, rng=0), Tanh(), Linear(4, 3, rng=1)), {}),
        ("layers", "flatten"): ((), {"input_shape": (4, 3, 2)}),
        ("layers", "dropout"): ((), {"p": 0.3}),
    }
    for name in ("xavier_uniform", "xavier_normal"):
        cases[("initializers", name)] = ((), xavier)
    for name in ("he_uniform", "he_normal", "kaiming_uniform", "kaiming_normal"):
        cases[("initializers", name)] = ((), he)
    return cases


def check_entry(entry: Any, *args: Any, **kwargs: Any) -> None:
    """Run the kit's check for a registry Entry (`nl.registry.entry(kind, name)`).

    Without arguments, uses the factory's `check_kwargs` attribute (a dict the plugin
    author sets for factories that need arguments or promise a variance), else the
    built-ins' case from `builtin_cases()`, else none.
    """
    if not args and not kwargs:
        own = getattr(entry.factory, "check_kwargs", None)
        if own is not None:
            kwargs = dict(own)
        else:
            args, kwargs = builtin_cases().get((entry.kind, entry.name), ((), {}))
    try:
        CHECKS[entry.kind](entry.factory, *args, **kwargs)
    except AssertionError as err:
        raise AssertionError(f"{entry.kind[:-1] if entry.kind != 'losses' else 'loss'} "
                             f"{entry.name!r} from plugin {entry.plugin!r}: {err}"
                             ) from err.__cause__


def entries(kinds: Any = tuple(CHECKS), plugins: Any = None) -> list[Any]:
    """Registry entries of the given kinds: every registered one, or only those given by
    `plugins` (modules or objects with hookimpls, registered for the look-up if they are
    not already and unregistered after)."""
    from nnlite.plugins import manager, registry

    if plugins is None:
        return [e for e in registry if e.kind in kinds]
    registry.refresh()  # installed plugins first, under their entry-point names
    added = [p for p in plugins if not manager.is_registered(p)]
    for plugin in added:
        manager.register(plugin, name=getattr(plugin, "__name__", None))
    try:
        names = {manager.get_name(p) for p in plugins}
        return [e for e in registry if e.kind in kinds and e.plugin in names]
    finally:
        for plugin in added:
            manager.unregister(plugin)


def parametrize_entries(kinds: Any = tuple(CHECKS), plugins: Any = None) -> Any:
    """`@parametrize_entries()`: a pytest parametrization over `entries(kinds, plugins)`,
    one test per entry with the id "kind:name"; the test receives `entry`.

        @parametrize_entries(plugins=[my_plugin])
        def test_conforms(entry):
            check_entry(entry)
    """
    import pytest

    found = entries(kinds, plugins)
    return pytest.mark.parametrize("entry", found, ids=[f"{e.kind}:{e.name}" for e in found])
