"""The datasets nnlite ships, by the names runs use (`nl.datasets.moons(...)`, or
`data=moons` in a config): the generated toy sets, the digits, and a user's own file.

Each returns a `Dataset`; the tools around them (split, standardise, batches) are
`nnlite.data`'s.
"""

from nnlite.data.digits import digits
from nnlite.data.files import from_file
from nnlite.data.generated import blobs, circles, moons, regression1d, sine, spirals, xor

__all__ = ["blobs", "circles", "digits", "from_file", "moons", "regression1d", "sine",
           "spirals", "xor"]
