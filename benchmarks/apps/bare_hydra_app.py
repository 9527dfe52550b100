"""A Hydra app with no config and a task that does nothing: the floor of a multirun.

    python benchmarks/apps/bare_hydra_app.py -m +job='range(60)'
"""

import hydra


@hydra.main(version_base="1.3", config_path=None)
def main(cfg) -> None:
    return None


if __name__ == "__main__":
    main()
