from hypothesis import given
from hypothesis import strategies as st

from conflictkb.normalize import normalize


def test_unwraps_prose_and_keeps_paragraphs() -> None:
    original = "A long line of wrapped prose that goes on and on and\nends here.\n\n\n  Next   paragraph."
    norm = normalize(original)
    assert norm.text == "A long line of wrapped prose that goes on and on and ends here.\n\nNext paragraph."


def test_short_lines_keep_their_break() -> None:
    norm = normalize("Breaking News\nMilitants attacked a convoy.")
    assert norm.text == "Breaking News\nMilitants attacked a convoy."


def test_joins_words_hyphenated_across_lines_but_keeps_compounds() -> None:
    original = "The militants of the move-\nment crossed into Gorno-\nBadakhshan in the summer of the year."
    norm = normalize(original)
    assert "movement" in norm.text
    assert "Gorno-Badakhshan" in norm.text


def test_drops_invisible_characters() -> None:
    norm = normalize("Nam\u00adangani\u200b and\u00a0Yuldashev")
    assert norm.text == "Namangani and Yuldashev"


def test_span_maps_back_to_original_slice() -> None:
    original = "The move-\nment\u00ad attacked   Tashkent on\nFeb. 16, 1999."
    norm = normalize(original)
    start = norm.text.index("movement")
    span = norm.span(start, start + len("movement"))
    assert span.text == original[span.start : span.end]
    assert span.text.replace("-\n", "").replace("\u00ad", "") == "movement"
    tashkent = norm.text.index("Tashkent")
    assert norm.span(tashkent, tashkent + 8).text == "Tashkent"


@given(st.text(alphabet=st.sampled_from(list("ab -\n\t\u00ad\u00a0Z.")), max_size=80), st.data())
def test_every_span_is_an_original_slice(original: str, data: st.DataObject) -> None:
    norm = normalize(original)
    assert len(norm.offsets) == len(norm.text)
    assert all(0 <= o < len(original) for o in norm.offsets)
    assert list(norm.offsets) == sorted(norm.offsets)
    start = data.draw(st.integers(0, len(norm.text)))
    end = data.draw(st.integers(start, len(norm.text)))
    span = norm.span(start, end)
    assert span.text == original[span.start : span.end]
    assert 0 <= span.start <= span.end <= len(original)
    # Every non-space clean character is the very character it maps to.
    for i, char in enumerate(norm.text):
        if not char.isspace():
            assert original[norm.offsets[i]] == char


@given(st.text(max_size=200))
def test_any_text_normalises_without_error(original: str) -> None:
    norm = normalize(original)
    assert len(norm.text) <= len(original)
    for i, char in enumerate(norm.text):
        if not char.isspace() and char != "-":
            assert original[norm.offsets[i]] == char


def test_an_edit_shorter_than_what_it_replaces_still_maps_to_all_of_it() -> None:
    original = "Then N amangani left."
    start = original.index("N amangani")
    edited = normalize(original).edited([(start, start + len("N amangani"), "Namangani")])
    at = edited.text.index("Namangani")
    assert edited.span(at, at + len("Namangani")).text == "N amangani"
    assert edited.span(at + len("Namangani"), len(edited.text)).text == " left."


def test_scare_quotes_around_a_word_of_a_hyphenated_name_are_dropped_for_the_parser() -> None:
    original = "irritation between 'Afghan'-Arabs and the 'good' ones, don't-care."
    norm = normalize(original)
    assert "Afghan-Arabs" in norm.text and "'good'" in norm.text and "don't-care" in norm.text
    at = norm.text.index("Afghan-Arabs")
    assert norm.span(at, at + len("Afghan-Arabs")).text == "'Afghan'-Arabs"
