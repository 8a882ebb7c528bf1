"""Relations stated by a noun: "found sanctuary among X", "its bases in Y", "funds for X", "the
formation of Y", "X regarded Y as an ally", "Taloqan, Masoud's headquarters"; and, for the
relations that allow it (``text_objects``), an object that names no actor, as its words."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from conflictkb.arguments import Found, described_by_clause, entity_in, phrase_tokens
from conflictkb.claims import actor_in
from conflictkb.entities import FoundEntities
from conflictkb.names import entity_key
from conflictkb.relation_parts import GROUP_KINDS, SUBJECT_KINDS, Pair, child, objects_after, subtree
from conflictkb.vocab import RelationVerb, Vocab


def _noun_owner(noun: Token, found: FoundEntities, vocab: Vocab) -> Found | None:
    """Who has or gets the noun: its possessor ("its bases"), the subject of its verb, the group
    it describes ("a group with links to ...")."""
    owner = actor_in(subtree(child(noun, "poss")), found, vocab, SUBJECT_KINDS)
    if owner is not None:
        return owner
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("NOUN", "PROPN"):
        described = noun.head.head  # "a homegrown group with links to ...": the group, and what it stands for
        owner = entity_in([described, *described.ancestors], found, SUBJECT_KINDS) or _named_just_before(
            described, found, vocab
        )
        if owner is not None:
            return owner
    verb = noun.head if noun.dep_ in ("dobj", "attr", "nsubj", "pobj") else None
    while verb is not None and verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb is not None and noun.dep_ == "dobj" and verb.lemma_.lower() in vocab.triggers_by_first:
        return None  # "the group attacked a base in Baidoa": what it attacked is not its own
    if verb is not None:
        subject = child(verb, "nsubj", "nsubjpass")
        if subject is not None and subject.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
            # "the organization that provided funds": the relative pronoun is the noun it follows.
            return described_by_clause(verb, found, SUBJECT_KINDS)
        if subject is not None:
            return actor_in(subtree(subject), found, vocab, SUBJECT_KINDS)
        if verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX"):
            # "Having acquired funding from X, Yuldashev went ...": the main clause's subject.
            return actor_in(subtree(child(verb.head, "nsubj")), found, vocab, SUBJECT_KINDS)
        if verb.dep_ == "xcomp":
            # "forced them to seek shelter with X": the object of the verb it completes acts;
            # "The IMT leaders have been able to find sanctuary": else the subject of the clause.
            told = child(verb.head, "dobj")
            if told is not None:
                return actor_in(subtree(told), found, vocab, SUBJECT_KINDS)
            controller = next((a for a in verb.ancestors if child(a, "nsubj") is not None), None)
            if controller is not None:
                return actor_in(subtree(child(controller, "nsubj")), found, vocab, SUBJECT_KINDS)
        if verb.dep_ in ("acl", "relcl", "conj", "xcomp"):
            return entity_in([verb.head, *verb.head.ancestors], found, SUBJECT_KINDS)
    return None


def _named_just_before(noun: Token, found: FoundEntities, vocab: Vocab) -> Found | None:
    """ "the TTP, a homegrown group with ...": a group noun set off by a comma describes the actor
    named right before it, however the parser attached it."""
    start = noun.left_edge.i
    if noun.lemma_.lower() not in vocab.group_nouns or start < 2 or noun.doc[start - 1].text != ",":
        return None
    before = noun.doc[start - 2]
    named = found.by_token.get(before.i)
    entity = found.get(named) if named else None
    if entity is None or entity.kind not in GROUP_KINDS:
        return None
    return entity_in([before], found, GROUP_KINDS)


def _receiver(noun: Token, spec: RelationVerb, found: FoundEntities, vocab: Vocab) -> Found | None:
    """Who the noun is given to: "funds for X", "provided the funding to X", "gave him funds"."""
    words = objects_after(noun, spec.inverse_preps)
    if noun.dep_ == "dobj":  # the preposition or the indirect object hangs on the verb
        words += [t for t in objects_after(noun.head, spec.inverse_preps) if t.i > noun.i]
        words += subtree(child(noun.head, "dative"))
    return actor_in(words, found, vocab, SUBJECT_KINDS) if words else None


def _appositions(noun: Token) -> list[Token]:
    """What the noun is said to be by apposition, either way: "Taloqan, Masoud's headquarters"."""
    words = [noun.head] if noun.dep_ == "appos" else []
    return words + [t for c in noun.children if c.dep_ == "appos" for t in phrase_tokens(c)]


def _regarded_as(tok: Token, spec: RelationVerb, found: FoundEntities, vocab: Vocab) -> Pair | None:
    """ "The Taliban regarded the IMU as an ally": the one regarded has the noun, the regarder is the other."""
    verb = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "as" else None
    direct = child(verb, "dobj") if verb is not None and verb.pos_ == "VERB" else None
    if verb is None or direct is None or direct.i > tok.i:
        return None  # "As guests of the TTP, the IMU ...": no one regarded, an ordinary noun
    regarded = actor_in(phrase_tokens(direct), found, vocab, SUBJECT_KINDS)
    regarder = entity_in(subtree(child(verb, "nsubj")), found, tuple(spec.object_kinds))
    if regarded is None or regarder is None or regarded.entity == regarder.entity:
        return None
    return Pair(spec.relation, regarded, regarder, tok)


def by_noun(tok: Token, vocab: Vocab, found: FoundEntities) -> Iterator[Pair]:
    # The parser sometimes takes a noun for an adjective ("found sanctuary"): its role says it is a noun.
    if tok.pos_ not in ("NOUN", "PROPN") and tok.dep_ not in ("dobj", "pobj", "nsubj", "attr"):
        return
    # The word as written too: the lemmatiser makes "bases" "basis".
    specs = vocab.relation_nouns.get(tok.lemma_.lower(), ()) or vocab.relation_nouns.get(tok.lower_, ())
    for spec in specs:
        if spec.literal:
            continue
        regarded = _regarded_as(tok, spec, found, vocab)
        if regarded is not None:
            yield regarded
            return
        owner = _noun_owner(tok, found, vocab)
        takes_of = tok.lemma_.lower() in spec.of_nouns or tok.lower_ in spec.of_nouns
        objects = objects_after(tok, spec.preps | {"of"} if takes_of else spec.preps)
        if tok.dep_ == "dobj":  # "found sanctuary among the Taliban": the preposition hangs on the verb
            objects += [t for t in objects_after(tok.head, spec.preps) if t.i > tok.i]
        objects += _appositions(tok)  # "Taloqan, Masoud's headquarters"
        obj = entity_in(objects, found, tuple(spec.object_kinds))
        given = _receiver(tok, spec, found, vocab)
        if owner is not None and obj is not None and owner.entity != obj.entity:
            # Nouns are had by their subject: "X found sanctuary with Y", "funding from Y".
            yield Pair(spec.relation, owner, obj, tok)
            return
        if owner is not None and given is not None and owner.entity != given.entity:
            # ... or given by it: "X offered a haven for Y", "X provided funds for Y".
            yield Pair(spec.relation, given, owner, tok)
            return
        given_here = _given_in_a_passive(tok, spec, found, vocab)
        if given_here is not None:
            yield given_here
            return
        described = _described_object(tok, spec, found) if owner is not None and spec.text_objects else None
        if owner is not None and described is not None:
            # "found sanctuary among Pakistani Islamist circles": the host is no named actor; its words.
            yield Pair(spec.relation, owner, described, tok)
            return


def _given_in_a_passive(noun: Token, spec: RelationVerb, found: FoundEntities, vocab: Vocab) -> Pair | None:
    """ "A new base was opened for them at Mazar by the Taliban": the noun is the passive subject,
    the one it is given to follows "for"/"to", the object one of the relation's prepositions."""
    verb = noun.head if noun.dep_ == "nsubjpass" else None
    if verb is None:
        return None
    for_whom = objects_after(verb, spec.inverse_preps or frozenset({"for"}))
    given = actor_in([*for_whom, *subtree(child(verb, "dative"))], found, vocab, SUBJECT_KINDS)
    obj = entity_in(objects_after(verb, spec.preps), found, tuple(spec.object_kinds))
    if given is None or obj is None or given.entity == obj.entity:
        return None
    return Pair(spec.relation, given, obj, noun)


def _described_object(noun: Token, spec: RelationVerb, found: FoundEntities) -> Found | None:
    """The object phrase after the noun's preposition when it names no entity at all, as text."""
    heads = [
        child(prep, "pobj")
        for word in (noun, noun.head if noun.dep_ == "dobj" else None)
        if word is not None
        for prep in word.children
        if prep.dep_ == "prep" and prep.lower_ in spec.preps and prep.i > noun.i
    ]
    for head in (h for h in heads if h is not None and h.pos_ in ("NOUN", "PROPN")):
        words = [t for t in head.subtree if t.i >= head.left_edge.i]
        named = entity_in(words, found, tuple(spec.object_kinds) or SUBJECT_KINDS)
        if named is not None or len(words) < 2 or not any(t.text[:1].isupper() for t in words):
            continue  # a named object is a relation between entities; "other groups" says nothing
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        text = " ".join(noun.doc.text[start:end].split())
        # Words the parser missed as a name but the document gives an actor elsewhere ("links with bin Laden").
        known = next(
            (
                e
                for e in found.entities
                if e.kind in spec.object_kinds and entity_key(text) in {entity_key(a) for a in e.aliases}
            ),
            None,
        )
        return Found(text, start, end, entity=known.id if known is not None else None)
    return None
