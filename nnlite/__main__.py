"""`python -m nnlite ...`: see `nnlite.cli`."""

import sys

try:
    from nnlite.cli import main
except KeyboardInterrupt:  # Ctrl-C while numpy loads: one line, as at any later moment
    print("nnlite: interrupted", file=sys.stderr)
    sys.exit(130)

if __name__ == "__main__":
    main()
