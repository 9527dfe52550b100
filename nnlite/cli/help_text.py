"""The options part of `python -m nnlite --help`: every config key with its value and
the comment that explains it, taken from the YAML file that sets it (configs/) or, for
keys no YAML sets, from the schema's own comment (runs/config/schema.py).

Hydra's `$CONFIG` prints the composed config without comments; this renders the same
config, one `key: value  # why` line per option.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

from nnlite.cli.paths import config_dir
from nnlite.nested import flatten
from nnlite.runs.config import schema

# dataclass -> where its fields live in the config
SECTIONS = {schema.Config: "", schema.DataConfig: "data.", schema.ModelConfig: "model.",
            schema.OptimizerConfig: "optimizer.", schema.TrainerConfig: "trainer.",
            schema.EarlyStoppingConfig: "trainer.early_stopping.",
            schema.ScheduleConfig: "trainer.schedule.", schema.ReportConfig: "report."}
MAX_WIDTH = 44  # longer key: value lines push only their own comment right
LINE = re.compile(r"^(\s*)([\w]+):(.*?)(?:\s+#\s*(.*))?$")


def yaml_comments(path: Path, prefix: str) -> dict[str, str]:
    """key path -> the trailing comment on its line, for a YAML file placed at `prefix`."""
    comments, stack = {}, []  # stack: (indent, key) of the enclosing mappings
    for line in path.read_text().splitlines():
        found = LINE.match(line)
        if not found or line.lstrip().startswith("#"):
            continue
        indent = len(found.group(1))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        key = prefix + ".".join([k for _, k in stack] + [found.group(2)])
        if found.group(4):
            comments[key] = found.group(4).strip()
        stack.append((indent, found.group(2)))
    return comments


def schema_comments() -> dict[str, str]:
    comments = {}
    for cls, prefix in SECTIONS.items():
        for line in inspect.getsource(cls).splitlines():
            found = re.match(r"^\s+(\w+): [^#]*#\s*(.*)$", line)
            if found:
                comments[prefix + found.group(1)] = found.group(2).strip()
    return comments


def comments_for(choices: dict[str, Any]) -> dict[str, str]:
    """Every known comment: the schema's, then config.yaml's, then the chosen group
    files' (`choices`: group -> option, as Hydra composed them)."""
    root = config_dir()
    found = schema_comments()
    found.update(yaml_comments(root / "config.yaml", ""))
    for group, option in choices.items():
        path = root / group / f"{option}.yaml"
        if isinstance(option, str) and path.is_file() and "/" not in group:
            found.update(yaml_comments(path, f"{group}."))
    return found


def options(config: dict[str, Any], choices: dict[str, Any]) -> str:
    """`key: value  # comment` for every option of the composed config."""
    flat = flatten({k: v for k, v in config.items() if k != "hydra"}, keep_empty=True)
    comments = comments_for(choices)
    texts = {key: f"{key}: {_yaml(value)}" for key, value in flat.items()}
    width = min(max(map(len, texts.values())), MAX_WIDTH)
    lines = []
    for key, text in texts.items():
        note = comments.get(key)
        lines.append(f"  {text.ljust(width)}  # {note}" if note else f"  {text}")
    return "\n".join(lines)


def _yaml(value: Any) -> str:
    """A value as it is typed on the command line: null, true, [8, 8], text."""
    import json

    if value is None or isinstance(value, (bool, list, dict)):
        return json.dumps(value).replace('"', "")
    return str(value)
