"""PyTorch checkpoints (`.ckpt`, `.pt`, `.pth`, `.bin`): the zip of `torch.save`, and its legacy pickle form.

The zip holds `<archive>/data.pkl` (the pickled object, stored uncompressed), `<archive>/data/0`,
`/data/1`... (tensor storages) and `<archive>/version`; `<archive>` is the stem of the name the
file was saved under. Only the central directory and the start of `data.pkl` are read; pickles
are scanned for the callables they import, never loaded.
"""

from __future__ import annotations

import re

from genai_hooks.models.facts import ModelFacts, Rank, listing
from genai_hooks.models.pickles import PickleImports, pickle_imports
from genai_hooks.models.zipdir import LOCAL, CentralDirectory, ZipMember, central_directory, member_data
from genai_hooks.provenance.reader import BoundedReader, MediaError

MARGIN = 1024  # budget kept back for a local header before a pickle is read
BOMB_RATIO = 100  # a member claiming this many times its compressed size (and over 1 MiB) is a bomb
# torch.save's legacy format starts with this number, pickled (protocol 2: LONG1 of 10 bytes)
LEGACY_MAGIC = b"\x8a\x0a" + (0x1950A86A20F9469CFC6C).to_bytes(10, "little")
LEGACY_PICKLES = 5  # magic number, protocol version, system info, the object, its storage keys
_STORAGE = re.compile(r"data/\d+")
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


def claims_zip(prefix: bytes) -> bool:
    return prefix.startswith(LOCAL)


def claims_legacy(prefix: bytes) -> bool:
    return prefix[:1] == b"\x80" and LEGACY_MAGIC in prefix[:32]


def read_zip(reader: BoundedReader, facts: ModelFacts, named: bool) -> None:
    try:
        directory = central_directory(reader)
    except MediaError:
        if named:  # a zip named for PyTorch whose directory cannot be read: not shown to be anything else
            facts.recognise()
        raise
    pickles = sorted(
        (m for m in directory.members if m.name.endswith("/data.pkl")), key=lambda m: m.name.count("/")
    )  # the archive's own, not an extra file's
    if not pickles:
        if named and not directory.complete:
            facts.recognise()
            facts.not_read(f"only {len(directory.members)} of {directory.declared} zip members listed")
        return
    facts.recognise()
    _describe_archive(directory, pickles[0], facts)
    if not directory.complete:
        facts.not_read(f"only {len(directory.members)} of {directory.declared} zip members listed")
    _scan_pickle(reader, pickles[0], facts)


def read_legacy(reader: BoundedReader, facts: ModelFacts, named: bool) -> None:
    facts.recognise()
    facts.add(Rank.STRUCTURE, "legacy torch.save serialization (a pickle stream, not a zip)")
    length = min(reader.available, reader.remaining)
    _describe_imports(pickle_imports(reader.read(0, length), LEGACY_PICKLES), facts)


def _describe_archive(directory: CentralDirectory, pickle: ZipMember, facts: ModelFacts) -> None:
    unsafe = [m.name for m in directory.members if _unsafe(m.name)]
    if unsafe:
        facts.add(
            Rank.ALARM, "zip member names that escape the archive", listing([repr(n) for n in unsafe], 3)
        )
    bombs = [
        m for m in directory.members if m.size > 1 << 20 and m.size > BOMB_RATIO * max(1, m.compressed_size)
    ]
    if bombs:
        worst = max(bombs, key=lambda m: m.size)
        facts.add(
            Rank.ALARM,
            f"zip bomb: {len(bombs)} member(s) claim far more than they hold "
            f"({worst.name!r}: {worst.size} bytes from {worst.compressed_size})",
        )
    archive = pickle.name[: -len("/data.pkl")]
    facts.add(Rank.IDENTITY, "saved as", repr(archive) if _unsafe(archive) else archive)
    if archive != "archive":  # what torch.save names an archive written to a buffer, not a file
        facts.name_is(archive.rpartition("/")[2])
    inside = [m.name[len(archive) + 1 :] for m in directory.members if m.name.startswith(archive + "/")]
    if any(name.startswith("code/") for name in inside) or "constants.pkl" in inside:
        facts.add(Rank.IDENTITY, "TorchScript module (the archive carries code)")
    extra = [name[len("extra/") :] for name in inside if name.startswith("extra/") and len(name) > 6]
    if extra:
        facts.add(Rank.TRAINING, "extra files", listing(extra))
    storages = sum(1 for name in inside if _STORAGE.fullmatch(name))
    facts.add(Rank.STRUCTURE, "tensor storages", storages)
    compressed = [m.name for m in directory.members if m.method != 0 and "/code/" not in m.name]
    if compressed:
        facts.add(Rank.STRUCTURE, "compressed members (torch.save stores them)", listing(compressed, 3))


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or bool(_DRIVE.match(name)) or ".." in parts or "\x00" in name


def _scan_pickle(reader: BoundedReader, pickle: ZipMember, facts: ModelFacts) -> None:
    if pickle.method != 0:
        facts.not_read("data.pkl is compressed (torch.save stores it): its imports were not scanned")
        return
    data = member_data(reader, pickle, max(0, reader.remaining - MARGIN))
    _describe_imports(pickle_imports(data), facts)


def _describe_imports(found: PickleImports, facts: ModelFacts) -> None:
    if found.runs_code:
        facts.add(Rank.ALARM, "pickle imports callables that run code on load", listing(found.runs_code, 4))
    if found.names:
        facts.add(Rank.STRUCTURE, "pickle imports", listing(found.names, 8))
    if not found.complete:  # a call that runs code may hide in the part not scanned
        facts.not_read(
            "the pickle is cut short, damaged or past the read budget: its imports were not all scanned"
        )
