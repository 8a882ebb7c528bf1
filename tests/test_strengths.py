"""Tests for ``conflictkb.strengths``: a group's size as the text counts it, on the real pipeline."""

from test_relations import claims_of

from conflictkb.extract import Extractor


def test_a_strength_keeps_the_words_that_bound_it(extractor: Extractor) -> None:
    found = claims_of(
        extractor,
        "When the IMU escaped to Pakistan in 2001, they numbered not more than a few hundred militants.\n\n"
        "The Taliban had at least 2,000 fighters in 2000.",
    )
    strengths = {(s, o) for s, r, o, *_ in found if r == "strength"}
    assert ("Islamic Movement of Uzbekistan", "not more than a few hundred militants") in strengths
    assert ("Taliban", "at least 2,000 fighters") in strengths


def test_a_size_put_at_a_figure(extractor: Extractor) -> None:
    found = claims_of(
        extractor,
        "The IMU fought in Pakistan in 2009. Rashid estimates the ranks of the militants in Afghanistan and "
        'Pakistan at "maybe four or five thousand."\n\n'
        "Analysts put the Taliban's strength at 60,000 fighters in 2021.\n\n"
        "In 2014 analysts put the strength of the Islamic Movement of Uzbekistan at a few hundred.",
    )
    strengths = [(s, o) for s, r, o, *_ in found if r == "strength"]
    assert not any(o == "maybe four or five thousand" for _, o in strengths)  # "the militants": whose?
    assert strengths.count(("Taliban", "60,000 fighters")) == 1  # read once, not by two rules
    assert ("Islamic Movement of Uzbekistan", "a few hundred") in strengths


def test_a_range_of_two_figures_is_kept_whole(extractor: Extractor) -> None:
    found = claims_of(extractor, "In 2017 the IMU was estimated to number between 2,000 and 3,000 fighters.")
    assert [(s, o) for s, r, o, *_ in found if r == "strength"] == [
        ("Islamic Movement of Uzbekistan", "between 2,000 and 3,000 fighters")
    ]
