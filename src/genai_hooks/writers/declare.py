"""`genai-hooks declare PATH... --tool ID`: append the [[generated]] entry that declares files, as
`reuse annotate` writes headers.

The entry goes at the end of the manifest governing the paths (the nearest genai.toml above them, or
`--manifest`), rendered by tomlkit, a frame sequence collapsed into one pattern. Every other byte of
the file stays as it was (its line endings too), the result is validated before it replaces the
file atomically, and nothing is staged: the user reviews and commits it.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Sequence
from dataclasses import dataclass

import tomlkit

from ..chains import ManifestSet
from ..declaration import literal, patterns_for, token_pattern
from ..errors import UsageError
from ..gitcmd import GitRepository
from ..manifest import Manifest, ManifestInvalid, parse_manifest
from ..manifest_tables import GeneratedEntry
from ..paths import MANIFEST_NAME, repository_paths
from ..patterns import approval_matches
from ..sequences import FRAME_TOKEN, expand_frames
from ..snapshot import open_snapshot
from .files import replace_atomically

MANIFEST_LIMIT = 4 << 20  # as chains.MANIFEST_LIMIT: a manifest larger than this is not read


@dataclass(frozen=True)
class Declared:
    manifest: str  # repository path of the genai.toml written
    line: int  # line of the new [[generated]] header
    entry: str  # the entry as written
    unstaged: bool  # the manifest had edits not staged before this one
    written: bool = True  # False: an entry of the manifest already declared the paths so, and nothing was written


def declare(given: Sequence[str], *, tool: str, approval: str | None, purpose: str | None, manifest: str | None,
            repo: str | None, cwd: str) -> Declared:
    repository = GitRepository(repo or cwd)
    try:
        top = repository.toplevel
        paths = repository_paths(top, list(given), cwd)
        snapshot = open_snapshot(repository, None)
        staged = set(snapshot.existing(paths))
        files: list[str] = []
        directories: list[str] = []
        sequences: dict[str, list[str]] = {}  # a path holding frame tokens -> the staged frames it names
        for path, shown in zip(paths, given):
            if path in staged:
                files.append(path)
            elif not path or os.path.isdir(_local(top, path)) or snapshot.below(path):
                directories.append(path)
            elif os.path.lexists(_local(top, path)):
                files.append(path)
            elif FRAME_TOKEN.search(posixpath.basename(path)) and (named := expand_frames(snapshot, path)):
                sequences[path] = named  # sky.####.exr, as GAI301's fix writes it: the frames it names are staged
            else:
                raise UsageError(f"{shown}: not in the snapshot (index) or the working tree")
        target = _target(top, paths, manifest, cwd)
        blob = snapshot.blobs([target]).get(target)
        staged_copy = next((data for _, data, _ in repository.read_objects([blob[0]], MANIFEST_LIMIT)), None) \
            if blob is not None else None
    finally:
        repository.close()
    base = posixpath.dirname(target)
    chain = _chain_on_disk(top, base)
    _check_ids(chain, base, tool, approval)
    offset = len(base) + 1 if base else 0
    below = [literal(d[offset:]) + "/**" if d != base else "**" for d in directories]
    patterns = patterns_for(files, base) + [token_pattern(p[offset:]) for p in sequences] + below
    local = _local(top, target)
    old = _read_target(local, target)
    patterns = list(dict.fromkeys(patterns))
    entry = _entry(patterns, tool, approval, purpose)
    concrete = files + [frame for named in sequences.values() for frame in named]
    same = _same_entry(chain.valid.get(base), concrete, below, tool, approval, purpose)
    if same is not None:  # run twice (or after a hand edit), declare adds no second entry
        return Declared(target, same.line, entry, staged_copy is not None and staged_copy != old, written=False)
    newline = "\r\n" if b"\r\n" in old else "\n"
    text = old.decode("utf-8")
    prefix = "" if not text else (newline if text.endswith("\n") else newline * 2)
    new = text + prefix + entry.replace("\n", newline)
    dirs = chain.chain_dirs(base)
    _validate(target, new, not dirs or dirs[0] == base)
    with open(local, "rb") as current:  # an editor may have saved it since: never overwrite their edit
        if current.read(len(old) + 1) != old:
            raise UsageError(f"{target} changed while the entry was being written; nothing written, run again")
    replace_atomically(local, new.encode("utf-8"))
    line = text.count("\n") + prefix.count("\n") + 1
    return Declared(target, line, entry, staged_copy is not None and staged_copy != old)


def _same_entry(manifest: Manifest | None, files: Sequence[str], directories: Sequence[str], tool: str,
                approval: str | None, purpose: str | None) -> GeneratedEntry | None:
    """An entry of the manifest that already declares every file (and directory pattern) with this tool, approval
    and purpose."""
    for entry in manifest.generated if manifest is not None else ():
        if (entry.tool == tool and entry.approvals == ((approval,) if approval else ()) and entry.purpose == purpose
                and set(directories) <= set(entry.paths)
                and all(any(p.matches(f) for p in entry.patterns) for f in files)):
            return entry
    return None


def _local(top: str, path: str) -> str:
    return os.path.join(top, *path.split("/")) if path else top


def _target(top: str, paths: Sequence[str], manifest: str | None, cwd: str) -> str:
    """The manifest the entry goes in: `--manifest`, which must govern every path, else the nearest above them."""
    common = posixpath.commonpath([posixpath.dirname(p) if p else "" for p in paths]) if paths else ""
    if manifest is not None:
        [chosen] = repository_paths(top, [manifest], cwd)
        if posixpath.basename(chosen) != MANIFEST_NAME:
            raise UsageError(f"--manifest {manifest}: not a {MANIFEST_NAME}")
        home = posixpath.dirname(chosen)
        if home and not all(p == home or p.startswith(home + "/") for p in paths):
            raise UsageError(f"--manifest {manifest} does not govern every path given (it governs {home}/ and "
                             "below); name a manifest above them all")
        if not os.path.lexists(_local(top, chosen)):
            raise UsageError(f"--manifest {manifest}: no such file; `genai-hooks init` writes one")
        return chosen
    parts = common.split("/") if common else []
    for depth in range(len(parts), -1, -1):
        candidate = "/".join([*parts[:depth], MANIFEST_NAME])
        if os.path.lexists(_local(top, candidate)):
            return candidate
    raise UsageError(f"no {MANIFEST_NAME} governs {paths[0] or '.'}; write one with `genai-hooks init`")


def _chain_on_disk(top: str, directory: str) -> ManifestSet:
    """The manifests from the root down to `directory`, as they are on disk (what the user is editing)."""
    parts = directory.split("/") if directory else []
    texts: dict[str, bytes | None] = {}
    for depth in range(len(parts) + 1):
        path = "/".join([*parts[:depth], MANIFEST_NAME])
        local = _local(top, path)
        if os.path.isfile(local):
            with open(local, "rb") as stream:
                texts[path] = stream.read(MANIFEST_LIMIT + 1)
    return ManifestSet.load({p: (d if d is not None and len(d) <= MANIFEST_LIMIT else None)
                             for p, d in texts.items()})


def _check_ids(chain: ManifestSet, directory: str, tool: str, approval: str | None) -> None:
    """The tool must be declared in the chain, the approval in the root's register; else exit 2 naming them."""
    for invalid in chain.invalid.values():
        first = invalid.problems[0]
        raise UsageError(f"{invalid.path} is invalid (line {first.line}: {first.message}); correct it first")
    tools = sorted({t.id for m in chain.chain(directory) for t in m.tools})
    if tool not in tools:
        raise UsageError(f"unknown tool {tool!r}; the manifests above declare: "
                         + (", ".join(tools) if tools else "none (declare it in a [tools.ID] table first)"))
    if approval is None:
        return
    root: Manifest | None = chain.root_of(directory)
    register = root.approvals if root is not None else None
    pattern = root.production.approval_pattern if root is not None and root.production else None
    if root is not None and root.approvals_mode == "external" and pattern is not None:
        if not approval_matches(pattern, approval):  # approvals kept outside: the pattern is all there is to check
            raise UsageError(f"approval {approval!r} does not match the production's approval_pattern {pattern!r}")
        return
    if register is None:
        raise UsageError(f"approval {approval!r} cannot be checked: "
                         f"{root.path if root else MANIFEST_NAME} keeps no [[approvals]] register; add an "
                         "[[approvals]] entry for it to the root manifest first"
                         + (f" (approval_pattern {pattern!r})" if pattern else ""))
    known = [a.id for a in register]
    if approval not in known:
        raise UsageError(f"unknown approval {approval!r}; the register of {root.path if root else ''} holds: "
                         + (", ".join(known) if known else "none"))


def _read_target(local: str, shown: str) -> bytes:
    try:
        status = os.lstat(local)
    except OSError as error:
        raise UsageError(f"{shown}: {error.strerror}") from None
    if stat.S_ISLNK(status.st_mode):
        raise UsageError(f"{shown} is a symbolic link; declare writes only a regular file (edit its target)")
    if not stat.S_ISREG(status.st_mode):
        raise UsageError(f"{shown} is not a regular file")
    if not status.st_mode & 0o222 or not os.access(local, os.W_OK):  # no write bit: read-only, even to root
        raise UsageError(f"{shown} is read-only; nothing written")
    with open(local, "rb") as stream:
        data = stream.read(MANIFEST_LIMIT + 1)
    if len(data) > MANIFEST_LIMIT:
        raise UsageError(f"{shown} is larger than {MANIFEST_LIMIT >> 20} MiB; nothing written")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{shown} is not UTF-8 text; nothing written") from None
    return data


def _entry(patterns: Sequence[str], tool: str, approval: str | None, purpose: str | None) -> str:
    table = tomlkit.table()
    table.add("paths", list(patterns))
    table.add("tool", tool)
    if purpose is not None:
        table.add("purpose", purpose)
    if approval is not None:
        table.add("approval", approval)
    entries = tomlkit.aot()
    entries.append(table)
    document = tomlkit.document()
    document.append("generated", entries)
    return tomlkit.dumps(document)


def _validate(path: str, text: str, is_root: bool) -> None:
    """The manifest as it would be written must parse, and validate as it did before."""
    try:
        tomlkit.parse(text)
        parse_manifest(path, text.encode("utf-8"), is_root=is_root)
    except ManifestInvalid as error:
        raise UsageError(f"the entry would make {path} invalid ({error}); nothing written") from None
    except tomlkit.exceptions.ParseError as error:
        raise UsageError(f"the entry would make {path} unreadable ({error}); nothing written") from None
