"""docs/exercises.md shows what the commands print: every `$ python -m nnlite course ...`
on the page is run, in order, in one folder (with the files the page writes), and each
line the page shows must be in its output, in that order ("..." stands for lines left
out)."""

import re
import shlex
from pathlib import Path

from conftest import cli_in_process

PAGE = Path(__file__).resolve().parents[2] / "docs" / "exercises.md"


def test_every_command_on_the_page_prints_what_the_page_shows(tmp_path, monkeypatch, capsys):
    blocks = re.findall(r"```(\w+)\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)
    ran = 0
    for language, body in blocks:
        if language in ("python", "yaml") and body.startswith("# FILE: "):
            name = body.split("\n", 1)[0].removeprefix("# FILE: ").strip()
            (tmp_path / name).write_text(body, encoding="utf-8")
        if language != "console":
            continue
        for command in re.split(r"^\$ ", body, flags=re.M)[1:]:
            line, *shown = command.rstrip("\n").split("\n")
            words = shlex.split(line)
            assert words[:3] == ["python", "-m", "nnlite"], line
            code, err = cli_in_process(tmp_path, monkeypatch, *words[3:])
            printed = (capsys.readouterr().out + err).splitlines()
            assert code in (0, 1), (line, err)
            at = 0
            for want in (s for s in shown if s != "..."):
                assert want in printed[at:], f"{line}: {want!r} not printed (or out of order)"
                at = printed.index(want, at) + 1
            ran += 1
    assert ran >= 9
