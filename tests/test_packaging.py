"""The basics of a package, and install hints that cannot fetch the unrelated PyPI
project named `nnlite`: every `pip install` in the repository installs from a path
(the checkout, `.`, `./plugins/...`), with `--no-deps`, or names another package."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("README.md", "CHANGELOG.md", "docs", "configs", "plugins", "benchmarks", "nnlite",
           ".ci")
BY_NAME = re.compile(r"""^['"]?nnlite(\[[^\]]*\])?([<>=!~].*)?['"]?$""")


def files() -> list[Path]:
    found = []
    for name in SCANNED:
        path = ROOT / name
        found += [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return [p for p in found if p.suffix in {".md", ".py", ".yaml", ".toml", ""}
            and "__pycache__" not in p.parts]


def install_commands(text: str) -> list[str]:
    return re.findall(r"pip install([^`\n;&|)]*)", text)


def test_no_install_hint_resolves_nnlite_by_name():
    bad = []
    for path in files():
        for command in install_commands(path.read_text(errors="replace")):
            words = command.split()
            if any(BY_NAME.match(word) for word in words):
                bad.append(f"{path.relative_to(ROOT)}: pip install{command}")
    assert not bad, "install hints that would fetch PyPI's unrelated nnlite:\n" + "\n".join(bad)


def test_the_checker_catches_a_hint_by_name():
    for hint in ("pip install 'nnlite[digits]'", "pip install nnlite", "pip install nnlite==0.1"):
        assert any(BY_NAME.match(w) for c in install_commands(hint) for w in c.split()), hint
    for hint in ('pip install -e ".[sweep]"', "pip install --no-deps ./plugins/nnlite-mish"):
        assert not any(BY_NAME.match(w) for c in install_commands(hint) for w in c.split())


def test_license_changelog_and_py_typed_are_there():
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text()
    assert (ROOT / "nnlite" / "py.typed").is_file()


def test_readme_says_where_nnlite_comes_from_and_which_pythons():
    text = (ROOT / "README.md").read_text()
    assert "unrelated project" in text
    assert "Python 3.10 to 3.13" in text
    assert 'requires-python = ">=3.10"' in (ROOT / "pyproject.toml").read_text()


def test_every_docs_page_is_in_the_site_and_every_nav_entry_exists():
    import yaml

    site = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    pages = [next(iter(entry.values())) for entry in site["nav"]]
    assert all((ROOT / "docs" / page).is_file() for page in pages), pages
    assert sorted(p.name for p in (ROOT / "docs").glob("*.md")) == sorted(pages)
    assert "mkdocs build --strict" in (ROOT / ".ci" / "run").read_text()
    api = (ROOT / "docs" / "api.md").read_text()
    assert "::: nnlite.cli.notebook.run" in api and "::: nnlite.runs.prediction.Predictor" in api
