"""Plugins through the real command line: `python -m nnlite plugins`, the three ways a
plugin is found (entry point, `plugins:` in the run config, nl.plugins.register), and
plugin mistakes ending the run before it starts with one line naming the plugin."""

import shutil
from pathlib import Path

import nnlite as nl
from nnlite.plugins import command
from nnlite.registry import KINDS

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = ROOT / "plugins"


def test_plugins_command_lists_every_name_with_plugin_and_file(capsys, monkeypatch, tmp_path):
    shutil.copy(PLUGINS / "swish.py", tmp_path / "swish.py")
    monkeypatch.chdir(tmp_path)
    try:
        assert command(["list", "swish.py"]) == 0
    finally:
        nl.plugins.unregister(nl.plugins.manager.get_plugin("swish.py"))
    lines = capsys.readouterr().out.splitlines()
    for kind in KINDS:
        assert f"{kind}:" in lines
    swish = next(line for line in lines if line.split()[:1] == ["swish"])
    assert swish.split()[1:] == ["swish.py", str(tmp_path / "swish.py")]
    relu = next(line for line in lines if line.split()[:1] == ["relu"])
    assert relu.split()[1:] == ["nnlite.builtin.activations",
                                str(ROOT / "nnlite" / "builtin" / "activations.py")]


def test_plugins_command_reports_a_broken_plugin_in_one_line(capsys, monkeypatch, tmp_path):
    (tmp_path / "broken.py").write_text("import torch_is_not_installed\n")
    monkeypatch.chdir(tmp_path)
    assert command(["broken.py"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("nnlite: plugin file 'broken.py' failed to import: "
                   "ModuleNotFoundError(\"No module named 'torch_is_not_installed'\")\n")
    assert command(["--help"]) == 0 and "usage: nnlite plugins" in capsys.readouterr().out
