"""Reading a file nobody checked, within bounds: what it declares is checked against what
it holds before anything is allocated, so a crafted file of a few kilobytes cannot ask
for gigabytes, hang a parser or run code.

    bounded_npz   an .npz: zip members' headers, declared array sizes against the bytes
                  stored, decompressed sizes and compression ratios, before any array is read
    bounded_json  JSON of at most a size and a nesting depth
    bounded_yaml  YAML of at most a size, without aliases (an alias bomb is a few lines)
    bounded_text  text of at most a size

Every refusal is a `BoundsError` (a ValueError) saying what is wrong; callers name the
file. No pickle is ever loaded.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

MAX_TEXT = 4 * 2**20          # a config, a summary, a run's info: far less
MAX_DEPTH = 32                # nesting of a JSON or YAML document nnlite writes: 4
MAX_MEMBER = 2**31            # bytes of one array of an .npz
MAX_TOTAL = 2**32             # bytes of all arrays of an .npz, decompressed
MAX_RATIO = 200               # decompressed / compressed; real weights compress ~1.1x
SMALL = 2**20                 # below this many bytes a member may compress as it likes
MAX_MEMBERS = 100_000


class BoundsError(ValueError):
    """A file holds, or declares, more than a reader accepts, or is not what it claims."""


def bounded_text(path: Path, limit: int = MAX_TEXT) -> str:
    path = Path(path)
    size = path.stat().st_size
    if size > limit:
        raise BoundsError(f"{size} bytes, more than the {limit} this file may hold")
    with path.open("rb") as f:
        data = f.read(limit + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BoundsError(f"not UTF-8 text ({err.reason} at byte {err.start})") from None


def json_depth(text: str) -> int:
    """The deepest nesting of [ and { in JSON text (brackets inside strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def bounded_json(path: Path, limit: int = MAX_TEXT, max_depth: int = MAX_DEPTH) -> Any:
    text = bounded_text(path, limit)
    if json_depth(text) > max_depth:
        raise BoundsError(f"nested deeper than {max_depth} levels")
    try:
        return json.loads(text)
    except ValueError as err:
        raise BoundsError(f"not readable JSON ({err})") from None


def bounded_yaml(path: Path, limit: int = MAX_TEXT, max_depth: int = MAX_DEPTH) -> Any:
    """safe_load (no Python objects), refusing aliases and deep nesting before any
    document is built: a few lines of nested aliases expand to gigabytes."""
    import yaml

    text = bounded_text(path, limit)
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise BoundsError("holds a YAML alias (*name); nnlite writes none")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > max_depth:
                    raise BoundsError(f"nested deeper than {max_depth} levels")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise BoundsError(f"not readable YAML ({' '.join(str(err).split())})") from None


def npy_header(member: Any) -> tuple[tuple[int, ...], bool, np.dtype, int]:
    """(shape, Fortran order, dtype, header length) of the .npy in an open zip member, from
    its header alone: numpy's own parser, with the errors a damaged header raises made one."""
    try:
        version = np.lib.format.read_magic(member)
        reader = {(1, 0): np.lib.format.read_array_header_1_0,
                  (2, 0): np.lib.format.read_array_header_2_0}.get(version)
        if reader is None:
            raise BoundsError(f"an .npy format {version} nnlite does not read")
        shape, fortran, dtype = reader(member, max_header_size=10_000)
    except BoundsError:
        raise
    except Exception as err:  # ValueError, SyntaxError, tokenize's TokenError, EOFError...
        raise BoundsError(f"a damaged .npy header ({type(err).__name__}: "
                          f"{' '.join(str(err).split())[:120]})") from None
    if dtype.hasobject:
        raise BoundsError("an array of Python objects (pickle), which nnlite never loads")
    return tuple(int(n) for n in shape), bool(fortran), dtype, member.tell()


def bounded_npz(path: Path, max_total: int = MAX_TOTAL) -> dict[str, np.ndarray]:
    """Every array of an .npz, each checked from its header before it is read."""
    path = Path(path)
    if not zipfile.is_zipfile(path):
        raise BoundsError("not an .npz archive (a zip of .npy arrays)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = _checked_members(archive, max_total)
            return {name: _read_member(archive, *member) for name, member in members.items()}
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as err:
        raise BoundsError(f"a damaged archive ({' '.join(str(err).split())[:120]})") from None


def _checked_members(archive: zipfile.ZipFile, max_total: int) -> dict[str, tuple]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BoundsError(f"{len(infos)} members, more than {MAX_MEMBERS}")
    total, members = 0, {}
    for info in infos:
        if not info.filename.endswith(".npy"):
            raise BoundsError(f"member {info.filename[:60]!r} is not an .npy array")
        size = info.file_size
        if size > MAX_MEMBER or (size > SMALL and size > MAX_RATIO * max(info.compress_size, 1)):
            raise BoundsError(f"member {info.filename[:60]!r} decompresses to {size} bytes "
                              f"from {info.compress_size}: not the weights nnlite writes")
        total += size
        if total > max_total:
            raise BoundsError(f"its arrays decompress to more than {max_total} bytes")
        with archive.open(info) as member:
            shape, fortran, dtype, offset = npy_header(member)
        declared = int(np.prod(shape, dtype=np.float64)) * dtype.itemsize
        if declared != size - offset:
            raise BoundsError(f"member {info.filename[:60]!r} declares {shape} {dtype} "
                              f"({declared} bytes) but stores {size - offset}")
        members[info.filename[:-4]] = (info, shape, fortran, dtype, offset)
    return members


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shape: tuple[int, ...],
                 fortran: bool, dtype: np.dtype, offset: int) -> np.ndarray:
    with archive.open(info) as member:
        member.read(offset)
        data = member.read()
    array = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return array.copy()  # writable, and not a view of the file's bytes
