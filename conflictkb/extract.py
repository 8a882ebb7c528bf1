"""The per-document pipeline: Document -> DocumentFacts, a pure function of the file and the data.

normalize -> spaCy -> entities -> places -> events -> relations. Nothing here touches the store,
so the same function runs in a process pool or on a Ray cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc

from conflictkb.actors import Actor, Dictionary, load_dictionary
from conflictkb.aliases import resolve_aliases
from conflictkb.dates import ParsedDate
from conflictkb.entities import extract_entities
from conflictkb.events import Inputs, extract_events
from conflictkb.gazetteer import Gazetteer, default_gazetteer
from conflictkb.model import DatePrecision, Document, DocumentFacts, Sentence
from conflictkb.nlp import load_pipeline, parse
from conflictkb.normalize import normalize
from conflictkb.ocr import repair
from conflictkb.place_phrases import find_borders, find_located_places, place_phrases
from conflictkb.places import Context, find_capitals, find_misread_people, find_misread_places, resolve_places
from conflictkb.relations import extract_relations
from conflictkb.states import countries_acting, joint_forces, leaders_governments
from conflictkb.timeline import build, infer_published
from conflictkb.vocab import Vocab, load_vocab


def document_context(doc: Doc, dictionary: Dictionary) -> Context:
    """The countries a document is about: those it names, its demonyms, its state actors' countries."""
    context = Context()
    for ent in doc.ents:
        code = dictionary.country_meant(ent.ent_id_)
        if code is not None:
            context.countries[code] += 1
    return context


# Publication dates that come from the file or its dateline (its year perhaps inferred: a news
# story all the same), not from the dates it reports.
STATED_PUBLICATION = ("dateline", "html metadata", "pdf metadata", "docx metadata")


def publication(
    document: Document, doc: Doc, text: str, dictionary: Dictionary | None = None
) -> tuple[Document, ParsedDate | None]:
    """The document with its publication date filled in (from the dateline or the latest date it
    reports, with the basis said) when the file's metadata had none; and that date, parsed."""
    if document.published:
        precision: DatePrecision = {10: "day", 7: "month"}.get(len(document.published), "year")  # type: ignore[assignment]
        return document, ParsedDate(document.published, precision, 0, 0)
    term = dictionary.latest_term(e.ent_id_ for e in doc.ents) if dictionary is not None else None
    found, basis = infer_published(doc, text, term)
    if found is None:
        return document, None
    return replace(document, published=found.iso, published_basis=basis), found


@dataclass
class Extractor:
    """The loaded resources (spaCy pipeline, vocabularies, gazetteer) and the pipeline over them."""

    nlp: Language
    vocab: Vocab
    gazetteer: Gazetteer
    dictionary: Dictionary

    @classmethod
    def load(cls, model: str | None = None, actors: tuple[Actor, ...] = ()) -> Extractor:
        """The resources for a spaCy pipeline (by name) and the user's extra ``actors``."""
        return cls(load_pipeline(model, actors), load_vocab(), default_gazetteer(), load_dictionary(actors))

    def __call__(self, document: Document) -> DocumentFacts:
        norm = repair(normalize(document.text))
        doc = parse(norm.text, self.nlp)
        document, published = publication(document, doc, norm.text, self.dictionary)
        stated = (document.published_basis or "").startswith(STATED_PUBLICATION)
        timeline = build(doc, published, stated, self.vocab.assertion_verbs)
        found = extract_entities(doc, norm, self.vocab, self.dictionary)
        resolve_aliases(found, doc, norm, self.vocab, self.dictionary)
        countries_acting(found, doc, norm, self.vocab, self.dictionary)
        joint_forces(found, doc, norm, self.vocab, self.dictionary)
        leaders_governments(found, doc, norm, self.vocab, self.dictionary)
        context = document_context(doc, self.dictionary)
        find_misread_places(doc, found, norm, self.gazetteer, context, self.vocab)
        find_misread_people(doc, found, self.gazetteer, self.vocab)
        find_capitals(doc, found, norm, self.dictionary)
        find_borders(doc, found, norm, self.vocab, self.dictionary)
        located = find_located_places(doc, found, norm, self.vocab)
        places = place_phrases(resolve_places(found.entities, self.gazetteer, context), found, located)
        events = extract_events(doc, Inputs(self.vocab, found, places, norm, timeline, context, self.dictionary))
        relations = extract_relations(doc, self.vocab, found, norm, timeline, self.dictionary)
        sentences = []
        for sent in doc.sents:
            span = norm.span(sent.start_char, sent.end_char)
            sentences.append(Sentence(span.start, span.end))
        return DocumentFacts(document, sentences, found.entities, found.mentions, events, relations, places)
