"""Literal claims about actors — strengths, aims, deaths, renamings — and how every claim is worded.

A strength is a number of fighters the text gives a group ("a few hundred fighters", "2,000
men"); an aim is what a group means to do ("with the intent of overthrowing the Uzbek state");
a death is a person killed ("It is thought he was killed in one of the American air strikes");
a renaming is a new name ("the IMU was re-titled the IMT"). Each claim keeps whether it is
hedged ("reportedly", "it is thought") and who asserts it ("Rashid estimates ...", "according to
Tucker"), from the words of ``data/relations.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from conflictkb.arguments import Found, described_by_clause, entity_in, phrase_tokens
from conflictkb.entities import FoundEntities
from conflictkb.model import Relation
from conflictkb.references import referred_actor
from conflictkb.vocab import Vocab

_ACTOR_KINDS = ("armed_group", "organization", "state_actor", "person")
_CONFIDENCE = {"plain": 0.6, "asserted": 0.5, "hedged": 0.35}


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim found at a word: its relation, subject (local entity id), object entity or literal."""

    relation: str
    subject: str
    word: Token
    obj: str | None = None
    value: str | None = None
    number: int | None = None


def subtree(tok: Token | None) -> list[Token]:
    return list(tok.subtree) if tok is not None else []


def child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def referred_group(tok: Token, found: FoundEntities, vocab: Vocab) -> Found | None:
    """The actor a referring word ("its", "the group", "he") stands for, at the word's characters."""
    entity = referred_actor(tok, found, vocab)
    return Found(entity.name, tok.idx, tok.idx + len(tok.text), entity.id) if entity is not None else None


def actor_in(
    tokens: list[Token], found: FoundEntities, vocab: Vocab, kinds: tuple[str, ...] = _ACTOR_KINDS
) -> Found | None:
    """An actor named among ``tokens``, or the group a pronoun or "the group" among them refers to."""
    named = entity_in(tokens, found, kinds)
    if named is not None:
        return named
    for tok in tokens:
        referred = referred_group(tok, found, vocab)
        if referred is not None and found.get(referred.entity or "") is not None:
            return referred
    return None


def sentence_actor(
    tok: Token, found: FoundEntities, vocab: Vocab, kinds: tuple[str, ...] = _ACTOR_KINDS
) -> Found | None:
    """The actor a clause is about: the subject of the word's verb, else the first actor before it."""
    for anc in [tok, *tok.ancestors]:
        subject = child(anc, "nsubj", "nsubjpass")
        if subject is not None and subject.tag_ in ("WDT", "WP") and anc.dep_ == "relcl":
            # "the Taliban, which itself was fifteen thousand strong": the noun the clause describes;
            # "those who aimed to ...": someone unnamed.
            return described_by_clause(anc, found, kinds)
        if subject is not None:
            actor = actor_in(subtree(subject), found, vocab, kinds)
            if actor is not None:
                return actor
    return entity_in([t for t in tok.sent if t.i < tok.i], found, kinds)


# --- aims -----------------------------------------------------------------------------------------


def _aim_texts(word: Token) -> list[str]:
    """What an aim noun or verb says, one aim per coordinated clause: "to overthrow X and create
    Y" gives "overthrow X" and "create Y"; "its aim is to ..." too."""
    said_by_copula = word.head.children if word.dep_ == "nsubj" and word.head.lemma_ == "be" else ()
    for c in [*word.children, *said_by_copula]:
        head = None
        if c.dep_ == "xcomp" or (c.dep_ == "acl" and word.pos_ == "NOUN"):
            head = c
        elif c.dep_ == "prep" and c.lower_ in ("of", "to"):
            head = child(c, "pcomp", "pobj")
        if head is not None and head.pos_ in ("VERB", "AUX"):
            conjuncts = [t for t in head.children if t.dep_ == "conj" and t.pos_ == "VERB"]
            return [_clause(head, exclude=conjuncts), *(_clause(t) for t in conjuncts)]
    if word.dep_ == "dobj":
        # "outlined the aims of the IMU as the creation of an Islamic state by ...": what they are said to be.
        as_what = next((c for c in word.head.children if c.dep_ == "prep" and c.lower_ == "as"), None)
        said = child(as_what, "pobj") if as_what is not None else None
        if said is not None:
            end = max(said.right_edge.i, word.head.right_edge.i)
            return [" ".join(word.doc[said.left_edge.i : end + 1].text.split()).rstrip(".,;")]
    return []


def _aim_owner(word: Token, found: FoundEntities, vocab: Vocab) -> Found | None:
    """Whose aim: "its aims", "the aims of the IMU", else the subject of its clause when that subject
    is an actor ("the IMU seeks to ...") — not whoever was named before ("This achieved the purpose")."""
    of = next((c for c in word.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    owner = child(of, "pobj") if of is not None else None
    owned = actor_in(subtree(child(word, "poss")), found, vocab)
    if owned is None and owner is not None and owner.pos_ == "PROPN":
        owned = actor_in(subtree(owner), found, vocab)
    if owned is not None:
        return owned
    for anc in [word, *word.ancestors]:
        subject = child(anc, "nsubj", "nsubjpass")
        if subject is not None and subject.tag_ in ("WDT", "WP") and anc.dep_ == "relcl":
            return described_by_clause(anc, found)
        if subject is not None:
            return actor_in(subtree(subject), found, vocab)
    return None


def _clause(head: Token, exclude: list[Token] | None = None) -> str:
    """The words of a clause, without its coordinated siblings, subject or leading "to"/"of"."""
    left_out = {t.i for x in exclude or [] for t in x.subtree} | {c.i for c in head.children if c.dep_ == "cc"}
    tokens = [
        t for t in head.subtree if t.i not in left_out and not (t.i < head.i and t.dep_ in ("aux", "mark", "nsubj"))
    ]
    if not tokens:
        return ""
    text = head.doc[min(t.i for t in tokens) : max(t.i for t in tokens) + 1].text
    return " ".join(re.sub(r"^(?:to|of)\s+", "", text).split()).rstrip(".,;")


def _aims(doc: Doc, vocab: Vocab, found: FoundEntities) -> Iterator[Claim]:
    for tok in doc:
        specs = [*vocab.relation_nouns.get(tok.lemma_.lower(), ()), *vocab.relation_verbs.get(tok.lemma_.lower(), ())]
        if not any(s.relation == "aim" for s in specs):
            continue
        texts = [t for t in _aim_texts(tok) if len(t.split()) >= 2]
        owner = _aim_owner(tok, found, vocab)
        if owner is None or _is_source(owner, tok.sent, vocab):
            continue
        for text in texts:
            yield Claim("aim", str(owner.entity), tok, value=text)


# --- deaths and renamings -----------------------------------------------------------------------


def _is_source(actor: Found, sent: Span, vocab: Vocab) -> bool:
    """Is this actor the one the sentence quotes ("according to Tucker, ...")? Then the claim is not about it."""
    lowered = sent.text.lower()
    return any(f"{phrase} {actor.value.lower()}" in lowered for phrase in vocab.according_to)


def _deaths(doc: Doc, vocab: Vocab, found: FoundEntities) -> Iterator[Claim]:
    for tok in doc:
        if tok.pos_ != "VERB" or not any(
            s.relation == "killed_in" for s in vocab.relation_verbs.get(tok.lemma_.lower(), ())
        ):
            continue
        if any(a.lemma_.lower() in vocab.hypothetical for a in tok.ancestors):
            continue  # "an attempt to assassinate Karimov": he was not killed
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        who = (
            subtree(child(tok, "nsubjpass" if passive else "nsubj"))
            if passive or tok.lemma_ == "die"
            else subtree(child(tok, "dobj"))
        )
        person = entity_in(who, found, ("person",)) or _referred_person(tok, who, found)
        if person is not None:
            how = tok.doc[tok.i : max(t.i for t in tok.subtree) + 1].text
            yield Claim("killed_in", str(person.entity), tok, value=" ".join(how.split()).rstrip(".,;"))


def _referred_person(tok: Token, who: list[Token], found: FoundEntities) -> Found | None:
    """ "he was killed": the person the paragraph last named."""
    if not who or who[0].lower_ not in ("he", "she"):
        return None
    for k in range(tok.i - 1, max(-1, tok.i - 200), -1):
        if "\n\n" in tok.doc[k].text_with_ws:
            break
        entity = found.get(found.by_token.get(k, ""))
        if entity is not None and entity.kind == "person":
            return entity_in([tok.doc[k]], found, ("person",))
    return None


def _name_runs(sent: Span, found: FoundEntities) -> list[tuple[int, int, str]]:
    """The sentence's mentions as (first token, last token, entity), consecutive tokens joined."""
    runs: list[tuple[int, int, str]] = []
    for tok in sent:
        entity = found.by_token.get(tok.i)
        if entity is None:
            continue
        if runs and runs[-1][2] == entity and runs[-1][1] == tok.i - 1:
            runs[-1] = (runs[-1][0], tok.i, entity)
        else:
            runs.append((tok.i, tok.i, entity))
    return runs


def _renamings(doc: Doc, vocab: Vocab, found: FoundEntities) -> Iterator[Claim]:
    """ "the IMU was re-titled the IMT", "known since 2001 as the IMT": a new name of one entity;
    "HTS, ..., formerly known as the Nusra Front": the first name is the new one."""
    for sent in doc.sents:
        last: dict[str, tuple[int, int]] = {}
        for first, end, entity in _name_runs(sent, found):
            before = last.get(entity)
            if before is not None and first - before[1] == 2 and doc[first - 1].text == "(":
                continue  # "Hayat Tahrir al-Sham (HTS)": the name stays the full one, not its acronym
            last[entity] = (first, end)
            if before is None or first - before[1] < 2:
                continue
            between = " ".join(t.lower_ for t in doc[before[1] + 1 : first] if not t.is_punct)
            if any(f" {cue} " in f" {between} " for cue in vocab.former_name_cues):
                yield Claim("renamed_to", entity, doc[before[0]], value=doc[before[0] : before[1] + 1].text)
            elif any(cue in f" {between} " for cue in vocab.rename_cues):
                yield Claim("renamed_to", entity, doc[first], value=doc[first : end + 1].text)


# --- foundings ------------------------------------------------------------------------------------

_GROUP_KINDS = ("armed_group", "organization")
_WHERE = frozenset({"in", "at"})


def founding_place(word: Token, found: FoundEntities) -> str | None:
    """Where a founding happened: a place after "in" or "at" on the founding verb ("founded in
    Tajikistan"), within a founding noun's phrase, or on the verb that has that noun ("announced
    the formation of the IMU in Kabul")."""
    preps = [c for c in word.children if c.dep_ == "prep" and c.lower_ in _WHERE]
    # "formed by Baitullah Mehsud in South Waziristan": the place may hang off the founder.
    founder = child(child(word, "agent") or word, "pobj") if child(word, "agent") is not None else None
    preps += [c for c in founder.children if c.dep_ == "prep" and c.lower_ in _WHERE] if founder else []
    if word.pos_ in ("NOUN", "PROPN"):
        preps += [t for t in word.subtree if t.dep_ == "prep" and t.lower_ in _WHERE and t.i != word.i]
        if word.head.pos_ == "VERB":
            preps += [c for c in word.head.children if c.dep_ == "prep" and c.lower_ in _WHERE]
    for prep in sorted(preps, key=lambda t: t.i):
        place = entity_in(list(prep.subtree), found, ("place",))
        if place is not None:
            return place.value
    return None


def _foundings(doc: Doc, vocab: Vocab, found: FoundEntities) -> Iterator[Claim]:
    """ "The IMU was founded in the late 1990s in Tajikistan": a group's founding with no founder
    named, a claim on the group itself (its date and place are what other accounts may contradict)."""
    verbs = {lemma for lemma, specs in vocab.relation_verbs.items() if any(s.relation == "founded" for s in specs)}
    for tok in doc:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in verbs or not any(c.dep_ == "auxpass" for c in tok.children):
            continue
        if entity_in(subtree(child(tok, "agent")), found, _ACTOR_KINDS) is not None:
            continue  # a founder is named: the relation "X founded Y" says it
        subject = child(tok, "nsubjpass")
        if subject is not None and subject.tag_ in ("WDT", "WP") and tok.dep_ == "relcl":
            subject = tok.head  # "the IMU, which was founded in Kabul"
        group = actor_in(subtree(subject), found, vocab, _GROUP_KINDS)
        if group is not None and group.entity is not None:
            yield Claim("founded", group.entity, tok, value=founding_place(tok, found))


def extract_claims(doc: Doc, vocab: Vocab, found: FoundEntities) -> list[Claim]:
    """Every literal claim of the document, in reading order."""
    from conflictkb.strengths import strength_claims  # strengths builds on this module's helpers

    claims = [
        *strength_claims(doc, vocab, found),
        *_aims(doc, vocab, found),
        *_deaths(doc, vocab, found),
        *_renamings(doc, vocab, found),
        *_foundings(doc, vocab, found),
        *_unnamed_funders(doc, vocab, found),
    ]
    return sorted(claims, key=lambda c: c.word.i)


# --- money from no named actor ------------------------------------------------------------------


def _words_of(head: Token | None) -> str:
    return " ".join(head.doc[phrase_tokens(head)[0].i : head.i + 1 + _of_length(head)].text.split()) if head else ""


def _of_length(head: Token) -> int:
    """How many words an "of ..." complement adds after the head ("70 per cent of the drugs trade")."""
    of = next((c for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    return (of.right_edge.i - head.i) if of is not None else 0


def _funder_and_funded(tok: Token, vocab: Vocab) -> tuple[Token | None, Token | None]:
    """The heads of who gives and who gets the money a verb or noun states: "X funded Y", "Y was
    financed by X", "X who had been funding Y", "the drugs trade, to fund their organizations",
    "X channelled funds into Y"."""
    if tok.pos_ == "VERB":
        if any(c.dep_ == "auxpass" for c in tok.children):
            agent = child(tok, "agent")
            return (child(agent, "pobj") if agent is not None else None), child(tok, "nsubjpass")
        funder = child(tok, "nsubj")
        if funder is not None and funder.tag_ in ("WDT", "WP") and tok.dep_ == "relcl":
            funder = tok.head
            while funder.dep_ == "pobj" and funder.head.lower_ == "of":  # "a handful of Arabs who ..."
                funder = funder.head.head
        if funder is None and tok.dep_ in ("advcl", "xcomp") and tok.head.pos_ == "VERB":
            funder = child(tok.head, "dobj")  # "control the drugs trade to fund their organizations"
        funded = child(tok, "dobj")
        if funded is not None and funded.lower_.endswith(("self", "selves")):
            # "The group finances itself through gold smuggling": the means fund the subject.
            means = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in vocab.means_preps), None)
            return (child(means, "pobj") if means is not None else None), funder
        return funder, funded
    if tok.dep_ == "dobj" and tok.head.pos_ == "VERB":
        into = next((c for c in tok.head.children if c.dep_ == "prep" and c.lower_ in ("into", "to", "for")), None)
        return child(tok.head, "nsubj"), child(into, "pobj") if into is not None else None
    return None, None


def _unnamed_funders(doc: Doc, vocab: Vocab, found: FoundEntities) -> Iterator[Claim]:
    """Money from no named actor ("a handful of Arabs who had been funding Adolat", "Saudi
    businessmen channelled funds into X", the drugs trade): the funder as text. Funders that are
    named actors are relations between entities (relations.py)."""
    for tok in doc:
        specs = [*vocab.relation_verbs.get(tok.lemma_.lower(), ()), *vocab.relation_nouns.get(tok.lemma_.lower(), ())]
        if not any(s.relation == "funded_by" for s in specs):
            continue
        funder, funded = _funder_and_funded(tok, vocab)
        if funder is None or funded is None or funder.pos_ == "PRON" or funder.tag_ in ("WDT", "WP"):
            continue
        if entity_in(phrase_tokens(funder), found) is not None or referred_group(funder, found, vocab) is not None:
            continue  # a named actor, or one the words refer back to ("the group"): a relation between actors
        receiver = actor_in(subtree(funded), found, vocab)
        text = _words_of(funder)
        if receiver is not None and receiver.entity is not None and len(text.split()) >= 2:
            yield Claim("funded_by", receiver.entity, tok, value=text)


# --- how a claim is worded --------------------------------------------------------------------


def qualify(relation: Relation, word: Token, found: FoundEntities, vocab: Vocab) -> None:
    """Mark a claim hedged ("reportedly", "it is thought") and name who asserts it ("Rashid
    estimates", "according to Tucker"); set its confidence from both."""
    sent = word.sent
    lowered = f" {' '.join(t.lower_ for t in sent)} "
    modal = any(c.dep_ == "aux" and c.lower_ in vocab.epistemic_modals for c in [*word.children, *word.head.children])
    relation.hedged = any(f" {h} " in lowered for h in vocab.hedges) or modal or _passive_hedge(word, vocab)
    relation.asserted_by = _asserter(word, found, vocab)
    relation.confidence = _CONFIDENCE["hedged" if relation.hedged else "asserted" if relation.asserted_by else "plain"]


def _passive_hedge(word: Token, vocab: Vocab) -> bool:
    """ "The group is now believed to be based in ...": a passive report verb with no one named
    as its source, over the claim's word."""
    for verb in [word, *word.ancestors]:
        if verb.lemma_.lower() in vocab.passive_hedges and any(c.dep_ == "auxpass" for c in verb.children):
            return not any(c.dep_ == "agent" for c in verb.children)
    return False


def _asserter(word: Token, found: FoundEntities, vocab: Vocab) -> str | None:
    sent = word.sent
    text = sent.text.lower()
    for phrase in vocab.according_to:
        at = text.find(phrase)
        if at >= 0:
            after = [t for t in sent if t.idx >= sent.start_char + at + len(phrase)][:6]
            actor = entity_in(after, found, _ACTOR_KINDS)
            if actor is not None:
                return actor.value
            words = []
            for t in after[:3]:  # "according to analysts." : the words up to the sentence's punctuation
                if t.is_punct:
                    break
                words.append(t.text)
            return " ".join(words) or None
    for anc in word.ancestors:
        if anc.lemma_.lower() in vocab.assertion_verbs and anc.pos_ == "VERB":
            speaker = child(anc, "nsubj")
            if speaker is None or speaker.i in {t.i for t in word.subtree} or word in speaker.subtree:
                continue  # "the Pakistan-based LeT claimed ...": words inside the speaker are not what it says
            if speaker.pos_ == "PRON":  # "He accused ...": whom "he" refers to, if anyone
                referred = referred_group(speaker, found, vocab)
                return referred.value if referred is not None else None
            actor = entity_in(subtree(speaker), found, _ACTOR_KINDS)
            return actor.value if actor is not None else " ".join(t.text for t in subtree(speaker))
    return None
