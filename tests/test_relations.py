import hashlib

from conflictkb.extract import Extractor
from conflictkb.model import Document
from conflictkb.translit import variants


def relations_of(extractor: Extractor, text: str) -> list[tuple[str, str, str, str | None]]:
    facts = extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "r.txt", "txt", text))
    names = {e.id: e.name for e in facts.entities}
    for rel in facts.relations:
        assert text[rel.evidence[0].start : rel.evidence[0].end] == rel.evidence[0].text
    return [(names[r.subject], r.relation, names[r.object], r.date) for r in facts.relations]


def test_founding_stated_by_a_verb(extractor: Extractor) -> None:
    found = relations_of(extractor, "In 1998, Tohir Yuldashev founded the Islamic Movement of Uzbekistan in Kabul.")
    assert [(r, o, d) for s, r, o, d in found] == [("founded", "Islamic Movement of Uzbekistan", "1998")]
    assert variants(found[0][0], "Tohir Yuldashev", person=True)


def test_inverse_relation_swaps_subject_and_object(extractor: Extractor) -> None:
    found = relations_of(extractor, "The Taliban hosted the Islamic Movement of Uzbekistan in 2000.")
    assert [(s, r, o) for s, r, o, _ in found] == [("Islamic Movement of Uzbekistan", "hosted_by", "Taliban")]


def test_negated_relation_is_not_extracted(extractor: Extractor) -> None:
    assert relations_of(extractor, "The Taliban did not host the Islamic Movement of Uzbekistan.") == []
