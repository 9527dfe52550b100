"""docs/plugins.md stays true: every hook of nnlite/hookspecs.py documented with its
signature, the walk-through's code runs and fails as it says, every kit check described,
and the README's Plugins section points to the guide."""

import inspect
import re
import sys
from pathlib import Path

import pytest

import nnlite as nl
from nnlite import hookspecs, testing
from nnlite.plugins.manager import HOOK_NAMES

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "plugins.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", GUIDE.read_text(), flags=re.DOTALL)


def block_with(text: str) -> str:
    (block,) = [b for b in python_blocks() if text in b]
    return block


def test_every_hook_is_documented_with_its_signature():
    headings = re.findall(r"^### `(nnlite_\w+)\((.*?)\)`$", GUIDE.read_text(), flags=re.MULTILINE)
    documented = dict(headings)
    assert sorted(documented) == HOOK_NAMES, "docs/plugins.md and nnlite/hookspecs.py differ"
    for name, arguments in documented.items():
        spec = inspect.signature(getattr(hookspecs, name))
        assert arguments == ", ".join(spec.parameters), name


def test_every_kit_check_is_documented():
    text = GUIDE.read_text()
    for check in testing.CHECKS.values():
        assert f"`{check.__name__}(" in text, check.__name__
    for name in ("parametrize_entries", "check_entry", "check_kwargs"):
        assert name in text


@pytest.fixture
def walk_through(tmp_path, monkeypatch):
    """The walk-through's two files, written where the reader would put them."""
    (tmp_path / "softsign.py").write_text(block_with("class Softsign"))
    (tmp_path / "test_softsign.py").write_text(block_with("def test_softsign_conforms"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    plugin = nl.plugins.manager.get_plugin("softsign.py")
    if plugin is not None:
        nl.plugins.unregister(plugin)
    for module in ("softsign", "test_softsign"):
        sys.modules.pop(module, None)


def test_the_walk_through_plugin_passes_its_test_and_works_in_a_model(walk_through):
    namespace = {}
    exec(compile((walk_through / "test_softsign.py").read_text(), "test_softsign.py", "exec"),
         namespace)
    namespace["test_softsign_conforms"]()
    exec(compile(block_with('nl.plugins.load("softsign.py")'), "usage", "exec"), namespace)
    assert type(namespace["model"][1]).__name__ == "Softsign"


def test_the_walk_through_failure_message_is_the_real_one(walk_through):
    broken = block_with("class Softsign").replace("(1.0 - np.abs(y)) ** 2", "1.0 - np.abs(y)")
    namespace = {}
    exec(compile(broken, "softsign.py", "exec"), namespace)
    with pytest.raises(AssertionError) as err:
        testing.check_activation(namespace["Softsign"])
    documented = re.search(r"    AssertionError: (.*)", GUIDE.read_text()).group(1)
    assert str(err.value) == documented


def test_readme_plugins_section_links_the_guide():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Plugins", 1)[1].split("\n## ", 1)[0]
    assert "docs/plugins.md" in section
