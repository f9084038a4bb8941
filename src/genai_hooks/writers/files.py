"""Writing into a repository's working tree: atomically, keeping every byte a command does not mean to change."""

from __future__ import annotations

import os
import tempfile
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from ..errors import UsageError


def replace_atomically(path: str, data: bytes) -> None:
    """Write `path` whole or not at all, keeping an existing file's permissions (the umask's for a new one)."""
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.islink(path):
        raise UsageError(f"{path} is a symbolic link; genai-hooks writes only regular files")
    try:
        mode = os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0o022)
        os.umask(umask)
        mode = 0o666 & ~umask
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=".genai-hooks-", dir=directory)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as error:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None


def set_approval_keys(text: bytes, approval_id: str, signed_by: str, signature: str) -> bytes:
    """The root manifest's text with `signed_by` and `signature` set in the register entry `approval_id`; every
    other line as it was (tomlkit keeps comments and layout)."""
    try:
        document = tomlkit.parse(text.decode("utf-8"))
    except (UnicodeDecodeError, TOMLKitError) as error:
        raise UsageError(f"cannot edit the root manifest: {error}") from None
    entries: Any = document.get("approvals")
    for entry in entries or ():
        if entry.get("id") == approval_id:
            entry["signed_by"] = signed_by
            entry["signature"] = tomlkit.string(signature, multiline=True)
            newline = "\r\n" if b"\r\n" in text else "\n"
            out = tomlkit.dumps(document)
            if newline == "\r\n":
                out = out.replace("\r\n", "\n").replace("\n", "\r\n")
            return out.encode("utf-8")
    raise UsageError(f"approval {approval_id!r} is not in the register")
