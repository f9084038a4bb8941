"""Progress of a long check: one line on stderr, rewritten in place, when stderr is a terminal (or asked for).

A check that ends within a second prints nothing: pre-commit runs stay quiet. The line is cleared
before any output is written, so findings never share a line with it.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

_DELAY = 1.0  # seconds before the first line: quick checks show nothing
_INTERVAL = 0.2  # seconds between updates


class Progress:
    def __init__(self, enabled: bool = False, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self._start = time.monotonic()
        self._last = 0.0
        self._shown = False

    def step(self, what: str, done: int, total: int | None = None) -> None:
        """Say how far `what` got; cheap enough to call every few thousand files."""
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._start < _DELAY or now - self._last < _INTERVAL:
            return
        self._last = now
        count = f"{done:,}/{total:,}" if total else f"{done:,}"
        self.stream.write(f"\r\033[Kgenai-hooks: {what} {count}")
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._shown = False


_current = [Progress()]


def progress() -> Progress:
    """The progress of the check under way (silent unless the command line turned it on)."""
    return _current[0]


def show_progress(enabled: bool) -> Progress:
    _current[0] = Progress(enabled)
    return _current[0]
