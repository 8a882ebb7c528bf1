"""Turn the paths given on the command line into the list of files to read.

Folders are walked recursively in sorted order so that runs are reproducible. Symlinks
are followed, because corpora are often assembled from links, but each real directory
is entered once, so a link to a parent cannot loop forever. Hidden files and folders
(``.git``, ``.DS_Store``) are skipped, and so are files whose format no reader knows.
A file named explicitly is always yielded, even with an unknown suffix, so that the
reader reports why it was skipped instead of the user wondering where it went. For the
same reason an entry of a supported suffix that is not a file — a symlink loop, a broken
link, a named pipe (reading one would block forever) — is reported with why, never read,
and so is a link without a suffix that resolves to nothing (it may have been a folder).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeAlias

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx"})

Input: TypeAlias = Path | tuple[Path, str]


class _Walker:
    """Remembers what was already visited, across all the paths of one run."""

    def __init__(self) -> None:
        self.seen_files: set[str] = set()
        self.seen_dirs: set[str] = set()

    def file(self, path: Path) -> Iterator[Input]:
        """Yield ``path`` unless the same real file was yielded before."""
        real = os.path.realpath(path)
        if real not in self.seen_files:
            self.seen_files.add(real)
            yield path

    def folder(self, root: Path) -> Iterator[Input]:
        """Depth-first, sorted walk with an explicit stack (no recursion limit)."""
        stack: list[Iterator[Path]] = [iter([root])]
        while stack:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
            elif os.path.isdir(entry):
                listing = self._list(entry)
                if isinstance(listing, tuple):
                    yield listing
                elif listing is not None:
                    stack.append(iter(listing))
            elif entry.suffix.lower() in SUPPORTED_SUFFIXES and os.path.isfile(entry):
                yield from self.file(entry)
            elif _reportable(entry):
                yield entry, not_a_file(entry)

    def _list(self, folder: Path) -> list[Path] | tuple[Path, str] | None:
        """Sorted visible entries; None if already visited; (path, reason) if unreadable."""
        real = os.path.realpath(folder)
        if real in self.seen_dirs:
            return None
        self.seen_dirs.add(real)
        try:
            with os.scandir(folder) as entries:
                names = sorted(entry.name for entry in entries)
        except OSError as exc:
            return folder, f"cannot read folder: {exc.strerror or exc}"
        return [folder / name for name in names if not name.startswith(".")]


def _reportable(entry: Path) -> bool:
    """An entry of the walk that is not a file but worth a reason: it has a supported suffix, or it
    is a link without a suffix that resolves to nothing (a loop or dangling link to a folder)."""
    if entry.suffix.lower() in SUPPORTED_SUFFIXES:
        return True
    return not entry.suffix and os.path.islink(entry) and not os.path.exists(entry)


def not_a_file(path: Path) -> str:
    """Why ``path``, which is neither a folder nor a regular file, cannot be read."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop"
        if exc.errno == errno.ENOENT:
            return "broken symlink: its target does not exist" if os.path.islink(path) else "not found"
        return f"cannot read: {exc.strerror or exc}"
    return "not a regular file"


def iter_inputs(paths: Iterable[Path]) -> Iterator[Path | tuple[Path, str]]:
    """Yield each file to read once, or ``(path, reason)`` for a path to report as skipped."""
    walker = _Walker()
    for path in paths:
        if os.path.isdir(path):  # os.path never raises, unlike Path.is_dir on EACCES
            yield from walker.folder(path)
        elif os.path.isfile(path):
            yield from walker.file(path)
        else:  # never handed on: hashing a named pipe to plan it would block forever
            yield path, not_a_file(path)
