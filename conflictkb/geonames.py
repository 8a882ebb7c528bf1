"""Reading GeoNames dumps a user downloaded (``allCountries.txt``, ``XX.txt`` or their .zip).

The installed data holds towns; a full national dump adds villages, districts, valleys, passes,
mountains and buildings, so that the places of rural reporting are found offline. Each line
becomes a place with every name and alternate name GeoNames gives it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from conflictkb.store.placedb import PlaceRow

# GeoNames feature classes kept (P populated places, A administrative areas, T relief, L areas,
# H water, S spots such as buildings, prisons and airports) and the precision each gives.
_PRECISION = {"P": "point", "S": "point", "H": "point", "T": "point", "L": "region", "A": "region"}
_REGION_CODES = {"VAL", "VALS", "MTS", "HLLS", "PLAT", "RGN", "AREA", "PLN"}
# Alternate names kept per place at most (some places list hundreds).
MAX_NAMES = 60


class DumpError(ValueError):
    """A file that is not a GeoNames dump; the message says what was expected."""


def _precision(feature_class: str, feature_code: str) -> str | None:
    if feature_class == "A":
        if feature_code.startswith("PCL"):
            return None  # countries come from the countries layer
        return "region" if feature_code == "ADM1" else "district"
    if feature_class == "T" and feature_code in _REGION_CODES:
        return "region"
    return _PRECISION.get(feature_class)


def parse_line(line: str, admin1: dict[str, str]) -> tuple[PlaceRow, list[str]] | None:
    """One dump line as a place and its names, or None for kinds of feature not kept."""
    cols = line.rstrip("\n").split("\t")
    if len(cols) < 15:
        raise DumpError(f"expected the 19 tab-separated GeoNames columns, found {len(cols)}")
    precision = _precision(cols[6], cols[7])
    if precision is None:
        return None
    country = cols[8] or None
    region = admin1.get(f"{country}.{cols[10]}") if country and cols[10] else None
    population = int(cols[14]) if cols[14].isdigit() else 0
    feature = cols[7] or cols[6]
    row = PlaceRow(
        int(cols[0]), cols[1], country, region, float(cols[4]), float(cols[5]), feature, precision, population
    )
    names = [cols[1], cols[2], *[n for n in cols[3].split(",") if n][:MAX_NAMES]]
    return row, list(dict.fromkeys(n for n in names if n))


def _text_stream(path: Path) -> tuple[IO[str], int]:
    """The dump's text and its size in bytes, from a .txt or from the .txt inside a .zip."""
    if path.suffix.lower() == ".zip":
        try:
            archive = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise DumpError(f"{path} is not a valid zip file: {exc}") from exc
        members = [m for m in archive.infolist() if m.filename.endswith(".txt") and "readme" not in m.filename.lower()]
        if not members:
            raise DumpError(f"{path} holds no GeoNames .txt dump")
        return io.TextIOWrapper(archive.open(members[0]), encoding="utf-8"), members[0].file_size
    return path.open(encoding="utf-8"), path.stat().st_size


def read_dump(
    path: Path, admin1: dict[str, str], progress: Callable[[int], None] | None = None
) -> Iterator[tuple[PlaceRow, list[str]]]:
    """Every kept place of a dump; ``progress`` is told how many bytes were read so far."""
    stream, _ = _text_stream(path)
    done = 0
    with stream:
        for number, line in enumerate(stream, 1):
            done += len(line.encode("utf-8"))
            if progress is not None and number % 5000 == 0:
                progress(done)
            try:
                parsed = parse_line(line, admin1)
            except (ValueError, IndexError) as exc:
                raise DumpError(f"{path}, line {number}: not a GeoNames dump line: {exc}") from exc
            if parsed is not None:
                yield parsed
    if progress is not None:
        progress(done)


def dump_size(path: Path) -> int:
    stream, size = _text_stream(path)
    stream.close()
    return size
