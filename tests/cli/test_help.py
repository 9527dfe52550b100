"""`python -m nnlite --help`: every option with the comment that explains it, each
experiment listed once (a user's own too)."""

import subprocess
import sys


def help_text(cwd, *args):
    done = subprocess.run([sys.executable, "-m", "nnlite", *args, "--help"], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_options_carry_their_yaml_and_schema_comments(tmp_path):
    out = help_text(tmp_path)
    lines = {line.split(":")[0].strip(): line for line in out.splitlines() if "  # " in line}
    assert "# null: the whole training set each step" in lines["trainer.batch_size"]  # YAML
    assert "# inverted dropout after each hidden activation" in lines["model.dropout"]  # schema
    assert "trainer.early_stopping.monitor" in lines  # nested keys by their full path


def test_an_experiment_s_values_are_shown(tmp_path):
    out = help_text(tmp_path, "+experiment=moons")
    assert "data.val_fraction: 0.25" in out and "# held out to show generalisation" in out


def test_each_experiment_is_listed_once_with_the_user_s_own(tmp_path):
    (tmp_path / "configs" / "experiment").mkdir(parents=True)
    (tmp_path / "configs" / "experiment" / "mine.yaml").write_text(
        "# @package _global_\nname: mine\n")
    out = help_text(tmp_path)
    assert out.count("vanishing_gradients") == 1 and out.count("mine") == 1
