"""Which content is judged (the index or a commit): its files, their ids and sizes, found in as few git commands
as the question allows."""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Collection, Iterable, Sequence

from .early import EarlyListing
from .errors import UsageError
from .gitcmd import GitRepository, decode_paths
from .listing import GITLINK, SYMLINK, Listing, at_or_below, holders_in, parse_listing
from .paths import GITMODULES, INDEX_LOOKUPS_MAX, extension
from .revisions import head_commit, resolve_commit

_TREE_LOOKUPS_MAX = 1_000  # beyond this, reading the index (or listing a commit) beats walking trees
_TREE_LISTINGS_MAX = 64  # directories listed with ls-tree pathspecs; git matches each entry against each
_PRUNED_FOLDERS_MAX = 4_096  # folders given to one ls-tree -r (1,000 folders of a 1M-file show: 0.23 s)
_TREE_DIRECTORIES_MAX = 3_000  # the same, to look files up: 2,500 directories take 0.05 s, 10,000 take 0.8 s


class Snapshot:
    """The files of the index or of one commit, without submodules.

    A check of given paths never lists the whole snapshot: it looks paths up one batch at a
    time (`cat-file --batch-check`), so a 10,000-file commit in a million-file repository
    costs what those files cost. The full listing (paths with their object ids, see
    listing.py) is read only when asked for.
    """

    def __init__(self, repository: GitRepository, commit: str | None) -> None:
        self.repository = repository
        self.commit = commit  # None: the index
        self._listing: Listing | None = None
        self._ids: dict[str, str | None] = {}  # path -> object id; None: not a file of the snapshot
        self._info: dict[str, tuple[str, int] | None] = {}  # object id -> (type, size)
        self._gitlinks: frozenset[str] | None = None  # submodule paths (a gitlink we hold looks like a file)
        self._modes: dict[str, str] = {}  # path -> git mode, where a diff told it (symlinks, gitlinks)
        self._same_as: str | None = None  # a commit equal to the index outside the paths seeded from a diff
        self._ending: dict[tuple[tuple[str, ...], bool], list[str]] = {}  # (endings, any case) -> files
        self._below: dict[str, list[str]] = {}  # directory -> files below it, when not listed
        self._early: EarlyListing | None = None  # files of some kinds in the index, listed early (cli.py)

    @property
    def label(self) -> str:
        return self.commit or "index"

    @property
    def listed(self) -> bool:
        return self._listing is not None

    @property
    def listing(self) -> Listing:
        """Every file with its object id (read on first use)."""
        if self._listing is None:
            if self.commit is None:
                chunks = self.repository.stream("ls-files", "--stage", "-z")
            else:
                chunks = self.repository.stream("ls-tree", "-r", "-z", "--full-tree", self.commit)
            self._listing = parse_listing(chunks, tree=self.commit is not None)
            self._gitlinks = self._listing.gitlinks
        return self._listing

    @property
    def paths(self) -> list[str]:
        """Every file, sorted (read on first use)."""
        return self.listing.paths

    @property
    def gitlinks(self) -> frozenset[str]:
        """Submodule paths: from the listing, else `.gitmodules` and what diffs said."""
        if self._listing is not None:
            return self._listing.gitlinks
        if self._gitlinks is None:
            self._lookup([GITMODULES])
        declared = self._gitlinks or frozenset()
        return declared | {p for p, mode in self._modes.items() if mode == GITLINK}

    def is_symlink(self, path: str) -> bool | None:
        """Whether `path` is a symbolic link in the snapshot; None when not known without a listing."""
        if self._listing is not None:
            return path in self._listing.symlinks
        mode = self._modes.get(path)
        return None if mode is None else mode == SYMLINK

    def symlinks_among(self, paths: Sequence[str]) -> set[str]:
        """Which of a few `paths` are symbolic links: known ones from the listing or a diff, the rest asked of git in
        one command (callers keep `paths` few: git matches every entry against every pathspec)."""
        found = {p for p in paths if self.is_symlink(p)}
        unknown = [p for p in paths if self.is_symlink(p) is None]
        if unknown:
            specs = [":(literal)" + p for p in unknown]
            if self.commit is None:
                raw = self.repository.run("ls-files", "--stage", "-z", "--", *specs)
            else:
                raw = self.repository.run("ls-tree", "-z", "--full-tree", self.commit, "--", *specs)
            for record in decode_paths(raw):
                meta, _, path = record.partition("\t")
                mode = meta.split(" ", 1)[0]
                self._modes[path] = mode
                if mode == SYMLINK:
                    found.add(path)
        return found

    def holders(self, object_ids: Collection[str]) -> dict[str, list[str]]:
        """The files holding each of these object ids (id -> paths, sorted): from the listing when it is read, else
        from a raw listing scanned for the ids alone, a tenth of what parsing every path costs."""
        if self._listing is not None:
            found: dict[str, list[str]] = {}
            for position in self._listing.holding(object_ids):
                if self._listing.paths[position] not in self._listing.conflicted:  # no one blob, as the raw scan says
                    found.setdefault(self._listing.id_at(position), []).append(self._listing.paths[position])
            return found
        command = ("ls-files", "--stage", "-z") if self.commit is None else ("ls-tree", "-r", "-z", "--full-tree",
                                                                               self.commit)
        return holders_in(self.repository.stream(*command), tree=self.commit is not None, object_ids=object_ids)

    def object_id(self, path: str) -> str | None:
        """The blob id of a file of the snapshot (None: no such file)."""
        return self._lookup([path])[path]

    def object_ids(self, paths: Sequence[str]) -> dict[str, str | None]:
        """The blob id of each path (None: not a file of the snapshot), in one lookup."""
        return self._lookup(paths)

    def _lookup(self, paths: Sequence[str]) -> dict[str, str | None]:
        if self._listing is not None:
            return self._listed_ids(paths)
        todo = [p for p in dict.fromkeys(paths) if p not in self._ids]
        if todo:
            if self._gitlinks is None and GITMODULES in self._ids:  # seeded from a diff
                self._gitlinks = frozenset(_submodule_paths(self.repository, self._ids[GITMODULES]))
            if self._gitlinks is None:  # in the same batch: every git command reads the whole index again
                todo.append(GITMODULES)
        # `REV:path` walks trees (~0.1 ms a path); `:path` reads the whole index first (~0.15 s for a million)
        by_tree = self.commit or self._same_as
        if by_tree is not None and len(todo) > _TREE_LOOKUPS_MAX:
            if self._from_directories(by_tree, todo):
                return {p: self._ids.get(p) for p in paths}
            if self.commit is None:
                by_tree = None  # the index equals HEAD here, and one read of it is cheaper than many tree walks
        if len(todo) > (INDEX_LOOKUPS_MAX if by_tree is None else _TREE_LOOKUPS_MAX):
            return self._listed_ids(paths)
        if todo:
            if by_tree is None:
                self.seed(self.repository.object_ids([f":{p}" for p in todo], todo))
            else:  # a tree path may name a directory: only blobs are files (their sizes come along)
                found = self.repository.objects([f"{by_tree}:{p}" for p in todo], todo)
                self._info.update((f[1], (f[0], f[2])) for f in found.values() if f is not None)
                self.seed({p: f[1] if f is not None and f[0] == "blob" else None for p, f in found.items()})
        return {p: self._ids.get(p) for p in paths}

    def _listed_ids(self, paths: Sequence[str]) -> dict[str, str | None]:
        listing = self.listing
        return {p: None if p in listing.conflicted else listing.object_id(p) for p in paths}

    def _in_directories(self, tree: str, directories: Iterable[str], *options: str) -> list[str]:
        """`git ls-tree` records of what lies directly inside each directory of `tree` ("" = its root): one
        command for them all (git matches each entry against each pathspec: callers keep them few)."""
        wanted = set(directories)
        records: list[str] = []
        if "" in wanted:
            records += decode_paths(self.repository.run("ls-tree", "-z", *options, "--full-tree", tree))
        specs = [":(literal)" + d + "/" for d in sorted(wanted) if d]
        if specs:
            records += decode_paths(self.repository.run("ls-tree", "-z", *options, "--full-tree", tree, "--", *specs))
        return records

    def _from_directories(self, tree: str, todo: list[str]) -> bool:
        """Seed `todo` from one `ls-tree` of their directories in `tree`: 10,000 frames of a commit span a few
        hundred directories, listed in milliseconds, where the index costs a read of every entry. False (nothing
        done) when they span more directories than git matches quickly."""
        directories = {p.rpartition("/")[0] for p in todo}
        if len(directories) > _TREE_DIRECTORIES_MAX:
            return False
        entries: dict[str, list[str]] = {}
        for record in self._in_directories(tree, directories):  # no sizes (-l): git would read every blob's header
            meta, _, path = record.partition("\t")
            entries[path] = meta.split()  # mode, type, id
        found: dict[str, str | None] = {}
        modes: dict[str, str] = {}
        for path in todo:
            entry = entries.get(path)
            if entry is not None and len(entry) == 3 and entry[1] == "blob":
                found[path], modes[path] = entry[2], entry[0]
            else:
                found[path] = None  # not there, or a directory or a submodule: no file of the snapshot
        self.seed(found, modes)
        return True

    def seed(self, found: dict[str, str | None], modes: dict[str, str] | None = None) -> None:
        """Take object ids found elsewhere: by path lookups (with `.gitmodules` among them the first
        time, for submodules named like files) or from diffs, which tell modes too (gitlinks are None)."""
        if self._gitlinks is None and GITMODULES in found:
            self._gitlinks = frozenset(_submodule_paths(self.repository, found[GITMODULES]))
        if modes:
            self._modes.update(modes)
        gitlinks = self._gitlinks or frozenset()
        self._ids.update((p, None if p in gitlinks or self._modes.get(p) == GITLINK else object_id)
                         for p, object_id in found.items())

    def same_as(self, commit: str) -> None:
        """Every path not seeded so far is as in `commit` (the index after seeding it with `diff --cached COMMIT`)."""
        assert self.commit is None
        self._same_as = commit

    def existing(self, paths: Sequence[str]) -> list[str]:
        """The given paths that are files of the snapshot."""
        if self._listing is not None:
            listing = self._listing
            return [p for p in paths if listing.position(p) is not None]
        return [p for p, object_id in self._lookup(paths).items() if object_id is not None]

    def blobs(self, paths: Sequence[str]) -> dict[str, tuple[str, int] | None]:
        """(blob id, size) of each path; None for what is not a blob (a conflict, a submodule)."""
        ids = self._lookup(paths)
        unknown = list({i for i in ids.values() if i is not None and i not in self._info})
        for unknown_id, found in self.repository.objects(unknown, unknown).items():
            self._info[unknown_id] = None if found is None else (found[0], found[2])
        out: dict[str, tuple[str, int] | None] = {}
        for path, object_id in ids.items():
            info = None if object_id is None else self._info.get(object_id)
            out[path] = (object_id, info[1]) if object_id is not None and info and info[0] == "blob" else None
        return out

    def prefetched(self, early: EarlyListing) -> None:
        """The index's files of EarlyListing's kinds come from `early` (started before the heavy imports)."""
        self._early = early

    def ending_with(self, endings: tuple[str, ...], *, pathspecs: Sequence[str], any_case: bool = False) -> list[str]:
        """Files whose path ends with one of `endings`, sorted: in the case given, or with `any_case` in any case
        (the endings then given in lower case).

        The index: the early listing when it covers `pathspecs`; else, unlisted, `git ls-files` with `pathspecs`
        (the same files, matched by git), which spares reading a million paths into Python. Otherwise the
        listing, filtered.
        """
        key = (endings, any_case)
        found = self._ending.get(key)
        if found is None:
            def ends(path: str) -> bool:
                return (path.lower() if any_case else path).endswith(endings)

            raw = self._early_listing(pathspecs)
            if raw is None and self._listing is None and self.commit is None:
                raw = self.repository.run("ls-files", "-z", "--", *pathspecs)
            if raw is not None:
                gitlinks = self.gitlinks  # a property that gathers them: asked once, not once a path
                found = sorted(p for p in decode_paths(raw) if ends(p) and p not in gitlinks)
            elif any_case and all("." in e for e in endings):  # a path so ending has the ending's last dot
                tails = {e.rpartition(".")[2] for e in endings}
                found = [p for p in self.listing.ending_in(t for t in self.listing.tails() if t.lower() in tails)
                         if ends(p)]
            else:
                found = [p for p in self.paths if ends(p)] if any_case else [p for p in self.paths
                                                                              if p.endswith(endings)]
            self._ending[key] = found
        return found

    def _early_listing(self, pathspecs: Sequence[str]) -> bytes | None:
        early = self._early
        if early is None or self.commit is not None or not early.pathspecs.issuperset(pathspecs):
            return None
        return early.result()

    def with_extensions(self, extensions: Collection[str], keep: Callable[[str], bool] | None = None) -> list[str]:
        """Every file whose name ends with one of `extensions` (lower case, with the dot; any case in the name),
        sorted; of those, the ones `keep` keeps (by default, those whose paths.extension is one of them)."""
        if keep is None:
            keep = lambda path: extension(path) in extensions
        listing = self.listing
        return [p for p in listing.ending_in(t for t in listing.tails() if f".{t.lower()}" in extensions) if keep(p)]

    def named(self, name: str) -> list[str]:
        """Every file called `name` (a genai.toml), sorted."""
        return [p for p in self.ending_with((name,), pathspecs=(f":(glob)**/{name}",))
                if len(p) == len(name) or p[-len(name) - 1] == "/"]

    def names_in(self, directories: Sequence[str], ending: str) -> dict[str, list[str]]:
        """Candidate names ending with `ending` (any case) directly inside each directory, to confirm with
        `existing` (XMP sidecars: rare, so one listing is cheaper than looking four names up per frame).

        Listed: the snapshot's own. Otherwise the snapshot's trees — `ls-tree` of the commit, or of HEAD
        for the index, plus the working tree for staged files — for a few directories; for many, the
        files with that ending (`ls-files`, or the commit's listing), whichever git answers in one pass.
        """
        found: dict[str, set[str]] = {d: set() for d in directories}
        folded = ending.lower()
        many = len(directories) > _TREE_LISTINGS_MAX
        if self._listing is not None or many:
            for path in self.ending_with((folded,), pathspecs=(f":(icase)*{ending}",), any_case=True):
                directory, _, name = path.rpartition("/")
                if directory in found:
                    found[directory].add(name)
            return {d: sorted(names) for d, names in found.items()}
        tree = self.commit or self._same_as or head_commit(self.repository)
        if tree is not None:
            for path in self._in_directories(tree, directories, "--name-only"):
                directory, _, name = path.rpartition("/")
                if directory in found and name.lower().endswith(folded):
                    found[directory].add(name)
        if self.commit is None:
            for directory in directories:
                try:
                    found[directory].update(e.name for e in os.scandir(
                        os.path.join(self.repository.toplevel, *directory.split("/"))) if e.name.lower().endswith(folded))
                except OSError:
                    pass
        return {d: sorted(names) for d, names in found.items()}

    def prefetch(self, paths: Iterable[str], directories: Iterable[str]) -> None:
        """Look many paths up, and list many directories, in as few git commands as the snapshot allows
        (a timeline of 100,000 clips must not start a git command per clip)."""
        if self._listing is not None:
            return
        wanted = list(dict.fromkeys(paths))
        folders = sorted({d for d in directories if d and d not in self._below})
        if len(folders) > _TREE_LISTINGS_MAX or len(wanted) > INDEX_LOOKUPS_MAX:
            self.listing  # noqa: B018 - one listing answers everything after it
            return
        self._lookup(wanted)
        if folders:
            found = _list_below(self.repository, self.commit, *(":(literal)" + d + "/" for d in folders))
            for folder in folders:
                start, end = bisect.bisect_left(found, folder + "/"), bisect.bisect_left(found, folder + "0")
                self._below[folder] = found[start:end]

    def at_or_below(self, folders: Collection[str]) -> list[str]:
        """The files at or below `folders` (as written, none the root; one may name a file), sorted, their ids looked
        up with them: without a listing, one `ls-tree` of the commit (for the index: of the commit it equals outside
        the paths a diff seeded, those taken as seeded), git entering only the trees the folders lie in."""
        tree = self.commit or self._same_as
        if self._listing is not None or tree is None or len(folders) > _PRUNED_FOLDERS_MAX:
            return at_or_below(self.listing.paths, folders) or []
        found: dict[str, str | None] = {}
        modes: dict[str, str] = {}
        for record in decode_paths(self.repository.run("ls-tree", "-r", "-z", "--full-tree", tree, "--",
                                                       *(":(literal)" + f for f in sorted(folders)))):
            meta, _, path = record.partition("\t")
            mode, kind, object_id = meta.split(" ")
            if kind == "blob" and path not in self._ids:
                found[path], modes[path] = object_id, mode
        self.seed(found, modes)
        seeded = at_or_below(sorted(p for p, i in self._ids.items() if i is not None), folders) or []
        return sorted(set(seeded) | {p for p in found if self._ids.get(p) is not None})

    def below(self, directory: str) -> list[str]:
        """Files inside `directory` ("" = everything), sorted."""
        if not directory:
            return self.paths
        if self._listing is None:
            cached = self._below.get(directory)
            if cached is None:
                cached = self._below[directory] = _list_below(self.repository, self.commit,
                                                              ":(literal)" + directory + "/")
            return cached
        paths = self._listing.paths
        start = bisect.bisect_left(paths, directory + "/")
        end = bisect.bisect_left(paths, directory + "0")  # "0" sorts right after "/"
        return paths[start:end]


def open_snapshot(repository: GitRepository, rev: str | None) -> Snapshot:
    if rev is None and repository.bare:
        raise UsageError(f"{repository.toplevel} is a bare repository: it has no index to judge; "
                         "judge a commit with --rev REV (or run genai-hooks in a checkout)")
    return Snapshot(repository, None if rev is None else resolve_commit(repository, rev))


def _list_below(repository: GitRepository, commit: str | None, *pathspecs: str) -> list[str]:
    """A part of the snapshot, with modes: gitlinks (160000) are left out without reading .gitmodules."""
    if commit is None:
        raw = repository.run("ls-files", "--stage", "-z", "--", *pathspecs)
    else:
        raw = repository.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", *pathspecs)
    paths = {path for meta, _, path in (record.partition("\t") for record in decode_paths(raw))
             if not meta.startswith("160000 ")}
    return sorted(paths)


def _submodule_paths(repository: GitRepository, gitmodules: str | None) -> tuple[str, ...]:
    """Submodule paths declared in the `.gitmodules` object named `gitmodules` (an id or `REV:path`)."""
    if gitmodules is None:
        return ()
    raw = repository.try_run("config", "-z", "--blob", gitmodules, "--get-regexp", r"^submodule\..*\.path$")
    if not raw:
        return ()
    return tuple(entry.partition("\n")[2] for entry in decode_paths(raw))
