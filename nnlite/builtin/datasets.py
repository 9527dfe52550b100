"""Built-in datasets, registered through the `nnlite_datasets` hook."""

from typing import Any

from nnlite.hookspecs import hookimpl


@hookimpl
def nnlite_datasets() -> dict[str, Any]:
    from nnlite import datasets  # imported on first use: keeps `import nnlite` fast

    return {
        "xor": datasets.xor,
        "moons": datasets.moons,
        "circles": datasets.circles,
        "spirals": datasets.spirals,
        "blobs": datasets.blobs,
        "regression1d": datasets.regression1d,
        "sine": datasets.sine,
        "digits": datasets.digits,
        "file": datasets.from_file,
    }
