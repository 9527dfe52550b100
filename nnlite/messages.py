"""How an error reaches a user: one line. Every tier words its failures this way, so a
message read back from a file, a YAML parser or Hydra looks the same on the command line."""

from __future__ import annotations


def one_line(err: BaseException | str) -> str:
    """A possibly multi-line error message as one line, without Hydra's listing of its
    config search path."""
    text = str(err).split("Config search path:")[0]
    return " ".join(text.split())
