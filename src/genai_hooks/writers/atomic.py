"""Replace a file atomically, and only if nobody changed it since it was read."""

from __future__ import annotations

import os
import stat
import tempfile

from ..errors import UsageError


def replace_text(path: str, expected: bytes, data: bytes) -> None:
    """Write `data` to `path` through a temporary file beside it, keeping its permissions; a reader sees the old
    file or the new one, never half. If `path` no longer holds `expected`, nothing is written."""
    directory = os.path.dirname(path) or "."
    mode = stat.S_IMODE(os.stat(path).st_mode)
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=".genai-hooks-", dir=directory)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        with open(path, "rb") as current:
            if current.read(len(expected) + 1) != expected:
                raise UsageError(f"{path} changed while it was being edited; nothing written, run again")
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}; nothing written") from None
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
