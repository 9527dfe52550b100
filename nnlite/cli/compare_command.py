"""`python -m nnlite compare RUN_A RUN_B [...] [-o compare.png]`: how runs differ: their
config differences, their metrics side by side, and one plot overlaying their learning
curves."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from nnlite.nested import flatten
from nnlite.runs.folder.metrics_file import read_columns
from nnlite.runs.results.listing import rank, ranking_metric, run_entry


def compare_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nnlite compare", description=__doc__.split(":", 1)[1])
    p.add_argument("runs", nargs="+", type=Path, help="two or more run folders")
    p.add_argument("-o", "--output", type=Path, default=Path("compare.png"),
                   help="the overlay plot (default: compare.png)")
    return p


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "–" if value is None else str(value)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
                      *("| " + " | ".join(r) + " |" for r in rows)])


def comparison(folders: list[Path]) -> tuple[str, dict[str, dict[str, np.ndarray]]]:
    """The text (config differences and metrics, best marked) and the curves to plot."""
    labels = [chr(ord("A") + i) if i < 26 else str(i) for i in range(len(folders))]
    entries = [run_entry(folder) for folder in folders]
    configs = [flatten({k: v for k, v in e.values.items() if k.startswith("config.")})
               for e in entries]
    keys = list(dict.fromkeys(k for c in configs for k in c))
    differing = [k for k in keys if len({repr(c.get(k)) for c in configs}) > 1]
    lines = ["Runs:"] + [f"  {label}: {folder}" for label, folder in zip(labels, folders)]
    lines += ["", "Config differences:"]
    lines += [markdown_table(["key", *labels], [[k.removeprefix("config."),
                                                 *(_cell(c.get(k)) for c in configs)]
                                                for k in differing])
              if differing else "  none: the configs are the same"]
    metrics = list(dict.fromkeys(k for e in entries for k in e.values
                                 if k.startswith("final.")))
    best, by = rank(entries)[0], ranking_metric(entries)
    lines += ["", f"Metrics (final; * best by {by or '–'}):"]
    rows = [["status", *(_cell(e.get("status")) for e in entries)],
            ["epochs", *(_cell(e.get("epochs")) for e in entries)]]
    rows += [[m.removeprefix("final."), *(_cell(e.get(m)) for e in entries)] for m in metrics]
    header = ["metric", *(f"{label}{' *' if e is best else ''}"
                          for label, e in zip(labels, entries))]
    lines.append(markdown_table(header, rows))
    curves = {f"{label}: {e.get('experiment')}": read_columns(folder)
              for label, e, folder in zip(labels, entries, folders)}
    return "\n".join(lines), curves


def compare_command(argv: list[str]) -> int:
    """Prints the comparison and writes the plot; 0, or 1 after one `nnlite:` line."""
    args = compare_parser().parse_args(argv)
    missing = [str(f) for f in args.runs if not (f / "config.yaml").is_file()]
    if len(args.runs) < 2 or missing:
        what = f"not run folders (no config.yaml): {missing}" if missing else "only one run"
        print(f"nnlite: compare needs two or more run folders; {what}", file=sys.stderr)
        return 1
    text, curves = comparison(args.runs)
    print(text)
    if any(curves.values()):
        from nnlite.plots.compare import overlay_curves

        overlay_curves(args.output, {k: v for k, v in curves.items() if v},
                       "learning curves: " + ", ".join(k.split(":")[0] for k in curves))
        print(f"\nlearning curves overlaid in {args.output}")
    return 0
