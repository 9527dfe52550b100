"""Peak resident memory of one implementation training, measured in a fresh process.

    python -m benchmarks.rss nnlite [workload] [steps]     # prints {"peak_rss_kb": ...}

"baseline" imports numpy and does nothing else: the floor every implementation starts
from. Each run is its own process, so no implementation pays for another's imports.
"""

from __future__ import annotations

import json
import resource
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    name = argv[0]
    workload = argv[1] if len(argv) > 1 else "medium"
    steps = int(argv[2]) if len(argv) > 2 else 30
    if name == "baseline":
        import numpy  # noqa: F401
    else:
        import numpy as np

        from benchmarks.implementations import IMPLEMENTATIONS
        from benchmarks.workloads import TINY, WORKLOADS

        w = TINY if workload == "tiny" else WORKLOADS[workload]
        step = IMPLEMENTATIONS[name](w, np.dtype(np.float32))
        for _ in range(steps):
            step()
    print(json.dumps({"peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
