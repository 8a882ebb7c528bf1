"""An event's arguments read from the dependency parse: who did it, to whom, where and when.

Used by ``events``: given the trigger token of a sentence, each function returns one argument
and the span of the parsed text it was read from, or nothing when the sentence does not say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from conflictkb.dates import ParsedDate, is_date_phrase, parse_date
from conflictkb.entities import FoundEntities
from conflictkb.model import Place
from conflictkb.places import specificity
from conflictkb.references import referred_actor
from conflictkb.vocab import Vocab

_ACTOR_KINDS = ("armed_group", "organization", "state_actor", "person", "place")
_SUBJECT_DEPS = ("nsubj", "agent", "poss", "compound", "nmod")


@dataclass(frozen=True, slots=True)
class Found:
    """An argument's value and the character span (in the parsed text) it came from."""

    value: str
    start: int
    end: int
    entity: str | None = None
    extra: str | None = None


def modal_or_negated(tok: Token) -> bool:
    """ "did not attack", "could attack": the token's own negation or modal auxiliary."""
    return any(c.dep_ == "neg" or (c.dep_ == "aux" and c.tag_ == "MD") for c in tok.children)


def _tok_span(tokens: list[Token]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def entity_in(tokens: list[Token], found: FoundEntities, kinds: tuple[str, ...] = _ACTOR_KINDS) -> Found | None:
    """The actor entity among ``tokens`` (an actor before a place standing for a state, then the
    first), as its whole mention."""
    ranked = sorted(
        (t for t in tokens if found.by_token.get(t.i)),
        key=lambda t: (found.get(found.by_token[t.i]).kind == "place", t.i),  # type: ignore[union-attr]
    )
    for tok in ranked:
        entity_id = found.by_token.get(tok.i)
        entity = found.get(entity_id) if entity_id else None
        if entity is None or entity.kind not in kinds:
            continue
        mention = [t for t in tok.doc[tok.i : tok.sent.end] if found.by_token.get(t.i) == entity_id]
        run = [mention[0]]
        for t in mention[1:]:
            if t.i != run[-1].i + 1:
                break
            run.append(t)
        start, end = _tok_span(run)
        return Found(entity.name, start, end, entity=entity.id)
    return None


def phrase_tokens(head: Token) -> list[Token]:
    """A noun phrase without its clauses: left modifiers, the head, and an "of ..." complement."""
    tokens = [t for t in head.subtree if t.i <= head.i and t.dep_ not in ("punct", "cc")]
    left = min((t.i for t in tokens), default=head.i)
    tokens = list(head.doc[left : head.i + 1])
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            tokens.extend(child.subtree)
    return tokens


def described_by_clause(verb: Token, found: FoundEntities, kinds: tuple[str, ...] = _ACTOR_KINDS) -> Found | None:
    """The actor a relative clause ("that provided funds", "which was founded") describes: the named
    actor its noun is in apposition to ("the JUI, a Deobandi movement that backed ..."), else an
    actor in the noun's own phrase ("IMU militants who ...")."""
    noun = verb.head
    if noun.dep_ == "appos":
        named = entity_in(phrase_tokens(noun.head), found, kinds)
        if named is not None:
            return named
    return entity_in(phrase_tokens(noun), found, kinds)


def _attribution_verb(trigger: Token, vocab: Vocab) -> Token | None:
    for anc in [trigger, *trigger.ancestors]:
        if anc.lemma_.lower() in vocab.attribution and anc.pos_ == "VERB":
            return anc
    return None


def perpetrator(trigger: Token, found: FoundEntities, vocab: Vocab, places: dict[str, Place]) -> Found | None:
    """The actor the sentence holds responsible, and how ("stated", "claimed", "blamed by X").

    A place stands for an actor only when it is a country ("Tajikistan blamed ..."): a city names
    where ("the Karachi airport attack", a "TASHKENT --" dateline), not who.
    """
    actor = _responsible(trigger, found, vocab)
    if actor is not None and actor.entity in places and places[actor.entity].precision != "country":
        return None
    return actor


def _responsible(trigger: Token, found: FoundEntities, vocab: Vocab) -> Found | None:
    cue = _attribution_verb(trigger, vocab)
    if cue is not None and cue.i != trigger.i:
        how = vocab.attribution[cue.lemma_.lower()]
        claimant = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if claimant is not None and claimant.tag_ in ("WDT", "WP") and cue.dep_ == "relcl":
            claimant = cue.head  # "the IMU, that claimed ...": the relative pronoun stands for the noun it follows
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children)
        if how == "blamed" and passive and claimant is not None:
            # "the Haqqani network was blamed for ...": the subject is the blamed, the agent the blamer;
            # "the attack was blamed on the Taliban by officials": the blamed follows "on".
            on = [t for c in cue.children if c.dep_ == "prep" and c.lower_ == "on" for t in c.subtree]
            actor = entity_in(list(claimant.subtree), found) if claimant.i != trigger.i else None
            actor = actor or entity_in(on, found)
            agent = next((c for c in cue.children if c.dep_ == "agent"), None)
            by = entity_in(list(agent.subtree), found) if agent is not None else None
            if actor is not None:
                return Found(
                    actor.value, actor.start, actor.end, actor.entity, f"blamed by {by.value}" if by else "blamed"
                )
        elif how == "blamed":
            on = [c for c in [*cue.children, *trigger.children] if c.dep_ == "prep" and c.lower_ == "on"]
            actor = entity_in([t for p in on for t in p.subtree], found)
            blamed = next((c for c in cue.children if c.dep_ == "dobj"), None)
            if actor is None and blamed is not None and blamed.i != trigger.i:
                actor = entity_in(list(blamed.subtree), found)  # "Tajikistan blamed the IMU for the attack"
            by = entity_in(list(claimant.subtree), found) if claimant is not None else None
            if actor is not None:
                return Found(
                    actor.value, actor.start, actor.end, actor.entity, f"blamed by {by.value}" if by else "blamed"
                )
        elif passive and any(c.dep_ == "agent" for c in cue.children):
            # "The assault ... was claimed by JNIM": the agent claims.
            agent = next(c for c in cue.children if c.dep_ == "agent")
            actor = entity_in(list(agent.subtree), found)
            if actor is not None:
                return Found(actor.value, actor.start, actor.end, actor.entity, how)
        elif claimant is not None:
            actor = entity_in(list(claimant.subtree), found)
            if actor is not None:
                return Found(actor.value, actor.start, actor.end, actor.entity, how)
    return _direct_perpetrator(trigger, found, "suspected" if cue is not None else "stated", vocab)


def _instrument(trigger: Token, obj: Token, vocab: Vocab) -> bool:
    """Is the verb's object what it was done with (a word its trigger needs nearby: "fired
    rockets"), not whom it was done to?"""
    lemma = trigger.lemma_.lower()
    return any(obj.lemma_.lower() in t.context for t in vocab.triggers_by_first.get(lemma, ()) if t.lemmas == (lemma,))


def later_attribution(sent: SpacySpan, found: FoundEntities, vocab: Vocab) -> Found | None:
    """A sentence with no act of its own that says who did the one just told: "Boko Haram is
    suspected.", "No group claimed responsibility, but officials blamed Boko Haram."."""
    for cue in sent:
        how = vocab.attribution.get(cue.lemma_.lower())
        if how is None or cue.pos_ != "VERB" or any(c.dep_ == "neg" for c in cue.children):
            continue
        if not _about_the_act(cue, vocab):
            continue  # "The Uzbek government accused Kyrgyzstan of laxity": of something else
        subject, patient = _child(cue, "nsubj"), _child(cue, "nsubjpass")
        if how == "claimed":
            words = _subtree(subject)
        elif how == "blamed":
            on = [t for c in cue.children if c.dep_ == "prep" and c.lower_ == "on" for t in c.subtree]
            words = on or _subtree(_child(cue, "dobj")) or _subtree(patient)
        else:
            words = _subtree(patient) or _subtree(_child(cue, "dobj"))
        actor = entity_in(words, found)
        if actor is None:
            continue
        by = entity_in(_subtree(subject), found) if how == "blamed" else None
        label = f"blamed by {by.value}" if by is not None else how
        return Found(actor.value, actor.start, actor.end, actor.entity, label)
    return None


def _about_the_act(cue: Token, vocab: Vocab) -> bool:
    """Does an attribution verb with no act in its sentence speak of the act just told: nothing
    said of what ("Boko Haram is suspected", "officials blamed Boko Haram"), or of responsibility or
    an incident ("claimed responsibility", "blamed X for the attack")?"""
    said_of = [
        c for c in cue.children if (c.dep_ == "prep" and c.lower_ in ("of", "for")) or c.dep_ in ("ccomp", "xcomp")
    ]
    if vocab.attribution.get(cue.lemma_.lower()) == "claimed":
        said_of += [c for c in cue.children if c.dep_ == "dobj"]
    words = {t.lemma_.lower() for c in said_of for t in c.subtree}
    return not said_of or bool(words & (vocab.anaphors | vocab.responsibility_words | set(vocab.triggers_by_first)))


def _child(tok: Token, dep: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ == dep), None)


def _subtree(tok: Token | None) -> list[Token]:
    return list(tok.subtree) if tok is not None else []


def _words_after(tok: Token, limit: int = 8) -> list[Token]:
    """The words after a preposition the parser left without an object, up to the next verb."""
    words: list[Token] = []
    for nxt in tok.doc[tok.i + 1 : min(tok.sent.end, tok.i + 1 + limit)]:
        if nxt.pos_ in ("VERB", "AUX") or nxt.is_punct:
            break
        words.append(nxt)
    return words


def _tells_what_happened_in(clause: Token) -> bool:
    """ "a prison break, in which 25 IMU militants escaped": a relative clause about the event itself."""
    return any(
        c.dep_ == "prep" and c.lower_ in ("in", "during") and any(g.lower_ == "which" for g in c.children)
        for c in clause.children
    )


def _direct_perpetrator(trigger: Token, found: FoundEntities, how: str, vocab: Vocab) -> Found | None:
    """The trigger's own subject, agent ("by X"), possessor or modifier ("IMU attacks"), or the doer of
    a relative clause telling what happened in it ("a prison break, in which IMU militants
    escaped"); a subject that only refers to a group ("the insurgents") is the armed group the
    text last named."""
    candidates: list[Token] = []
    for child in trigger.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            candidates.extend(t for t in child.subtree if t is not child)
            candidates.extend(_words_after(child) if child.n_rights == 0 else [])
        elif child.dep_ in _SUBJECT_DEPS and child.i < trigger.i:
            candidates.extend(child.subtree)
        elif child.dep_ == "relcl" and _tells_what_happened_in(child):
            subject = next((c for c in child.children if c.dep_ == "nsubj"), None)
            candidates.extend(subject.subtree if subject is not None else [])
    candidates.extend(_leader_before_hyphen(trigger, vocab))
    actor = entity_in(candidates, found)
    # "The militants launched an attack", "troops carried out an operation": the verb's subject; not
    # "the president condemned the bombing" (only verbs of carrying out, act_verbs in cues.yaml).
    phrase = trigger  # "initiated a series of surprise attacks": the phrase the act word heads
    while phrase.dep_ == "pobj" and phrase.head.lower_ == "of" and phrase.head.head.pos_ == "NOUN":
        phrase = phrase.head.head
    carried_out = phrase.dep_ != "dobj" or phrase.head.lemma_.lower() in vocab.act_verbs
    if (
        actor is None
        and phrase.dep_ in ("advcl", "conj", "xcomp", "dobj")
        and phrase.head.pos_ == "VERB"
        and carried_out
    ):
        subject = next((c for c in phrase.head.children if c.dep_ == "nsubj"), None)
        candidates.extend(subject.subtree if subject is not None else [])
        actor = entity_in(candidates, found)
    if actor is not None:
        return Found(actor.value, actor.start, actor.end, actor.entity, how)
    return _referred_group(candidates, found, vocab)


def unnamed_forces(trigger: Token, found: FoundEntities, vocab: Vocab) -> Found | None:
    """ "government security forces and the army clashed with ...", "the position was stormed by
    troops": the act's subject or agent is a state's forces with no nationality named (``force_nouns``
    in cues.yaml, no actor, no militant or non-state word). The words, as a Found with no entity."""
    heads = [c for c in trigger.children if c.dep_ in _SUBJECT_DEPS and c.i < trigger.i]
    heads += [t for c in trigger.children if c.dep_ == "agent" for t in c.children if t.dep_ == "pobj"]
    if not heads and trigger.dep_ in ("advcl", "conj", "xcomp", "dobj") and trigger.head.pos_ == "VERB":
        heads = [c for c in trigger.head.children if c.dep_ == "nsubj"]
    for head in heads:
        words = [t for t in head.subtree if t.i <= head.i or t.dep_ == "conj"]
        nouns = [t for t in words if t.pos_ in ("NOUN", "PROPN")]
        if not any(t.lemma_.lower() in vocab.force_nouns for t in nouns):
            continue
        if any(found.by_token.get(t.i) for t in words):
            continue  # a named actor or nationality: the ordinary perpetrator rules decide
        if any(t.lemma_.lower() in vocab.militant_nouns | vocab.non_state_force_words for t in words):
            continue
        start, end = _tok_span(words)
        return Found(trigger.doc.text[start:end], start, end)
    return None


def _leader_before_hyphen(trigger: Token, vocab: Vocab) -> list[Token]:
    """ "the U.S.-led invasion", "a Taliban-led attack": the word joined to "-led" leads the act."""
    words: list[Token] = []
    for child in trigger.children:
        joined = child.i >= 2 and child.doc[child.i - 1].text in ("-", "–")
        if child.dep_ in ("amod", "compound") and child.lemma_.lower() in vocab.led_by_words and joined:
            words.append(child.doc[child.i - 2])
    return words


def _referred_group(candidates: list[Token], found: FoundEntities, vocab: Vocab) -> Found | None:
    """ "They ambushed ...", "the insurgents ambushed ...": the actor the subject refers back to,
    within the paragraph ("gunmen" alone may be anyone, so only referring words count)."""
    heads = [t for t in candidates if t.dep_ in ("nsubj", "nsubjpass", "poss", "pobj") or t.head not in candidates]
    for head in heads:
        actor = referred_actor(head, found, vocab, paragraph=True)
        if actor is not None:
            words = [t for t in head.subtree if t.i <= head.i]
            start, end = _tok_span(words)
            return Found(actor.name, start, end, actor.id, f"stated, by reference ('{head.doc.text[start:end]}')")
    return None


def target(trigger: Token, vocab: Vocab, found: FoundEntities) -> Found | None:
    """Who or what was attacked: the object, the passive subject, or "attack on X"."""
    head: Token | None = None
    if trigger.pos_ == "VERB":
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children)
        wanted = ("nsubjpass",) if passive else ("dobj",)
        head = next((c for c in trigger.children if c.dep_ in wanted), None)
        if head is not None and all(t.like_num for t in phrase_tokens(head)):
            head = None  # "kills 12": a count of victims, not what was attacked
        if head is not None and _instrument(trigger, head, vocab):
            # "fired rockets at northern Israel": the rockets are what was fired, Israel what was hit.
            at = next((c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "at"), None)
            head = next((c for c in at.children if c.dep_ == "pobj"), None) if at is not None else None
    if head is None:
        prep = next((c for c in trigger.children if c.dep_ == "prep" and c.lower_ in vocab.target_preps), None)
        if prep is not None and _attribution_verb(trigger, vocab) is None:
            head = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if head is None:
        # "kills 12 at a police station": a facility after "at", unless it is a named place (where, not whom)
        at = next((c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "at"), None)
        pobj = next((c for c in at.children if c.dep_ == "pobj"), None) if at is not None else None
        if pobj is not None and pobj.pos_ == "NOUN" and pobj.i not in found.by_token:
            head = pobj
    if head is None:
        return None
    tokens = phrase_tokens(head)
    start, end = _tok_span(tokens)
    return Found(head.doc.text[start:end], start, end, extra=target_type(tokens, vocab, found))


def target_type(tokens: list[Token], vocab: Vocab, found: FoundEntities) -> str | None:
    """The GTD target type whose words appear in the target phrase: the longest matching words win
    ("aid worker" is an NGO's, not a business's "worker"), then the file's order."""
    lemmas = " " + " ".join(t.lemma_.lower() for t in tokens) + " "
    words = " " + " ".join(t.lower_ for t in tokens) + " "
    matches = [
        (-len(word), order, str(type_name))
        for order, (type_name, spec) in enumerate(vocab.target_types.items())
        for word in spec.get("words") or []
        if f" {word} " in lemmas or f" {word} " in words
    ]
    if matches:
        return min(matches)[2]
    actor = entity_in(tokens, found, ("state_actor",))
    return "government" if actor else None


def _on_the_way(ent: SpacySpan, vocab: Vocab | None) -> bool:
    """ "from Tajikistan", "crossed the Pamir Mountains": a place passed through, not the event's;
    "30 km south-east of Mogadishu": a place measured from, not the event's."""
    if vocab is None:
        return False
    root = ent.root
    start = ent.start - 1 if ent.start > 0 and ent.doc[ent.start - 1].lower_ == "the" else ent.start
    measured = start >= 2 and ent.doc[start - 1].lower_ in vocab.distance_from
    before = ent.doc[start - 2].lower_ if measured else ""
    return (
        (root.dep_ == "pobj" and root.head.lower_ in vocab.route_preps)
        or (root.dep_ == "dobj" and root.head.lemma_.lower() in vocab.route_verbs)
        or before in vocab.bearings
        or before in vocab.distance_units
        or before.split("-")[-1] in vocab.bearings
    )


def _place_spans(sent: SpacySpan, found: FoundEntities, places: dict[str, Place]) -> list[SpacySpan]:
    """The sentence's named entities, and the places found in words the parser did not name ("the
    capital" of the country the sentence names)."""
    spans = list(sent.ents)
    named = {t.i for ent in spans for t in ent}
    run: list[int] = []  # consecutive words of one place entity
    for i in [*range(sent.start, sent.end), sent.end]:
        place_id = found.by_token.get(i) if i < sent.end and i not in named else None
        if run and place_id != found.by_token.get(run[0]):
            spans.append(sent.doc[run[0] : run[-1] + 1])
            run = []
        if place_id is not None and place_id in places:
            run.append(i)
    return spans


def place(
    sent: SpacySpan,
    trigger: Token,
    found: FoundEntities,
    places: dict[str, Place],
    actor: Found | None = None,
    vocab: Vocab | None = None,
) -> tuple[Place, Found] | None:
    """The most specific known place the sentence names, nearest the trigger on a tie; not the
    country that is the event's actor ("a U.S. bombing campaign in northeastern Afghanistan"), not
    where the act sent someone ("drove them back into Tajikistan"), and a place on the way ("from
    Tajikistan") only when there is no other."""
    best: tuple[tuple[int, int, int], Place, Found] | None = None
    for ent in _place_spans(sent, found, places):
        entity_id = found.by_token.get(ent.end - 1)
        if entity_id is None or entity_id not in places:
            continue
        if actor is not None and actor.start <= ent.start_char < actor.end:
            continue
        if _describes_an_actor(ent, found) or _where_someone_was_sent(ent, vocab) or _across_a_border(ent, vocab):
            continue
        where = places[entity_id]
        distance = min(abs(ent.start - trigger.i), abs(ent.end - 1 - trigger.i))
        # A place on the way, or owning a person ("Uzbekistan's favored warlord"), only when no other.
        rank = (int(_on_the_way(ent, vocab) or _owns_someone(ent, vocab)), specificity(where), distance)
        if best is None or rank < best[0]:
            best = (rank, where, Found(where.name, ent.start_char, ent.end_char, entity=entity_id))
    return (best[1], best[2]) if best else None


def _where_someone_was_sent(ent: SpacySpan, vocab: Vocab | None) -> bool:
    """ "to sweep them southwards back into Tajikistan": the place a verb sends its object to."""
    root = ent.root
    if vocab is None or root.dep_ != "pobj" or root.head.lower_ not in vocab.destination_preps:
        return False
    verb = root.head.head
    if verb.dep_ == "advmod" and verb.head.pos_ == "VERB":  # "back into", "southwards into"
        verb = verb.head
    return verb.pos_ == "VERB" and any(c.dep_ == "dobj" and c.i != root.i for c in verb.children)


def _owns_someone(ent: SpacySpan, vocab: Vocab | None) -> bool:
    """ "Uzbekistan's favored warlord, Dostum": a place owning a person or a body is where the event
    happened only when the sentence names no other ("Pakistan's biggest city" and "Kyrgyzstan's
    Batken Province" are places)."""
    root = ent.root
    owned = root.head
    if vocab is None or root.dep_ != "poss" or owned.pos_ != "NOUN":
        return False
    return owned.lemma_.lower() not in vocab.place_nouns


def _across_a_border(ent: SpacySpan, vocab: Vocab | None) -> bool:
    """ "Kyrgyzstan has closed its border with Tajikistan": the country on the other side."""
    root = ent.root
    if vocab is None or root.dep_ != "pobj" or root.head.lower_ != "with":
        return False
    return root.head.head.lemma_.lower() in vocab.border_nouns


def _describes_an_actor(ent: SpacySpan, found: FoundEntities) -> bool:
    """ "JNIM, al Qaeda's affiliate in the Sahel, claimed the attack", "the IMU, which is based in
    Waziristan, ...": a place in words that describe an actor is not where the event happened."""
    for word in ent.root.ancestors:
        if word.dep_ in ("appos", "relcl"):
            owner = found.get(found.by_token.get(word.head.i, ""))
            return owner is not None and owner.kind != "place"
    return False


def event_date(sent: SpacySpan, trigger: Token, reference: date | None) -> tuple[ParsedDate, Found] | None:
    """The date nearest the trigger among the sentence's DATE entities that can be read."""
    best: tuple[int, ParsedDate, Found] | None = None
    for ent in sent.ents:
        if not is_date_phrase(ent.label_, ent.text):
            continue
        parsed = parse_date(ent.text, reference)
        if parsed is None:
            continue
        distance = min(abs(ent.start - trigger.i), abs(ent.end - 1 - trigger.i))
        if best is None or distance < best[0]:
            best = (distance, parsed, Found(ent.text, ent.start_char, ent.end_char))
    return (best[1], best[2]) if best else None
