"""`nnlite.report` over several sweeps or a folder of single runs; the best row marked;
learning curves overlaid as mean ± std over seeds."""

import csv
import statistics

import yaml
from conftest import composed

from nnlite.cli import report_command
from nnlite.runs.training.lifecycle import train

FAST = ("plots=false", "trainer.progress=false", "trainer.epochs=12")


def make_sweep(folder, lrs, seeds=(0, 1)):
    """A sweep folder as Hydra leaves it: numbered jobs, each with .hydra/overrides.yaml."""
    job = 0
    for lr in lrs:
        for seed in seeds:
            overrides = ["+experiment=moons", f"optimizer.lr={lr}", f"seed={seed}"]
            (folder / str(job) / ".hydra").mkdir(parents=True)
            (folder / str(job) / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(overrides))
            train(composed(*overrides, *FAST), folder / str(job))
            job += 1
    return folder


def read_rows(folder):
    with open(folder / "summary.csv", newline="") as f:
        return list(csv.DictReader(f))


def best_lr(rows):
    by_lr = {}
    for row in rows:
        by_lr.setdefault(row["axis.optimizer.lr"], []).append(float(row["final.val_loss"]))
    return min(by_lr, key=lambda lr: statistics.fmean(by_lr[lr]))


def test_two_sweeps_are_summarised_together_and_the_best_row_is_marked(tmp_path, capsys):
    a = make_sweep(tmp_path / "multirun" / "moons" / "a", [0.1])
    b = make_sweep(tmp_path / "multirun" / "moons" / "b", [0.001])
    out = tmp_path / "together"
    assert report_command.report_command([str(a), str(b), "-o", str(out)]) == 0
    rows = read_rows(out)
    assert len(rows) == 4 and {r["folder"] for r in rows} == {
        str(a / "0"), str(a / "1"), str(b / "0"), str(b / "1")}
    table = (out / "summary.md").read_text()
    marked = [line for line in table.splitlines() if line.endswith("| * |")]
    assert len(marked) == 1 and f"| {best_lr(rows)} |" in marked[0]
    assert "best (*): the lowest mean final.val_loss" in table
    assert (out / "curves_val_loss.png").stat().st_size > 10_000


def test_a_folder_of_single_runs_is_summarised(tmp_path):
    runs = tmp_path / "runs" / "moons"
    for stamp, lr in (("t1", 0.1), ("t2", 0.001)):
        overrides = ["+experiment=moons", f"optimizer.lr={lr}"]
        (runs / stamp / ".hydra").mkdir(parents=True)
        (runs / stamp / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(overrides))
        train(composed(*overrides, *FAST), runs / stamp)
    assert report_command.report_command([str(runs)]) == 0
    rows = read_rows(runs)  # the summary goes in the folder given
    assert sorted(r["axis.optimizer.lr"] for r in rows) == ["0.001", "0.1"]
    assert all(r["experiment"] == "moons" for r in rows)
