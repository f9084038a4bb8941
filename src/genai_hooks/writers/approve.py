"""`genai-hooks approve ID [PATH...]`: pin what an approval was given for, print its payload, sign it (SPEC §14).

Blob ids come from the snapshot (the index, or `--rev`); the register and the lock are the working-tree
files the approver is about to commit. Nothing is staged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..approvals.lock import (
    LOCK_LIMIT,
    LOCK_NAME,
    Lock,
    LockInvalid,
    Pins,
    parse_lock,
    render_lock,
    with_pins,
)
from ..approvals.signatures import payload, sign
from ..errors import UsageError
from ..gitcmd import GitRepository
from ..manifest import Approval, Manifest, ManifestInvalid, parse_manifest
from ..paths import MANIFEST_NAME, repository_paths
from ..snapshot import Snapshot, open_snapshot
from .files import replace_atomically, set_approval_keys


@dataclass(frozen=True)
class Request:
    approval_id: str
    paths: tuple[str, ...]
    rev: str | None
    show_payload: bool
    sign_with: str | None
    principal: str | None
    replace: bool


def approve(repo: str, cwd: str, request: Request) -> str:
    """Carry out one `approve` request; what to tell the user."""
    repository = GitRepository(repo)
    try:
        snapshot = open_snapshot(repository, request.rev)
        given = repository_paths(repository.toplevel, list(request.paths), cwd) if request.paths else []
        root_dir = _root_directory(repository.toplevel, snapshot, given)
        root = _working_root(repository.toplevel, root_dir)
        approval = _register_entry(root, request.approval_id)
        lock_file = os.path.join(repository.toplevel, *([*root_dir.split("/"), LOCK_NAME] if root_dir else [LOCK_NAME]))
        lock = _working_lock(lock_file, root_dir)
        said: list[str] = []
        if given:
            files = _pins_for(snapshot, given, root_dir)
            blocks = with_pins(lock, approval.id, files, replace=request.replace)
            replace_atomically(lock_file, render_lock(blocks).encode("utf-8"))
            lock = Lock(lock.path if lock else LOCK_NAME, root_dir, tuple(blocks))
            where = os.path.relpath(lock_file, cwd)
            said.append(f"pinned {len(files)} file{'s' if len(files) != 1 else ''} for approval {approval.id} "
                        f"in {where}; review it and commit it with the files (nothing was staged)")
            if approval.signature and not request.sign_with:
                said.append(f"the signature of {approval.id} covers its old pins: have an approver re-sign it "
                            f"(genai-hooks approve {approval.id} --sign-with KEY --principal NAME)")
        block = lock.block(approval.id) if lock is not None else None
        signed = payload(approval, block)
        if request.sign_with:
            principal = request.principal or _git_email(repository)
            signature = sign(request.sign_with, signed)
            manifest_file = os.path.join(repository.toplevel, *root.path.split("/"))
            with open(manifest_file, "rb") as stream:
                text = stream.read()
            replace_atomically(manifest_file, set_approval_keys(text, approval.id, principal, signature))
            said.append(f"signed approval {approval.id} as {principal} in {os.path.relpath(manifest_file, cwd)}; "
                        "review it and commit it (nothing was staged)")
        if request.show_payload:
            return signed.decode("utf-8", "surrogateescape")
        if not said:
            raise UsageError("name the files approval covers (approve ID PATH...), or ask for --payload or --sign-with")
        return "".join(f"genai-hooks: {line}\n" for line in said)
    finally:
        repository.close()


def _root_directory(toplevel: str, snapshot: Snapshot, given: list[str]) -> str:
    """The directory of the root manifest governing the named paths (or the repository's root manifest)."""
    start = given[0] if given else ""
    parts = start.split("/") if start else []
    for depth in range(len(parts) + 1):
        directory = "/".join(parts[:depth])
        manifest = f"{directory}/{MANIFEST_NAME}" if directory else MANIFEST_NAME
        if snapshot.existing([manifest]) or os.path.isfile(os.path.join(toplevel, *manifest.split("/"))):
            return directory
    raise UsageError(f"no genai.toml governs {start or 'the repository root'}; a register lives in the root manifest")


def _working_root(toplevel: str, directory: str) -> Manifest:
    path = f"{directory}/{MANIFEST_NAME}" if directory else MANIFEST_NAME
    try:
        with open(os.path.join(toplevel, *path.split("/")), "rb") as stream:
            data = stream.read(LOCK_LIMIT)
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None
    try:
        return parse_manifest(path, data, is_root=True)
    except ManifestInvalid as error:
        first = error.problems[0]
        raise UsageError(f"{path}:{first.line}: {first.message}; correct the root manifest first") from None


def _register_entry(root: Manifest, approval_id: str) -> Approval:
    for approval in root.approvals or ():
        if approval.id == approval_id:
            return approval
    known = ", ".join(a.id for a in root.approvals or ()) or "none"
    raise UsageError(f"approval {approval_id!r} is not in the register of {root.path} (known: {known}); add an "
                     "[[approvals]] entry for it first")


def _working_lock(lock_file: str, directory: str) -> Lock | None:
    if not os.path.lexists(lock_file):
        return None
    path = f"{directory}/{LOCK_NAME}" if directory else LOCK_NAME
    if not os.path.isfile(lock_file) or os.path.islink(lock_file):
        raise UsageError(f"{path} is not a regular file; genai-hooks approve writes only a regular genai.lock")
    with open(lock_file, "rb") as stream:
        data = stream.read(LOCK_LIMIT + 1)
    try:
        return parse_lock(path, data)
    except LockInvalid as error:
        first = error.problems[0]
        raise UsageError(f"{path}:{first.line}: {first.message}; correct the lock first (nothing was written)") from None


def _pins_for(snapshot: Snapshot, given: list[str], root_dir: str) -> dict[str, str]:
    """Path relative to the root manifest -> blob id, for every named file (a directory names what is below it)."""
    prefix = root_dir + "/" if root_dir else ""
    files: dict[str, str] = {}
    for path in given:
        if prefix and not path.startswith(prefix):
            raise UsageError(f"{path}: outside {root_dir}/, which the root manifest governs")
        found = snapshot.object_ids([path])[path]
        below = [] if found is not None else [p for p in snapshot.below(path) if p != path]
        if found is None and not below:
            where = "the index" if snapshot.commit is None else f"commit {snapshot.commit[:12]}"
            raise UsageError(f"{path}: not a file of {where}; stage it (git add) before approving it")
        ids = {path: found} if found is not None else snapshot.object_ids(below)
        for file, blob in ids.items():
            if blob is None:
                continue
            try:
                file.encode("utf-8")
            except UnicodeEncodeError:
                raise UsageError(f"{file!r}: its name is not UTF-8 and cannot be written into genai.lock") from None
            files[file[len(prefix):]] = blob
    return files


def _git_email(repository: GitRepository) -> str:
    found = repository.try_run("config", "user.email")
    email = found.decode("utf-8", "replace").strip() if found else ""
    if not email:
        raise UsageError("say who signs: --principal NAME (a principal of the approvers file)")
    return email


__all__ = ["Pins", "Request", "approve"]
