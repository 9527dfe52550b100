"""`nnlite runs` (a table of runs and sweeps, best marked) and `nnlite compare`."""

import pytest
from conftest import composed

from nnlite.cli import compare_command, runs_command
from nnlite.runs.training.lifecycle import train

FAST = ("plots=false", "trainer.progress=false")


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """runs/ with two single runs (moons: lr 0.05 and 0.001) and one 3-job xor sweep."""
    root = tmp_path_factory.mktemp("catalog") / "runs"
    for stamp, lr in (("2026-01-01_10-00-00-000000", 0.05), ("2026-01-02_10-00-00-000000",
                                                             0.001)):
        train(composed("+experiment=moons", "trainer.epochs=15", f"optimizer.lr={lr}", *FAST),
              root / "moons" / stamp)
    sweep = root / "multirun" / "xor" / "2026-01-03_10-00-00-000000"
    for job, seed in enumerate((0, 1, 2)):
        (sweep / str(job) / ".hydra").mkdir(parents=True)
        train(composed("+experiment=xor", f"seed={seed}", "trainer.epochs=40", *FAST),
              sweep / str(job))
    return root


def test_copies_of_run_files_are_not_runs(tree, capsys):
    """MLflow's artifact store under runs/ holds config.yaml copies: not listed as runs."""
    import shutil

    copy = tree / "mlartifacts" / "1" / "abc" / "artifacts"
    shutil.copytree(next((tree / "moons").iterdir()), copy)
    try:
        rows = table_lines(capsys, str(tree))[1:-1]
    finally:
        shutil.rmtree(tree / "mlartifacts")
    assert len(rows) == 3 and not any("mlartifacts" in r for r in rows)


def table_lines(capsys, *argv):
    assert runs_command.runs_command([*argv]) == 0
    return capsys.readouterr().out.splitlines()


def test_the_table_lists_runs_and_sweeps_and_marks_the_best(tree, capsys):
    lines = table_lines(capsys, str(tree))
    header, rows, footer = lines[0], lines[1:-1], lines[-1]
    assert "experiment" in header and "status" in header and "folder" in header
    assert len(rows) == 3
    assert "xor (sweep, 3 jobs)" in rows[2] and "3 completed" in rows[2]
    best = [r for r in rows if r.startswith("*")]
    assert len(best) == 1 and footer.startswith("* best by ")


def test_sort_puts_the_best_first_and_marks_it(tree, capsys):
    rows = table_lines(capsys, str(tree), "--sort", "val_loss", "--filter", "experiment=moons")
    assert len(rows) == 4 and rows[1].startswith("*") and rows[-1] == "* best by final.val_loss"
    loss = [float(r.split()[r.split().index("completed") + 3]) for r in rows[1:3]]
    assert loss[0] <= loss[1]


def test_filter_by_a_config_key(tree, capsys):
    rows = table_lines(capsys, str(tree), "--filter", "optimizer.lr=0.001")
    assert len(rows) == 3 and "moons" in rows[1] and "2026-01-02" in rows[1]
    out = table_lines(capsys, str(tree), "--filter", "optimizer.lr=7")
    assert out == [f"no runs under {tree} matching the filters"]


def test_bad_arguments_end_with_one_line(tree, tmp_path, capsys):
    assert runs_command.runs_command([str(tmp_path / "nowhere")]) == 1
    assert runs_command.runs_command([str(tree), "--filter", "novalue"]) == 1
    assert runs_command.runs_command([str(tree), "--sort", "nosuch_metric"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3 and all(line.startswith("nnlite: ") for line in err)


def test_compare_shows_config_differences_metrics_and_one_plot(tree, tmp_path, capsys):
    a, b = sorted((tree / "moons").iterdir())
    out = tmp_path / "curves.png"
    assert compare_command.compare_command([str(a), str(b), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    diff = text[text.index("Config differences"):text.index("Metrics")]
    assert "| optimizer.lr | 0.05 | 0.001 |" in diff
    assert "seed" not in diff  # the same in both
    assert "| val_loss |" in text and text.count(" * ") + text.count(" *|") >= 1
    assert out.is_file() and out.stat().st_size > 10_000


def test_compare_needs_two_run_folders(tree, capsys):
    assert compare_command.compare_command([str(tree / "moons")]) == 1
    assert capsys.readouterr().err.startswith("nnlite: compare needs two or more")
