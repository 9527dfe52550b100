"""nnlite's own plugins. They register through the same hooks as third-party ones;
`nnlite.plugins` registers each module listed here when nnlite is imported."""

BUILTIN_MODULES = (
    "nnlite.builtin.activations",
    "nnlite.builtin.initializers",
    "nnlite.builtin.optimizers",
    "nnlite.builtin.losses",
    "nnlite.builtin.layers",
    "nnlite.builtin.datasets",
    "nnlite.builtin.schedules",
)
