from conflictkb.normalize import normalize
from conflictkb.ocr import corrections, lexicon, repair


def fixes(text: str) -> dict[str, str]:
    lex = lexicon().with_words_of(text)
    return {text[s:e]: new for s, e, new in corrections(text, lex)}


def test_digit_and_letter_confusions_become_known_names() -> None:
    found = fixes("The 1MU and the AI-Qaeda leaders met officers of the IS1 in Mghanistan.")
    assert found == {"1MU": "IMU", "AI-Qaeda": "Al-Qaeda", "IS1": "ISI", "Mghanistan": "Afghanistan"}


def test_unreadable_letters_match_the_closest_name() -> None:
    assert fixes("links to Al-~eda were strong") == {"Al-~eda": "Al-Qaeda"}


def test_a_split_name_is_joined_when_the_document_spells_it_whole() -> None:
    text = "Qurbonov spoke. Qurbonov left. Qurbonov returned. Then Q urbonov died."
    assert fixes(text) == {"Q urbonov": "Qurbonov"}


def test_glued_function_words_split_but_real_words_stay() -> None:
    text = "the end ofthe war. " + "He went into the house of the mayor. " * 6
    assert fixes(text) == {"ofthe": "of the"}


def test_clean_text_is_left_alone() -> None:
    text = "The AI model was tested in Oman and Osh by the IMU's critics in 2009; 055 Brigade fought."
    assert fixes(text) == {}


def test_possessive_read_as_full_stop() -> None:
    assert fixes("bin Laden.s Uzbek allies") == {".": "'"}


def test_repair_keeps_offsets_pointing_at_the_scan() -> None:
    original = "The 1MU moved to\nMghanistan in 1998."
    repaired = repair(normalize(original))
    assert "IMU" in repaired.text and "Afghanistan" in repaired.text
    at = repaired.text.index("Afghanistan")
    assert repaired.span(at, at + len("Afghanistan")).text == "Mghanistan"
    imu = repaired.text.index("IMU")
    assert repaired.span(imu, imu + 3).text == "1MU"
