"""Reading a snapshot's approval facts: each root's genai.lock and approvers file, into Books."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..manifest import Manifest
from ..manifest_reader import Problem
from .book import Book, Signers
from .lock import LOCK_LIMIT, LOCK_NAME, LockInvalid, parse_lock
from .signatures import SIGNERS_LIMIT

Read = Callable[[Sequence[str], int], Mapping[str, "bytes | None"]]  # paths, limit -> contents (None: unreadable)
Existing = Callable[[Sequence[str]], Sequence[str]]  # paths -> those that are files of the snapshot


@dataclass(frozen=True)
class LockProblems:
    path: str
    problems: tuple[Problem, ...]


def lock_path(directory: str) -> str:
    return f"{directory}/{LOCK_NAME}" if directory else LOCK_NAME


def read_books(roots: Mapping[str, Manifest], nested: Sequence[str], read: Read, existing: Existing,
               approvers: tuple[str, bytes] | None) -> tuple[dict[str, Book], dict[str, LockProblems]]:
    """The Book of each root manifest (by directory), and the GAI001 problems of locks (by directory).

    A lock beside a nested manifest grants nothing and is GAI001: pins, like the register, are the
    root's. `approvers` (a file held outside the repository, `--approvers`) takes precedence over
    `[production] approvers`.
    """
    wanted = [lock_path(d) for d in list(roots) + list(nested)]
    found = set(existing(wanted)) if wanted else set()
    problems: dict[str, LockProblems] = {}
    for directory in nested:
        path = lock_path(directory)
        if path in found:
            problems[directory] = LockProblems(path, (Problem(1, "a genai.lock beside a nested manifest grants "
                                                              "nothing; pins belong beside the root manifest"),))
    signer_files = {d: _below(d, m.production.approvers) for d, m in roots.items()
                    if approvers is None and m.production is not None and m.production.approvers}
    texts = dict(read([lock_path(d) for d in roots if lock_path(d) in found], LOCK_LIMIT + 1))
    texts.update(read(sorted(set(signer_files.values())), SIGNERS_LIMIT + 1))
    books: dict[str, Book] = {}
    for directory, root in roots.items():
        book = Book(root)
        path = lock_path(directory)
        if path in found:
            data = texts.get(path)
            try:
                if data is None:
                    raise LockInvalid([Problem(1, f"the lock could not be read from the snapshot, or is over {LOCK_LIMIT >> 20} MiB")])
                book.lock = parse_lock(path, data)
            except LockInvalid as error:
                book.lock_invalid = True
                problems[directory] = LockProblems(path, tuple(error.problems))
            else:
                unknown = [b for b in book.lock.blocks if book.lookup(b.approval) is None]
                if unknown:
                    book.lock_invalid = True
                    problems[directory] = LockProblems(path, tuple(
                        Problem(b.line, f"[[approved]] pins approval '{b.approval}', which the register of "
                                        f"{root.path} does not hold") for b in unknown))
        if approvers is not None:
            book.signers = Signers.of(approvers[0], approvers[1])
        elif directory in signer_files:
            book.signers = Signers.of(signer_files[directory], texts.get(signer_files[directory]))
        books[directory] = book
    return books, problems


def _below(directory: str, relative: str) -> str:
    return f"{directory}/{relative}" if directory else relative
