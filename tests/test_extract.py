from pathlib import Path

from conflictkb.extract import Extractor, publication
from conflictkb.model import Document
from conflictkb.readers import read


def dated(extractor: Extractor, text: str, **metadata: str) -> Document:
    document = Document("x", "a.txt", "txt", text, **metadata)  # type: ignore[arg-type]
    return publication(document, extractor.nlp(text), text, extractor.dictionary)[0]


def test_publication_date_from_metadata_wins_over_dateline(extractor: Extractor) -> None:
    doc = dated(extractor, "Tuesday, June 17, 2014\n\nText.", published="2014-06-18", published_basis="html metadata")
    assert (doc.published, doc.published_basis) == ("2014-06-18", "html metadata")


def test_publication_date_from_dateline_says_so(extractor: Extractor) -> None:
    doc = dated(extractor, "go to top\n\nTuesday, June 17, 2014\n\nText.")
    assert (doc.published, doc.published_basis) == ("2014-06-17", "dateline")
    undated = dated(extractor, "No date anywhere here.")
    assert undated.published is None and undated.published_basis is None


def test_publication_date_from_the_latest_date_reported(extractor: Extractor) -> None:
    text = "The group was founded in 1998.\n\nIt attacked Batken in August 1999, and moved to Pakistan in May 2002."
    doc = dated(extractor, text)
    assert (doc.published, doc.published_basis) == ("2002-05", "latest date reported")


def test_a_dateline_without_year_takes_the_latest_years_only_when_it_fits(extractor: Extractor) -> None:
    fits = dated(
        extractor, "KABUL, Afghanistan, Nov. 20 (AP) -- Fighting in July 2009 and on Aug. 3, 2009 left many dead."
    )
    assert fits.published == "2009-11-20" and "dateline" in (fits.published_basis or "")
    clash = dated(extractor, "KABUL, Afghanistan, March 2 (AP) -- Fighting in November 2009 left many dead.")
    assert clash.published is None


def test_a_dateline_without_year_falls_in_the_term_of_an_office_holder_named(extractor: Extractor) -> None:
    story = (
        "DUSHANBE, Tajikistan, Sept. 21 (UPI) -- Militants attacked a convoy Sunday, the ministry said.\n\n"
        "The group bombed Tashkent in 1999, news agency reported Tuesday. In April Kyrgyzstan's "
        "interim government headed by Roza Otunbayeva took power."
    )
    doc = dated(extractor, story)
    assert doc.published == "2010-09-21"  # Otunbayeva's term began in 2010; 21 September 2010 was a Tuesday
    assert "office-holder" in (doc.published_basis or "") and "weekday" in (doc.published_basis or "")
    long_term = dated(extractor, story.replace("Roza Otunbayeva", "Hamid Karzai"))
    assert long_term.published is None  # 21 September fell on a Tuesday in 2004 and 2010: no guess
    unnamed = dated(extractor, story.replace("Roza Otunbayeva", "a woman"))
    assert (unnamed.published, unnamed.published_basis) == (
        "1999-09-21",
        "dateline (day and month) in the year of the latest date reported",
    )


def test_seed_documents_give_cited_facts(extractor: Extractor, seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        document = read(path)
        facts = extractor(document)
        text = document.text
        assert facts.entities, path.name
        for sentence in facts.sentences:
            assert 0 <= sentence.start <= sentence.end <= len(text)
        for mention in facts.mentions:
            assert text[mention.start : mention.end] == mention.text
        for event in facts.events:
            assert event.evidence
            for span in [*event.evidence, *event.spans.values()]:
                assert text[span.start : span.end] == span.text
            assert event.date is None or event.date_precision in ("day", "month", "year")
        ids = {e.id for e in facts.entities}
        for relation in facts.relations:
            # A founding with no founder named ("the IMU was founded ...") is a claim with neither.
            assert relation.subject in ids
            assert relation.object in ids or relation.value or relation.relation == "founded"
            assert text[relation.evidence[0].start : relation.evidence[0].end] == relation.evidence[0].text


def test_seed_corpus_finds_known_incidents(extractor: Extractor, seeds_dir: Path) -> None:
    """Sanity floor on the sample: the 1999 Tashkent car bombings are found with their date and city."""
    facts = extractor(read(next(seeds_dir.glob("004_*.txt"))))
    bombings = [e for e in facts.events if e.type == "bombing"]
    assert any(e.date == "1999-02-16" and e.place is not None and e.place.country == "UZ" for e in bombings)


def test_a_dateline_with_an_inferred_year_still_makes_a_news_story(extractor: Extractor) -> None:
    text = "KABUL, Afghanistan, Nov. 20 (AP) -- Fighting in July 2009 left many dead.\n\nTroops attacked a village."
    facts = extractor(Document("x", "a.txt", "txt", text))
    assert facts.document.published == "2009-11-20"
    # The undated paragraph tells the news: the month of publication, not only the year.
    assert [e.date for e in facts.events][-1] == "2009-11"
