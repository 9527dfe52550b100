"""`python -m nnlite.report SWEEP_DIR`: rebuild a sweep's summary (see nnlite.cli.report)."""

import sys

from nnlite.cli.report import main

if __name__ == "__main__":
    sys.exit(main())
