"""The README's promises: its Python examples run, and its two set-up commands are the
ones CI runs."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


@pytest.fixture(scope="module")
def directory_with_a_run(tmp_path_factory):
    """Some examples read runs/xor/: run the README's first command's job there first."""
    import subprocess
    import sys

    cwd = tmp_path_factory.mktemp("readme")
    subprocess.run([sys.executable, "-m", "nnlite", "+experiment=xor"], cwd=cwd, check=True,
                   capture_output=True, timeout=300)
    return cwd


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_readme_python_example_runs(index, directory_with_a_run, monkeypatch):
    monkeypatch.chdir(directory_with_a_run)
    code = python_blocks()[index]
    exec(compile(code, f"README.md python block {index}", "exec"), {"__name__": "readme"})


def test_plain_python_training_loop_is_short_and_learns_xor(capsys):
    loop = next(code for code in python_blocks() if "for step in range" in code)
    assert len([line for line in loop.splitlines() if line.strip()]) <= 20
    exec(compile(loop, "README training loop", "exec"), {"__name__": "readme"})
    assert "predictions [0 1 1 0]" in capsys.readouterr().out


def test_readme_starts_with_the_two_commands_ci_runs():
    text = README.read_text()
    commands = re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)[:2]
    assert "pip install -e \".[dev]\"" in commands[0]
    assert commands[0].endswith("python -m nnlite +experiment=xor")
    assert commands[1] == "python -m pytest -q"
    ci = (README.parent / ".ci" / "run").read_text()
    assert 'pip install -q -e ".[dev]"' in ci and "python -m nnlite +experiment=xor" in ci
    assert "python -m pytest -q" in ci
