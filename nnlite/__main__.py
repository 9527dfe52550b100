"""`python -m nnlite +experiment=xor` (see nnlite.cli) and `python -m nnlite plugins`.

`plugins [list]` is dispatched before Hydra sees the command line: it lists the
registry (see `nnlite.plugins.command`) and needs no config.
"""

import sys


def main() -> None:
    if sys.argv[1:2] == ["plugins"]:
        from nnlite.plugins import command

        sys.exit(command(sys.argv[2:]))
    from nnlite.cli import main as run

    run()


if __name__ == "__main__":
    main()
