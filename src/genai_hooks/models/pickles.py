"""What a pickle imports, read from its opcodes (`pickletools.genops`): nothing is loaded or called.

A pickle names every callable it will call on load by GLOBAL/INST (module and name in the
argument) or STACK_GLOBAL (the two strings pushed before it, possibly fetched from the memo).
"""

from __future__ import annotations

import io
import pickletools
import struct

_STRINGS = frozenset(
    {"STRING", "BINSTRING", "SHORT_BINSTRING", "UNICODE", "BINUNICODE", "SHORT_BINUNICODE", "BINUNICODE8"}
)
_PUTS = frozenset({"PUT", "BINPUT", "LONG_BINPUT"})
_GETS = frozenset({"GET", "BINGET", "LONG_BINGET"})
# Callables that run code, reach the system or the network when a pickle calls them on load.
_CODE_MODULES = frozenset(
    {"os", "posix", "nt", "subprocess", "sys", "socket", "shutil", "runpy", "pty", "commands", "webbrowser",
     "importlib", "pickle", "_pickle", "marshal", "ctypes", "code", "codeop", "multiprocessing", "asyncio",
     "urllib", "http", "ftplib", "smtplib", "telnetlib", "requests", "pdb", "bdb", "timeit", "cProfile",
     "profile", "platform", "tempfile", "glob", "signal", "threading", "_thread", "types",
     "operator"}
)  # fmt: skip
_CODE_BUILTINS = frozenset(
    {"eval", "exec", "execfile", "compile", "open", "__import__", "getattr", "setattr", "delattr", "input",
     "breakpoint", "globals", "locals", "vars", "apply", "file", "reload"}
)  # fmt: skip


class PickleImports:
    def __init__(self) -> None:
        self.names: list[str] = []  # `module.name`, in the order first imported
        self.complete = True  # False when a pickle ended early (damaged, or cut at the read limit)

    def add(self, module: str, name: str) -> None:
        qualified = f"{module.strip()}.{name.strip()}"
        if qualified not in self.names:
            self.names.append(qualified)

    @property
    def runs_code(self) -> list[str]:
        return [name for name in self.names if runs_code(name)]


def runs_code(qualified: str) -> bool:
    module, _, name = qualified.rpartition(".")
    top = module.partition(".")[0]
    if top in ("builtins", "__builtin__", "__builtins__"):
        return name in _CODE_BUILTINS
    return top in _CODE_MODULES


def pickle_imports(data: bytes, count: int = 1) -> PickleImports:
    """The imports of the `count` pickles at the start of `data`, read one after another."""
    found = PickleImports()
    start = 0
    for _ in range(count):
        end = _scan(data, start, found) if start < len(data) else None
        if end is None:  # cut short, damaged, or fewer pickles than the format writes
            found.complete = False
            break
        start = end
    return found


def _scan(data: bytes, start: int, found: PickleImports) -> int | None:
    """Scan one pickle from `start`; where the next begins, or None when it is cut short or damaged."""
    memo: dict[int, str | None] = {}
    recent: list[str | None] = []  # the last two values pushed, strings or None
    stream = io.BytesIO(data)
    stream.seek(start)
    try:
        for opcode, argument, position in pickletools.genops(stream):
            name = opcode.name
            if name in ("GLOBAL", "INST") and isinstance(argument, str):
                module, _, attribute = argument.partition(" ")
                found.add(module, attribute)
                pushed: str | None = None
            elif name == "STACK_GLOBAL":
                if len(recent) == 2 and recent[0] is not None and recent[1] is not None:
                    found.add(recent[0], recent[1])
                pushed = None
            elif name in _STRINGS:
                pushed = argument if isinstance(argument, str) else None
                if isinstance(argument, bytes):
                    pushed = argument.decode("latin-1")
            elif name in _PUTS and isinstance(argument, int):
                memo[argument] = recent[-1] if recent else None
                continue
            elif name == "MEMOIZE":
                memo[len(memo)] = recent[-1] if recent else None
                continue
            elif name in _GETS and isinstance(argument, int):
                pushed = memo.get(argument)
            elif name == "STOP":
                return stream.tell()
            elif name in ("PROTO", "FRAME", "MARK"):
                continue
            else:
                pushed = None
            recent = [*recent[-1:], pushed]
    except (ValueError, EOFError, struct.error, OverflowError, IndexError, KeyError, TypeError):
        pass  # a damaged or cut pickle: the imports found before the damage stand
    return None
