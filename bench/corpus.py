"""A synthetic benchmark corpus, for measuring scale only: never for quality, never to cite.

    .venv/bin/python bench/corpus.py OUT_DIR [--scale 1|4|16|...] [--seeds examples/seeds]

Writes ``scale`` x 100 documents named ``synthetic-NNNNN.txt``. Each is recombined from real
sentences of the sample corpus (so the parser and our stages see real prose, with its events,
actors, places and dates), its years shifted and its people and places swapped for others, so
that documents differ and the knowledge base grows with the corpus as it would with real
reporting. Every document opens with a line saying it is synthetic. Document ``i`` depends only
on ``i`` and the seeds: the 1x corpus is the first hundred documents of the 16x one.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PER_SCALE = 100
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'‘“])")
YEAR = re.compile(r"\b(19[89]\d|20[01]\d)\b")
# People of the seeds, and invented surnames to put in their place.
PEOPLE = ("Yuldeshev", "Namangani", "Yuldash", "Karimov", "Rashid", "Ziyoyev", "Abdullo", "Qahhorov", "Rakhmonov")
INVENTED = (
    "Tursunbaev",
    "Mirzakhodjaev",
    "Nazarkulov",
    "Saidakbarov",
    "Rustamkulov",
    "Kholmatov",
    "Ergashbaev",
    "Abdukadyrov",
    "Yusupbekov",
    "Sharipkhojaev",
)
# Towns of the seeds the gazetteer knows: permuted within each document.
PLACES = (
    "Andijan",
    "Namangan",
    "Osh",
    "Batken",
    "Garm",
    "Tashkent",
    "Dushanbe",
    "Jalal-Abad",
    "Kunduz",
    "Peshawar",
    "Kabul",
    "Bishkek",
    "Kandahar",
)
SWAPPED = re.compile(r"\b(" + "|".join(re.escape(name) for name in (*PEOPLE, *PLACES)) + r")\b")
HEADER = (
    "SYNTHETIC BENCHMARK TEXT {number} (conflictkb bench/corpus.py): sentences of the sample corpus "
    "recombined, with years, people and places changed. Not reporting: do not cite.\n\n"
)


def sentences(seeds: Path) -> list[str]:
    """Real sentences of the seed documents, in order: prose only (no menus, captions or notes)."""
    found: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            for sentence in SENTENCE_END.split(" ".join(paragraph.split())):
                if 60 <= len(sentence) <= 400 and sentence[-1] in ".!?\"'’”":
                    found.append(sentence)
    return found


def document(number: int, pool: list[str]) -> str:
    """Document ``number``: 10 to 30 sentences in runs of consecutive ones (so references such as
    'the group' still follow what they refer to), years shifted, people and places swapped."""
    rng = random.Random(f"conflictkb-bench-{number}")  # noqa: S311  # reproducible, not secret
    shift = rng.randint(-6, 6)
    swap = dict(zip(PLACES, rng.sample(PLACES, len(PLACES)), strict=True))
    swap.update(zip(PEOPLE, rng.sample(INVENTED, len(PEOPLE)), strict=True))
    chosen: list[str] = []
    target = rng.randint(10, 30)
    while len(chosen) < target:
        start = rng.randrange(len(pool))
        chosen.extend(pool[start : start + rng.randint(2, 6)])
    paragraphs = [" ".join(chosen[i : i + 4]) for i in range(0, len(chosen), 4)]
    text = "\n\n".join(paragraphs)
    text = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    text = SWAPPED.sub(lambda m: swap[m.group(1)], text)
    return HEADER.format(number=number) + text + "\n"


def write_corpus(out: Path, scale: int, seeds: Path = ROOT / "examples" / "seeds") -> list[Path]:
    """Write (or keep, if already there with the same text) the ``scale``x corpus in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    pool = sentences(seeds)
    paths = []
    for number in range(1, scale * PER_SCALE + 1):
        path = out / f"synthetic-{number:05d}.txt"
        text = document(number, pool)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=int, default=1, help="x 100 documents (default 1)")
    parser.add_argument("--seeds", type=Path, default=ROOT / "examples" / "seeds")
    args = parser.parse_args()
    paths = write_corpus(args.out, args.scale, args.seeds)
    size = sum(path.stat().st_size for path in paths)
    print(f"{len(paths)} synthetic documents, {size / 1e6:.2f} MB, in {args.out}")


if __name__ == "__main__":
    main()
