from pathlib import Path

from conflictkb.extract import Extractor, with_published_date
from conflictkb.model import Document
from conflictkb.readers import read


def test_publication_date_from_metadata_wins_over_dateline() -> None:
    doc = Document(
        "x",
        "a.html",
        "html",
        "Tuesday, June 17, 2014\n\nText.",
        published="2014-06-18",
        published_basis="html metadata",
    )
    assert with_published_date(doc) is doc


def test_publication_date_from_dateline_says_so() -> None:
    doc = with_published_date(Document("x", "a.txt", "txt", "go to top\n\nTuesday, June 17, 2014\n\nText."))
    assert (doc.published, doc.published_basis) == ("2014-06-17", "dateline")
    undated = with_published_date(Document("x", "b.txt", "txt", "No date anywhere here."))
    assert undated.published is None and undated.published_basis is None


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
            assert {relation.subject, relation.object} <= ids
            assert text[relation.evidence[0].start : relation.evidence[0].end] == relation.evidence[0].text


def test_seed_corpus_finds_known_incidents(extractor: Extractor, seeds_dir: Path) -> None:
    """Sanity floor on the sample: the 1999 Tashkent car bombings are found with their date and city."""
    facts = extractor(read(next(seeds_dir.glob("004_*.txt"))))
    bombings = [e for e in facts.events if e.type == "bombing"]
    assert any(e.date == "1999-02-16" and e.place is not None and e.place.country == "UZ" for e in bombings)
