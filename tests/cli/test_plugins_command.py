"""Plugins through the real command line: `python -m nnlite plugins`, the three ways a
plugin is found (entry point, `plugins:` in the run config, nl.plugins.register), and
plugin mistakes ending the run before it starts with one line naming the plugin."""

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import tomllib

import nnlite as nl
from nnlite.cli import exit_codes
from nnlite.cli.plugins_command import plugins_command
from nnlite.registry import KINDS

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "plugins"


def test_plugins_command_lists_every_name_with_plugin_and_file(capsys, monkeypatch, tmp_path):
    shutil.copy(PLUGINS / "swish.py", tmp_path / "swish.py")
    monkeypatch.chdir(tmp_path)
    try:
        assert plugins_command(["list", "swish.py"]) == 0
    finally:
        nl.plugins.unregister(nl.plugins.manager.get_plugin("swish.py"))
    lines = capsys.readouterr().out.splitlines()
    for kind in KINDS:
        assert f"{kind}:" in lines
    swish = next(line for line in lines if line.split()[:1] == ["swish"])
    assert swish.split()[1:] == ["swish.py", str(tmp_path / "swish.py")]
    relu = next(line for line in lines if line.split()[:1] == ["relu"])
    assert relu.split()[1:] == ["nnlite.builtins",
                                str(ROOT / "nnlite" / "plugins" / "builtins.py")]


def test_plugins_command_reports_a_broken_plugin_in_one_line(capsys, monkeypatch, tmp_path):
    (tmp_path / "broken.py").write_text("import torch_is_not_installed\n")
    monkeypatch.chdir(tmp_path)
    assert plugins_command(["broken.py"]) == exit_codes.PLUGIN
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("nnlite: plugin file 'broken.py' failed to import: "
                   "ModuleNotFoundError(\"No module named 'torch_is_not_installed'\")\n")
    assert plugins_command(["--help"]) == 0 and "usage: nnlite plugins" in capsys.readouterr().out


def test_console_script_dispatches_plugins_before_hydra(capsys, monkeypatch):
    import nnlite.cli

    monkeypatch.setattr(sys, "argv", ["nnlite", "plugins", "list"])
    with pytest.raises(SystemExit) as exit_:
        nnlite.cli.main()
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("activations:\n") and "\nschedules:\n" in out


# -- end to end through `python -m nnlite`, all runs started at once -------------------------

MISH = PLUGINS / "nnlite-mish"
QUICK = ["trainer.epochs=3", "trainer.progress=false", "trainer.target_metric=null"]


def fake_install(site: Path, pyproject: Path, module: str | None = None) -> None:
    """What `pip install` leaves for importlib.metadata to find: a dist-info folder with
    METADATA and entry_points.txt, the entry points copied from `pyproject` (or all pointed
    at `module`)."""
    project = tomllib.loads(pyproject.read_text())["project"]
    dist_info = site / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n")
    lines = [f"{name} = {module or value}"
             for name, value in project["entry-points"]["nnlite"].items()]
    (dist_info / "entry_points.txt").write_text("[nnlite]\n" + "\n".join(lines) + "\n")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip())


BROKEN_PLUGINS = {
    "broken.py": "import torch_is_not_installed\n",
    "wrong_signature.py": """
        import nnlite as nl

        @nl.hookimpl
        def nnlite_activations(registry):
            registry["cube"] = None
    """,
    "swish_again.py": """
        import nnlite as nl

        @nl.hookimpl
        def nnlite_activations():
            return {"swish": nl.activations.Tanh}
    """,
    "liar.py": """
        import nnlite as nl

        @nl.hookimpl
        def nnlite_activations():
            return {"liar": lambda: 42}
    """,
    "not_marked.py": """
        import nnlite as nl

        def nnlite_activations():  # @nl.hookimpl forgotten
            return {"cube": nl.activations.Tanh}
    """,
}

PLUGGED_EXPERIMENT = """
    # @package _global_
    # Every example plugin kind in one run, loaded by file path and by module name.
    defaults:
      - override /optimizer: adam
    name: plugged
    plugins: [plugins/layernorm.py, plugins/batchnorm.py, plugins/swish.py, plugins.huber,
              plugins.checkerboard, plugins/warmup_cosine.py, plugins/lecun_uniform.py]
    loss: huber
    data: {name: checkerboard, n_samples: 64, params: {tiles: 2}}
    model:
      weight_init: lecun_uniform
      layers:
        - {type: linear, out_features: 8}
        - {type: batchnorm1d}
        - {type: swish, beta: 2.0}
        - {type: linear, out_features: 6}
        - {type: layernorm}
        - {type: relu}
        - {type: linear, out_features: out}
    optimizer: {lr: 0.01}
    trainer:
      epochs: 3
      progress: false
      schedule: {name: warmup_cosine, params: {warmup: 1}}
"""


def scenarios(root: Path) -> dict[str, tuple[Path, list[str], dict[str, str]]]:
    """name -> (working directory, arguments after `python -m nnlite`, extra environment)."""
    installed = root / "installed"  # the example package, as if pip-installed
    fake_install(installed / "site", MISH / "pyproject.toml")
    package_env = {"PYTHONPATH": os.pathsep.join([str(installed / "site"), str(MISH / "src")])}
    broken_install = root / "broken_install"  # an installed package whose module is missing
    fake_install(broken_install / "site", MISH / "pyproject.toml", module="nnlite_mish_gone")
    broken_env = {"PYTHONPATH": str(broken_install / "site")}

    in_config = root / "in_config"  # plugins/ copied into the working directory
    shutil.copytree(PLUGINS, in_config / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    write(in_config / "configs" / "experiment" / "plugged.yaml", PLUGGED_EXPERIMENT)
    mistakes = root / "mistakes"
    shutil.copytree(PLUGINS, mistakes / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    for name, text in BROKEN_PLUGINS.items():
        write(mistakes / name, text)

    def mistake(*args: str) -> tuple[Path, list[str], dict[str, str]]:
        cwd = mistakes / f"{len(os.listdir(mistakes))}"
        cwd.mkdir()
        return cwd, ["+experiment=xor", *(a.replace("@", str(mistakes)) for a in args), *QUICK], {}

    return {
        "entry_point_run": (installed, ["+experiment=xor", "model.activation=mish", *QUICK],
                            package_env),
        "entry_point_list": (installed, ["plugins"], package_env),
        "config_override": (in_config, [
            "+experiment=xor", "plugins=[plugins/swish.py,plugins.lion,plugins/jsonl_logger.py]",
            "model.activation=swish", "optimizer.name=lion", "optimizer.lr=0.01", *QUICK], {}),
        "config_experiment": (in_config, ["+experiment=plugged"], {}),
        "fails_to_import": mistake("plugins=[@/broken.py]"),
        "wrong_signature": mistake("plugins=[@/wrong_signature.py]"),
        "two_give_one_name": mistake("plugins=[@/plugins/swish.py,@/swish_again.py]",
                                     "model.activation=swish"),
        "wrong_thing": mistake("plugins=[@/liar.py]", "model.activation=liar"),
        "not_marked": mistake("plugins=[@/not_marked.py]", "model.activation=cube"),
        "installed_fails": (broken_install, ["+experiment=xor", *QUICK], broken_env),
        "installed_fails_list": (broken_install, ["plugins"], broken_env),
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[subprocess.CompletedProcess, Path]]:
    """Every scenario's `python -m nnlite` process, started together (they are independent)."""
    root = tmp_path_factory.mktemp("plugin_runs")
    started = {}
    for name, (cwd, args, env) in scenarios(root).items():
        full_env = {**os.environ, "HYDRA_FULL_ERROR": "0", **env}
        started[name] = (subprocess.Popen([sys.executable, "-m", "nnlite", *args], cwd=cwd,
                                          env=full_env, stdout=subprocess.PIPE,
                                          stderr=subprocess.PIPE, text=True), args, cwd)
    done = {}
    for name, (process, args, cwd) in started.items():
        out, err = process.communicate(timeout=300)
        done[name] = (subprocess.CompletedProcess(args, process.returncode, out, err), cwd)
    return done


def only_run(cwd: Path, experiment: str) -> Path:
    found = [p.parent for p in (cwd / "runs" / experiment).glob("*/summary.json")]
    assert len(found) == 1, found
    return found[0]


def summary_of(run_dir: Path) -> dict:
    return json.loads((run_dir / "summary.json").read_text())


def test_installed_package_via_entry_point_trains(runs):
    result, cwd = runs["entry_point_run"]
    assert result.returncode == 0, result.stderr
    run_dir = only_run(cwd, "xor")
    assert summary_of(run_dir)["status"] == "completed" and summary_of(run_dir)["epochs"] == 3
    assert "activation: mish" in (run_dir / "config.yaml").read_text()


def test_installed_package_is_listed_with_its_package_and_file(runs):
    result, _ = runs["entry_point_list"]
    assert result.returncode == 0, result.stderr
    mish = next(line for line in result.stdout.splitlines() if line.split()[:1] == ["mish"])
    assert mish.split() == ["mish", "mish", "[nnlite-mish", "0.1.0]",
                            str(MISH / "src" / "nnlite_mish" / "__init__.py")]


def test_plugins_on_the_command_line_by_path_and_module_name(runs):
    result, cwd = runs["config_override"]
    assert result.returncode == 0, result.stderr
    run_dir = only_run(cwd, "xor")
    assert summary_of(run_dir)["status"] == "completed"
    config = (run_dir / "config.yaml").read_text()
    assert "activation: swish" in config and "name: lion" in config
    lines = (run_dir / "metrics.jsonl").read_text().splitlines()  # the event plugin ran
    assert [json.loads(line)["event"] for line in lines] == ["epoch"] * 3 + ["end"]


def test_plugins_in_an_experiment_file_reach_layers_loss_data_init_and_schedule(runs):
    result, cwd = runs["config_experiment"]
    assert result.returncode == 0, result.stderr
    run_dir = only_run(cwd, "plugged")
    summary = summary_of(run_dir)
    assert summary["status"] == "completed" and summary["epochs"] == 3
    # 2*8+8, batchnorm 2*8, 8*6+6, layernorm 2*6, 6*1+1
    assert summary["num_parameters"] == 24 + 16 + 54 + 12 + 7


@pytest.mark.parametrize("scenario,message", [
    ("fails_to_import", (r"nnlite: plugin file '.*/broken\.py' failed to import: "
                        r"ModuleNotFoundError\(\"No module named 'torch_is_not_installed'\"\)")),
    ("wrong_signature", (r"nnlite: plugin '.*/wrong_signature\.py': nnlite_activations\(registry\) "
                        r"asks for 'registry', which the hook does not pass; the hook is "
                        r"nnlite_activations\(\): it takes no arguments")),
    ("two_give_one_name", (r"nnlite: activation 'swish' is given by two plugins: "
                          r"'.*/plugins/swish\.py' \(.*swish\.py\) and '.*/swish_again\.py' "
                          r"\(.*swish_again\.py\)")),
    ("wrong_thing", (r"nnlite: activation 'liar' from plugin '.*/liar\.py' returned int, not an "
                    r"nnlite\.Module \(in .*liar\.py\)")),
    ("not_marked", (r"nnlite: plugin '.*/not_marked\.py': nnlite_activations is not marked "
                   r"@nl\.hookimpl, so nnlite would never call it; put @nl\.hookimpl above it")),
    ("installed_fails", (r"nnlite: plugin 'mish' \(entry point 'nnlite_mish_gone' of package "
                        r"nnlite-mish 0\.1\.0\) failed to import: ModuleNotFoundError\(.*\)")),
    ("installed_fails_list", (r"nnlite: plugin 'mish' \(entry point 'nnlite_mish_gone' of package "
                             r"nnlite-mish 0\.1\.0\) failed to import: ModuleNotFoundError\(.*\)")),
])
def test_a_plugin_mistake_stops_the_run_before_it_starts(runs, scenario, message):
    result, cwd = runs[scenario]
    assert result.returncode == exit_codes.PLUGIN, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and re.fullmatch(message, lines[0]), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    written = [p for name in ("config.yaml", "metrics.csv", "summary.json", "model.npz")
               for p in (cwd / "runs").glob(f"*/*/{name}")]
    assert written == [], written
