"""`genai.lock`: the content each approval was given for, as blob ids (SPEC §14).

The file is written by `genai-hooks approve` in one canonical form (blocks in the order of approval
ids, files sorted by path, one per line, no timestamps), so two branches that re-pin different
approvals merge without conflict. Paths are relative to the lock's directory, the root manifest's.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..manifest_reader import Problem
from ..paths import unsafe_path
from ..toml_lines import scan

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

LOCK_NAME = "genai.lock"
LOCK_LIMIT = 8 << 20  # a bigger lock is refused (GAI001): some 80,000 pins; split the approval
HEADER = "# genai.lock — written by `genai-hooks approve`; reviewed like the root manifest\n"
_OBJECT_ID = re.compile(r"\A(?:[0-9a-f]{40}|[0-9a-f]{64})\Z")


def is_lock(path: str) -> bool:
    return path.endswith(LOCK_NAME) and path.rpartition("/")[2] == LOCK_NAME


class LockInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Pins:
    """One approval's block: the files it was given for, (path relative to the lock, blob id), sorted."""

    approval: str
    line: int
    files: tuple[tuple[str, str], ...]

    @property
    def digest(self) -> str:
        """What a signature over the approval commits to (the payload's `pins=`): empty when nothing is pinned."""
        if not self.files:
            return ""
        lines = "".join(f"{path}\t{blob}\n" for path, blob in sorted(self.files))
        return hashlib.sha256(lines.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True)
class Lock:
    path: str  # repository path of the genai.lock
    directory: str  # its directory ("" for the repository root)
    blocks: tuple[Pins, ...]

    def block(self, approval_id: str) -> Pins | None:
        for block in self.blocks:
            if block.approval == approval_id:
                return block
        return None

    def pinned(self, approval_id: str) -> dict[str, str] | None:
        """Repository path -> blob id of the files `approval_id` was given for; None when it pins nothing."""
        block = self.block(approval_id)
        if block is None or not block.files:
            return None
        prefix = self.directory + "/" if self.directory else ""
        return {prefix + path: blob for path, blob in block.files}


def parse_lock(path: str, data: bytes) -> Lock:
    """Parse and validate a genai.lock; raise LockInvalid with every problem found."""
    directory = path.rpartition("/")[0]
    if len(data) > LOCK_LIMIT:
        raise LockInvalid([Problem(1, f"the lock is {len(data) >> 20} MiB, over the {LOCK_LIMIT >> 20} MiB "
                                      "genai-hooks reads; split the approval into several")])
    try:
        text = data.decode("utf-8")
        document = tomllib.loads(text)
    except UnicodeDecodeError as error:
        raise LockInvalid([Problem(1, f"not UTF-8 text ({error.reason} at byte {error.start})")]) from None
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        raise LockInvalid([Problem(int(found.group(1)) if found else 1, f"invalid TOML: {error}")]) from None
    except RecursionError:
        raise LockInvalid([Problem(1, "invalid TOML: arrays nested too deeply")]) from None
    lines = scan(text)
    problems: list[Problem] = []
    for key in document:
        if key not in ("version", "approved"):
            problems.append(Problem(lines.key_line(None, key, 1), f"unknown key '{key}' in genai.lock "
                                    "(it holds `version` and [[approved]] blocks)"))
    if document.get("version", 1) != 1 or isinstance(document.get("version"), bool):
        problems.append(Problem(lines.key_line(None, "version", 1), "version must be 1"))
    body = document.get("approved", [])
    blocks: list[Pins] = []
    if not isinstance(body, list):
        problems.append(Problem(1, "approved must be an array of tables: [[approved]]"))
        body = []
    seen: dict[str, int] = {}
    for index, table in enumerate(body):
        header = lines.array_item(("approved",), index)
        line = header.line if header else 1
        block = _block(table, index, line, problems)
        if block is None:
            continue
        if block.approval in seen:
            problems.append(Problem(line, f"approval '{block.approval}' has two [[approved]] blocks "
                                          f"(the first at line {seen[block.approval]})"))
            continue
        seen[block.approval] = line
        blocks.append(block)
    if problems:
        raise LockInvalid(sorted(problems, key=lambda p: p.line))
    return Lock(path, directory, tuple(blocks))


def _block(table: Any, index: int, line: int, problems: list[Problem]) -> Pins | None:
    where = f"[[approved]] #{index + 1}"
    if not isinstance(table, dict):
        problems.append(Problem(line, f"{where} must be a table"))
        return None
    before = len(problems)
    for key in table:
        if key not in ("approval", "files"):
            problems.append(Problem(line, f"unknown key '{key}' in {where} (it holds `approval` and `files`)"))
    approval = table.get("approval")
    if not isinstance(approval, str) or not approval.strip():
        problems.append(Problem(line, f"{where} needs `approval`, the id of a register approval"))
    files = table.get("files", [])
    pairs: dict[str, str] = {}
    if not isinstance(files, list):
        problems.append(Problem(line, f"`files` in {where} must be a list of [path, blob id] pairs"))
        files = []
    for pair in files:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(v, str) for v in pair)):
            problems.append(Problem(line, f"`files` in {where} must be a list of [path, blob id] pairs"))
            break
        pinned, blob = pair
        why = unsafe_path(pinned)
        if why is not None:
            problems.append(Problem(line, f"{where} pins {json.dumps(pinned)}: {why}"))
        elif not _OBJECT_ID.match(blob):
            problems.append(Problem(line, f"{where} pins {json.dumps(pinned)} to {json.dumps(blob[:80])}, "
                                          "which is not a git object id"))
        elif pinned in pairs:
            problems.append(Problem(line, f"{where} pins {json.dumps(pinned)} twice"))
        else:
            pairs[pinned] = blob
    if len(problems) > before:
        return None
    assert isinstance(approval, str)
    return Pins(approval, line, tuple(sorted(pairs.items())))


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, but for DEL, which TOML wants escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def render_lock(blocks: Iterable[Pins]) -> str:
    """The canonical text of a lock holding `blocks` (in the order of approval ids, files sorted by path)."""
    out = [HEADER, "version = 1\n"]
    for block in sorted(blocks, key=lambda b: b.approval):
        out.append(f"\n[[approved]]\napproval = {_toml_string(block.approval)}\nfiles = [\n")
        out.extend(f"  [{_toml_string(path)}, \"{blob}\"],\n" for path, blob in sorted(block.files))
        out.append("]\n")
    return "".join(out)


def with_pins(lock: Lock | None, approval_id: str, files: Mapping[str, str], *, replace: bool) -> list[Pins]:
    """The blocks of `lock` after pinning `files` (relative path -> blob id) for `approval_id`: added to its pins,
    or instead of them with `replace`; every other block as it was."""
    blocks = {b.approval: b for b in (lock.blocks if lock is not None else ())}
    old = blocks.get(approval_id)
    merged = {} if replace or old is None else dict(old.files)
    merged.update(files)
    blocks[approval_id] = Pins(approval_id, 0, tuple(sorted(merged.items())))
    return list(blocks.values())
