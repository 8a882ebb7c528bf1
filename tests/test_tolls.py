import pytest
from spacy.language import Language

from conflictkb.extract import Extractor
from conflictkb.tolls import find_tolls, number_in, words_to_number
from conflictkb.vocab import load_vocab


@pytest.fixture(scope="module")
def nlp(extractor: Extractor) -> Language:
    return extractor.nlp


def tolls_of(nlp: Language, text: str) -> list[tuple[str, int | None, str]]:
    doc = nlp(text)
    vocab = load_vocab()
    return [(t.category, t.number, doc.text[t.start : t.end]) for s in doc.sents for t in find_tolls(s, vocab)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thirteen were killed and 128 injured.", [("killed", 13), ("wounded", 128)]),
        ("The militants escaped, killing six guards.", [("killed", 6)]),
        ("The toll was 25 troops killed and 20 more wounded, the ministry said.", [("killed", 25), ("wounded", 20)]),
        ("The blast left eight of the militants dead.", [("killed", 8)]),
        ("Gunmen kidnapped four engineers near the border.", [("kidnapped", 4)]),
        ("Two hundred and five people were wounded in the blasts.", [("wounded", 205)]),
        ("In 1999, 2,000 men joined the movement.", []),
        # The number before an active verb with its own object counts the attackers, not the dead.
        ("Fifteen insurgents attacked and killed four soldiers.", [("killed", 4)]),
        ("The raids led to the deaths of twelve farmers.", [("killed", 12)]),
        # The parser reads "August 5 that 11" as one date; 11 counts the militants.
        ("The ministry claimed on August 5 that 11 IMU militants had been killed.", [("killed", 11)]),
        ("Five years later 30 people were killed.", [("killed", 30)]),
        # A year the parser hung on the next noun is a year; "shot dead" counts the dead after it.
        ("In 2019 soldiers shot dead three protesters in Khartoum.", [("killed", 3)]),
        # One person, in the singular with no number; not a thing.
        ("The kidnappers murdered the soldier.", [("killed", 1)]),
        # However far apart, the parse ties the number to the verb it is the subject of.
        ("At least nine people designated as IMU fighters had been killed by early July.", [("killed", 9)]),
        ("The offensive killed the momentum of the talks.", []),
    ],
)
def test_numbers_tied_to_toll_words(nlp: Language, text: str, expected: list[tuple[str, int]]) -> None:
    assert [(c, n) for c, n, _ in tolls_of(nlp, text)] == expected


def test_lower_bounds_and_estimates_keep_their_number_and_their_words(nlp: Language) -> None:
    found = tolls_of(nlp, "More than 100 militants were killed in air strikes.")
    assert found == [("killed", 100, "More than 100 militants were killed")]
    both = tolls_of(nlp, "The blast killed 12 people and wounded at least 30.")
    assert both == [("killed", 12, "killed 12"), ("wounded", 30, "wounded at least 30")]
    assert tolls_of(nlp, "About 40 people were injured.") == [("wounded", 40, "About 40 people were injured")]


def test_vague_amounts_keep_text_and_no_number(nlp: Language) -> None:
    found = tolls_of(nlp, "Up to 50 militants were killed in air strikes.")
    assert found == [("killed", None, "Up to 50 militants were killed")]
    dozens = tolls_of(nlp, "Two attacks rocked the airport, killing dozens.")
    assert dozens == [("killed", None, "killing dozens")]


@pytest.mark.parametrize(
    ("text", "number"),
    [("128", 128), ("1,200", 1200), ("Thirteen", 13), ("twenty-five", 25), ("two hundred and five", 205),
     ("three thousand", 3000), ("dozens", None), ("and", None)],
)  # fmt: skip
def test_words_to_number(text: str, number: int | None) -> None:
    assert words_to_number(text) == number


def test_the_one_figure_a_phrase_states() -> None:
    assert number_in("some 5,000 activists") == 5000
    assert number_in("fifteen thousand strong") == 15000
    assert number_in("two hundred and five men") == 205
    assert number_in("maybe four or five thousand") == 5000  # the larger reading of a range in words
    assert number_in("between 100 and 200 fighters") is None  # two figures: no one figure
    assert number_in("several hundred fighters") == 100  # a lower bound
    assert number_in("someone often said") is None
