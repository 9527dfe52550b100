"""Datasets as plain arrays, and the few tools training needs around them.

`Dataset` (dataset.py) holds x, y and the task; `split` and `subsample` make seeded
parts (split.py); `Standardizer` rescales inputs with training statistics
(standardizer.py); `batches` yields shuffled mini-batches (batches.py). The generated
toy datasets (generated.py), the digits (digits.py) and a user's own file (files.py)
are registered by name: `nl.dataset("moons")`.
"""

from nnlite.data.batches import batches
from nnlite.data.dataset import MAX_AUTO_CLASSES, TASKS, Dataset
from nnlite.data.digits import digits
from nnlite.data.files import from_file
from nnlite.data.generated import blobs, circles, moons, regression1d, sine, spirals, xor
from nnlite.data.split import split, subsample
from nnlite.data.standardizer import Standardizer

__all__ = ["MAX_AUTO_CLASSES", "TASKS", "Dataset", "Standardizer", "batches", "blobs",
           "circles", "digits", "from_file", "moons", "regression1d", "sine", "spirals",
           "split", "subsample", "xor"]
