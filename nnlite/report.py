"""`python -m nnlite.report SWEEP_DIR`: rebuild a sweep's summary (nnlite.cli.report_command)."""

import sys

from nnlite.cli.report_command import report_command

if __name__ == "__main__":
    sys.exit(report_command())
