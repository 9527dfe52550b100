"""`python -m nnlite ...`: see `nnlite.cli`."""

from nnlite.cli import main

if __name__ == "__main__":
    main()
