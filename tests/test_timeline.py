from conflictkb.dates import ParsedDate
from conflictkb.extract import Extractor
from conflictkb.timeline import REPORTED, build, infer_published, shift


def test_dates_resolve_against_the_story_and_the_publication(extractor: Extractor) -> None:
    text = (
        "In 1999 the group invaded Batken. The following year it raided Surkhandarya.\n\n"
        "Ten years later it was hiding in Waziristan. In July, troops attacked its camps."
    )
    doc = extractor.nlp(text)
    timeline = build(doc, ParsedDate("2010-09-21", "day", 0, 0))
    dates = {d.date.iso: d.how for found in timeline.by_sentence.values() for d in found}
    assert dates["1999"] == "stated"
    assert dates["2000"] == "relative to narrative"
    assert "2010" in dates  # ten years after the story's last date, 2000
    assert dates["2010-07"] == "in the paragraph's year"


def test_an_undated_sentence_inherits_the_paragraph_then_the_story_or_the_news(extractor: Extractor) -> None:
    text = "In March 2004 militants attacked a police post. Four officers died.\n\nOfficials later spoke."
    doc = extractor.nlp(text)
    story = build(doc, None)
    same_paragraph, next_paragraph = story.date_for(1, 0), story.date_for(2, 0)
    assert same_paragraph is not None and (same_paragraph.date.iso, same_paragraph.how) == (
        "2004-03",
        "inherited from the paragraph",
    )
    assert next_paragraph is not None and (next_paragraph.date.iso, next_paragraph.how) == (
        "2004",
        "inherited from the story",
    )
    news = build(doc, ParsedDate("2004-06-02", "day", 0, 0), published_is_stated=True).date_for(2, 0)
    assert news is not None and (news.date.iso, news.how) == ("2004-06", "inherited from the publication")
    assert build(extractor.nlp("Officials spoke."), None).date_for(0, 0) is None


def test_an_aside_the_following_year_does_not_move_the_next_paragraph(extractor: Extractor) -> None:
    text = (
        "In July 2000 the militants crossed the border.\n\n"
        "Farmers were moved into camps and, the following year, 73 were arrested.\n\n"
        "Fifteen insurgents attacked a resort."
    )
    timeline = build(extractor.nlp(text), None)
    aside = [d.date.iso for ds in timeline.by_sentence.values() for d in ds if d.how == "relative to narrative"]
    assert aside == ["2001"]
    after = timeline.date_for(len(timeline.by_sentence) - 1, 0)
    assert after is not None and (after.date.iso, after.how) == ("2000", "inherited from the story")


def test_a_day_name_needs_a_publication_day(extractor: Extractor) -> None:
    doc = extractor.nlp("Militants ambushed a convoy on Sunday.")
    assert build(doc, ParsedDate("2010-09", "month", 0, 0)).by_sentence[0] == []
    resolved = build(doc, ParsedDate("2010-09-21", "day", 0, 0)).by_sentence[0]
    assert [d.date.iso for d in resolved] == ["2010-09-19"]


def test_shift_by_years_and_months() -> None:
    base = ParsedDate("2009-11", "month", 0, 0)
    assert shift(base, "month", 3, 0, 0).iso == "2010-02"  # type: ignore[union-attr]
    assert shift(base, "year", -1, 0, 0).iso == "2008"  # type: ignore[union-attr]
    assert shift(ParsedDate("2009", "year", 0, 0), "month", 1, 0, 0) is None


def test_publication_from_a_ten_years_after_phrase(extractor: Extractor) -> None:
    text = "Armed men seized a village in August 1999.\n\nA full 10 years after the incursion, the group is hunted."
    published, basis = infer_published(extractor.nlp(text), text)
    assert published is not None and published.iso.startswith("2009") and basis == "latest date reported"


def test_a_month_without_year_and_no_paragraph_date_takes_the_publication_year(extractor: Extractor) -> None:
    doc = extractor.nlp("Fighting resumed.\n\nIn July, troops attacked militant camps near Tavildara.")
    timeline = build(doc, ParsedDate("2009-08", "month", 0, 0))
    found = [d for ds in timeline.by_sentence.values() for d in ds]
    assert [(d.date.iso, d.how) for d in found] == [("2009-07", "relative to publication")]


def test_a_date_after_since_does_not_date_the_paragraph(extractor: Extractor) -> None:
    text = "Militants have fought in Afghanistan since 1991. In April a revolution drove the president from power."
    timeline = build(extractor.nlp(text), ParsedDate("2010-09-21", "day", 0, 0))
    found = [(d.date.iso, d.how) for ds in timeline.by_sentence.values() for d in ds]
    assert found == [("1991", "stated"), ("2010-04", "relative to publication")]
    assert 0 not in timeline.current  # "since 1991" is a span to the present, not the paragraph's date


def test_a_date_in_a_clause_about_a_noun_does_not_carry_to_the_next_paragraph(extractor: Extractor) -> None:
    text = (
        "In May 2009 militants attacked a border post. The government made allegations similar to ones made "
        "in 1999 and 2000.\n\nTroops launched an operation."
    )
    timeline = build(extractor.nlp(text), None)
    after = timeline.date_for(len(timeline.by_sentence) - 1, 0)
    assert after is not None and (after.date.iso, after.how) == ("2009", "inherited from the story")


def test_a_sentence_dated_only_by_a_report_says_so(extractor: Extractor) -> None:
    text = (
        "Forces clashed with fighters in July 2009.\n\n"
        "The ministry claimed on August 5 that 11 militants had been killed."
    )
    published = ParsedDate("2009-08-10", "day", 0, 0)
    timeline = build(extractor.nlp(text), published, speech_verbs=frozenset({"claim", "say"}))
    reported = timeline.date_for(1, 0)
    assert reported is not None and (reported.date.iso, reported.how) == ("2009-08-05", REPORTED)


def test_a_month_of_the_same_year(extractor: Extractor) -> None:
    text = "The bombs exploded in February 1999. In Kyrgyzstan in May of the same year, a plot was uncovered."
    timeline = build(extractor.nlp(text), None)
    assert [d.date.iso for d in timeline.by_sentence[1]] == ["1999-05"]


def test_what_a_sentence_inherits_without_dates_of_its_own(extractor: Extractor) -> None:
    text = "Fighting began in July 2009. The ministry spoke of the recent attack.\n\nTroops withdrew."
    news = build(extractor.nlp(text), ParsedDate("2009-09-21", "day", 0, 0), published_is_stated=True)
    assert news.inherited(1) is not None and news.inherited(1).iso == "2009-07"  # type: ignore[union-attr]
    assert news.inherited(2) is not None and news.inherited(2).iso == "2009-09"  # type: ignore[union-attr]
    assert build(extractor.nlp(text), None).inherited(2) is None
