"""Built-in weight initializers, registered through the `nnlite_initializers` hook.

The he_* initializers are also listed under PyTorch's names (kaiming_*) so recipes
written for torch.nn.init can be used by name unchanged.
"""

from nnlite import init
from nnlite.hookspecs import hookimpl


@hookimpl
def nnlite_initializers() -> dict[str, object]:
    return {
        "zeros": init.zeros,
        "constant": init.constant,
        "normal": init.normal,
        "uniform": init.uniform,
        "xavier_uniform": init.xavier_uniform,
        "xavier_normal": init.xavier_normal,
        "he_uniform": init.he_uniform,
        "he_normal": init.he_normal,
        "kaiming_uniform": init.he_uniform,
        "kaiming_normal": init.he_normal,
        "lecun_normal": init.lecun_normal,
        "orthogonal": init.orthogonal,
    }
