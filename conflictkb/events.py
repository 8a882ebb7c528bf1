"""Events: the violent and security incidents a document reports as having happened.

A sentence holds an event when it has a trigger that is factual (``triggers``). Its arguments come
from ``arguments``; sentences about the same incident become one event with several evidence
spans (``event_merging``).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from conflictkb import arguments
from conflictkb.actors import Dictionary
from conflictkb.dates import ParsedDate
from conflictkb.entities import FoundEntities
from conflictkb.event_merging import doers_named, how_it_links, merge_sentence_events
from conflictkb.event_places import document_country, settle_place_and_state
from conflictkb.event_typing import done_to_its_own, people_destroyed, people_taken, refine_type
from conflictkb.model import DatePrecision, Event, Perpetrator, Place, Span, Target
from conflictkb.normalize import NormalizedText
from conflictkb.places import Context, in_the_sentences_country
from conflictkb.references import referred_actor
from conflictkb.states import forces_named
from conflictkb.timeline import Timeline, starts_paragraph
from conflictkb.tolls import find_tolls
from conflictkb.triggers import Hit, depth, find_triggers, is_factual
from conflictkb.vocab import Vocab


def _sentence_span(sent: SpacySpan, norm: NormalizedText) -> Span:
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.start_char + len(text.rstrip())
    return norm.span(start, end)


@dataclass
class Inputs:
    """What the event stage reads of one document, gathered once."""

    vocab: Vocab
    found: FoundEntities
    places: dict[str, Place]
    norm: NormalizedText
    timeline: Timeline
    context: Context
    dictionary: Dictionary


def sentence_events(sent: SpacySpan, index: int, inputs: Inputs, around: Place | None = None) -> list[Event]:
    """The factual events of one sentence: its strongest, and one more for each coordinated clause
    that dates an act of its own ("In 1999 the IMU invaded Batken, and the following year its
    fighters invaded Surkhandarya")."""
    vocab = inputs.vocab
    hits = [h for h in find_triggers(sent, vocab) if is_factual(h, vocab, index == 0)]
    # "killed in air strikes preceding the ground assault": an act named only to date another one
    # is not the sentence's act.
    # "Among the IMU equipment that was captured was a video": a capture of things is no arrest.
    hits = [h for h in hits if h.trigger.event_type not in vocab.state_acts or people_taken(h.token, inputs)]
    own = [h for h in hits if h.token.head.lower_ not in vocab.anchor_preps] or hits
    if not hits:
        return []
    # The sentence's main act: among the triggers nearest its root (a reason or a side remark —
    # "saying it was revenge for military operations" — does not type the event), the strongest type.
    shallowest = min(depth(h.token) for h in own)
    main = [h for h in own if depth(h.token) <= shallowest + 1]
    # "Destroying their flocks, they forcibly moved the locals into camps": the act of the main clause,
    # not the participle that leads into it.
    main = [h for h in main if not _a_leading_participle(h, main)] or main
    hit = min(main, key=lambda h: (vocab.type_rank(h.trigger.event_type), h.token.i))
    named = _incident_named(hit, hits, vocab)
    verb = hit.token if named is not None else None  # "troops killed 12 in a gun battle": the killers
    hit = named or hit
    # Another act of the main clauses, as a verb, dated apart: another incident, with its own clause.
    apart = [o for o in main if o is not hit and o.token.pos_ == "VERB" and _dated_apart(o, hit, index, inputs)]
    apart += [
        o
        for o in hits
        if o is not hit and o not in apart and (_an_earlier_incident(o, hit, vocab) or _another_doers_act(o, hit))
    ]
    acts = [hit, *apart]
    events = [
        _event_of(h, sent, index, inputs, around, _clause(h, acts) if apart else None, verb if h is hit else None)
        for h in acts
    ]
    doer = _typed_by_its_doer(hit, hits, vocab)
    if doer is not None:
        events[0].type = doer  # "the embassies were attacked by suicide bombers": a bombing
    return sorted(events, key=lambda e: e.spans["type"].start)


def _a_leading_participle(hit: Hit, main: list[Hit]) -> bool:
    tok = hit.token
    return (
        tok.tag_ == "VBG"
        and tok.dep_ == "advcl"
        and tok.i < tok.head.i
        and any(h.token.i == tok.head.i and h.trigger.pos == "VERB" for h in main)
    )


def _typed_by_its_doer(hit: Hit, hits: list[Hit], vocab: Vocab) -> str | None:
    """The type named by who did the act, when it is stronger than the act's word: "attacked by
    suicide bombers" is a bombing."""
    doers = [c for c in hit.token.children if c.dep_ in ("agent", "nsubj")]
    words = {t.i for d in doers for t in d.subtree}
    better = [
        h
        for h in hits
        if h.token.i in words and vocab.type_rank(h.trigger.event_type) < vocab.type_rank(hit.trigger.event_type)
    ]
    return better[0].trigger.event_type if better else None


def _an_earlier_incident(other: Hit, hit: Hit, vocab: Vocab) -> bool:
    """ "The U.S. attack on Afghanistan in November 2001 after the Sept. 11 terrorist attacks in the
    United States": an event noun after "after" (or "following", "before") with a date or a place
    of its own, outside the main act's words, is an incident of its own."""
    tok = other.token
    prep = tok.head
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ != "pobj" or prep.lower_ not in vocab.anchor_preps:
        return False
    if hit.token in tok.subtree or tok.i == hit.token.i:
        return False
    own = {t.ent_type_ for t in tok.subtree}
    return bool(own & {"DATE", "GPE", "LOC"})


def _governing_verb(tok: Token) -> Token | None:
    """The verb a trigger belongs to: itself, or the verb its noun phrase hangs from."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok if tok.pos_ in ("VERB", "AUX") else None


def _another_doers_act(other: Hit, hit: Hit) -> bool:
    """ "The Taliban went on the offensive against Masoud and the IMU resumed their attacks on
    Kyrgyzstan": a coordinated clause with a named subject of its own tells another act."""
    mine, theirs = _governing_verb(hit.token), _governing_verb(other.token)
    if mine is None or theirs is None or mine.i == theirs.i:
        return False
    coordinated = (theirs.dep_ == "conj" and theirs.head.i == mine.i) or (
        mine.dep_ == "conj" and mine.head.i == theirs.i
    )
    subject = next((c for c in theirs.children if c.dep_ == "nsubj"), None)
    return coordinated and subject is not None and subject.pos_ == "PROPN"


def _clause(hit: Hit, acts: list[Hit]) -> tuple[int, int]:
    """The characters of the act's own clause: its subtree without the other acts' subtrees."""
    others = {t.i for o in acts if o is not hit and o.token in hit.token.subtree for t in o.token.subtree}
    own = [t for t in hit.token.subtree if t.i not in others]
    return own[0].idx, own[-1].idx + len(own[-1].text)


def _dated_apart(other: Hit, hit: Hit, index: int, inputs: Inputs) -> bool:
    """Do two acts have dates of their own in the sentence, and different ones ("in 2003 ... and in 2004")?"""
    own = inputs.timeline.date_for(index, other.token.idx)
    main = inputs.timeline.date_for(index, hit.token.idx)
    if own is None or main is None or own.start < 0 or main.start < 0:
        return False
    return own.date.iso != main.date.iso


def _event_of(
    hit: Hit,
    sent: SpacySpan,
    index: int,
    inputs: Inputs,
    around: Place | None,
    clause: tuple[int, int] | None,
    verb: Token | None = None,
) -> Event:
    """The event of one act, its arguments read around its trigger (and, for the actor, around the
    death verb that named the incident: "troops killed 12 in a gun battle")."""
    norm = inputs.norm
    event = Event(id="", type=hit.trigger.event_type, evidence=[_sentence_span(sent, norm)])
    event.spans["type"] = norm.span(hit.token.idx, hit.token.idx + len(hit.token.text))
    _fill_arguments(event, sent, index, hit.token, inputs, clause)
    if not event.perpetrators and verb is not None:
        who = arguments.perpetrator(verb, inputs.found, inputs.vocab, inputs.places)
        if who is not None:
            event.perpetrators.append(Perpetrator(who.value, who.extra or "stated", who.entity))
            event.spans["perpetrators"] = norm.span(who.start, who.end)
    if not event.targets and verb is not None:
        whom = arguments.target(verb, inputs.vocab, inputs.found)  # "killed 12 soldiers in an ambush"
        if whom is not None:
            event.targets.append(Target(" ".join(whom.value.split()), whom.extra))
            event.spans["targets"] = norm.span(whom.start, whom.end)
    for word in (hit.token, verb):
        if not event.perpetrators and word is not None:
            _unnamed_forces(event, word, inputs, event.place or around)
    if not event.perpetrators:
        _sole_group(event, sent, hit.token, inputs)
    if event.type == "property_attack" and people_destroyed(hit.token, inputs):
        event.type = "armed_assault"  # "they were vulnerable to heavy weapons and were destroyed"
    if event.type == "armed_assault" and done_to_its_own(hit.token):
        event.type = "other"  # "the IMU killed its own wounded": no attack on anyone else
    event.type = refine_type(event, inputs)
    event.confidence = _confidence(event, hit)
    return event


def _incident_named(hit: Hit, hits: list[Hit], vocab: Vocab) -> Hit | None:
    """ "Thirteen were killed in the bombings", "he was killed in one of the air strikes", "20 were
    killed when two car bombs exploded": a death or wound verb gives the toll; the incident it
    happened in, named after "in", "during" or "by", told in a "when" clause, or (for a passive with
    no agent) told beside it, gives the type."""
    if hit.trigger.pos != "VERB" or not any(hit.token.lemma_.lower() in words for words in vocab.tolls.values()):
        return None
    for other in hits:
        chain = [other.token, *other.token.ancestors]
        if other is hit or hit.token not in chain:
            continue
        below = chain[: chain.index(hit.token)]  # the words from the other trigger up to the verb
        # "killed and 128 injured in the bombings": the preposition may hang on a coordinated verb.
        while below and below[-1].dep_ == "conj" and below[-1].pos_ == "VERB":
            below.pop()
        top = below[-1] if below else None
        named = top is not None and top.dep_ in ("prep", "agent") and top.lower_ in ("in", "during", "by")
        told = top is not None and top.dep_ == "advcl" and any(c.lower_ in ("when", "as") for c in top.children)
        # "the detachment tried to fight it out: six of them were killed": the dead of the act told beside
        beside = (
            top is not None
            and top.dep_ in ("ccomp", "parataxis")
            and len(below) <= 2  # the clause's own verb, or the act it tried
            and _passive_without_agent(hit.token)
        )
        weaker = vocab.type_rank(other.trigger.event_type) > vocab.type_rank(hit.trigger.event_type)
        if ((named and other.trigger.pos == "NOUN") or told or beside) and not weaker:
            return other  # not "abducted two aid workers in a separate attack": a kidnapping stays one
    return None


def _passive_without_agent(verb: Token) -> bool:
    return any(c.dep_ == "nsubjpass" for c in verb.children) and not any(c.dep_ == "agent" for c in verb.children)


def _fill_arguments(
    event: Event, sent: SpacySpan, index: int, tok: Token, inputs: Inputs, clause: tuple[int, int] | None = None
) -> None:
    found, places, norm = inputs.found, inputs.places, inputs.norm
    who = arguments.perpetrator(tok, found, inputs.vocab, places)
    if who is not None:
        event.perpetrators.append(Perpetrator(who.value, who.extra or "stated", who.entity))
        event.spans["perpetrators"] = norm.span(who.start, who.end)
    whom = arguments.target(tok, inputs.vocab, found)
    if whom is not None:
        event.targets.append(Target(" ".join(whom.value.split()), whom.extra))
        event.spans["targets"] = norm.span(whom.start, whom.end)
    # A state's own act (an arrest, a trial) happens in its country: "Tajikistan's Supreme Court sentenced".
    acting = None if event.type in inputs.vocab.state_acts else who
    # An act told in a clause of its own takes its place from that clause ("the Taliban went on the
    # offensive against Masoud and the IMU resumed their attacks on Kyrgyzstan").
    own = sent.doc.char_span(clause[0], clause[1], alignment_mode="expand") if clause else None
    where = arguments.place(own or sent, tok, found, places, acting, inputs.vocab)
    if where is not None:
        event.place = in_the_sentences_country(where[0], sent, inputs.dictionary)
        event.spans["place"] = norm.span(where[1].start, where[1].end)
    when = inputs.timeline.date_for(index, tok.idx)
    if when is not None:
        event.date, event.date_precision, event.date_how = when.date.iso, when.date.precision, when.how
        if when.start >= 0 and _dates_another_event(sent, when.start, tok, inputs.vocab):
            event.date, event.date_precision = _beside_another_event(when.date, inputs.timeline.inherited(index))
        if when.start >= 0:
            event.spans["date"] = norm.span(when.start, when.end)
            event.date_text = event.spans["date"].text
    _fill_tolls(event, sent, inputs.vocab, norm, clause)


def _unnamed_forces(event: Event, trigger: Token, inputs: Inputs, where: Place | None) -> None:
    """ "Government security forces clashed with fighters in Tavildara": forces with no nationality
    are those of the country where the act happens; the perpetrator says it is implied."""
    words = arguments.unnamed_forces(trigger, inputs.found, inputs.vocab)
    if words is None or where is None or not where.country:
        return
    tokens = [t for t in trigger.sent if words.start <= t.idx < words.end]
    forces = forces_named(inputs.found, inputs.norm, tokens, inputs.dictionary, where.country, where.name)
    if forces is not None:
        how = f"implied: unnamed forces acting in {where.name}"
        event.perpetrators.append(Perpetrator(forces.name, how, forces.id))
        event.spans["perpetrators"] = inputs.norm.span(words.start, words.end)


def _sole_group(event: Event, sent: SpacySpan, trigger: Token, inputs: Inputs) -> None:
    """ "The training facilities afforded to the IMU were soon apparent: a wave of car bombings across
    the Uzbek capital": an act with no stated agent, in a sentence that names one armed group and no
    state's forces, outside what was attacked, is that group's, marked implied (exports that code
    only stated or claimed perpetrators leave it out)."""
    groups: dict[str, tuple[int, int]] = {}
    target = event.spans.get("targets")
    acted_on = {  # "nine people designated as IMU fighters had been killed": the group was the victim
        t.i for child in trigger.children if child.dep_ in ("nsubjpass", "dobj") for t in child.subtree
    }
    for tok in sent:
        entity = inputs.found.get(inputs.found.by_token.get(tok.i, ""))
        if entity is None or entity.kind not in ("armed_group", "state_actor"):
            continue
        if entity.kind == "state_actor":
            return  # a state's forces in the sentence may be the ones who acted
        span = inputs.norm.span(tok.idx, tok.idx + len(tok.text))
        if (target is not None and target.start <= span.start < target.end) or tok.i in acted_on:
            return  # the group is what was attacked
        start, end = groups.get(entity.id, (span.start, span.end))
        groups[entity.id] = (min(start, span.start), max(end, span.end))
    how = "implied: the one armed group its sentence names"
    if not groups:  # "The movement remained hors de combat until December 2002, when bombs were detonated"
        referred = _group_the_subject_refers_to(sent, inputs, acted_on)
        if referred is None:
            return
        groups, how = referred, "implied: the armed group its sentence's subject refers to"
    if len(groups) != 1:
        return
    ((entity_id, (start, end)),) = groups.items()
    group = inputs.found.get(entity_id)
    if group is not None:
        event.perpetrators.append(Perpetrator(group.name, how, entity_id))
        event.spans["perpetrators"] = Span(start, end, inputs.norm.original[start:end])


def _group_the_subject_refers_to(
    sent: SpacySpan, inputs: Inputs, acted_on: set[int]
) -> dict[str, tuple[int, int]] | None:
    """The armed group the main clause's subject refers back to ("the movement", "they")."""
    subject = next((c for c in sent.root.children if c.dep_ == "nsubj" and c.i not in acted_on), None)
    if subject is None:
        return None
    entity = referred_actor(subject, inputs.found, inputs.vocab, paragraph=True)
    if entity is None or entity.kind != "armed_group":
        return None
    words = [t for t in subject.subtree if t.i <= subject.i]
    span = inputs.norm.span(words[0].idx, subject.idx + len(subject.text))
    return {entity.id: (span.start, span.end)}


def _beside_another_event(other: ParsedDate, told: ParsedDate | None) -> tuple[str, DatePrecision]:
    """The date of an act whose sentence dates another event ("after the attacks of 11 September
    2001", "in light of the recent attack"): the date the story had reached, when it is in the
    other event's year and not before it; else the other event's year."""
    if told is not None and told.iso[:4] == other.iso[:4] and told.iso >= other.iso:
        return told.iso, told.precision
    return other.iso[:4], "year"


def _dates_another_event(sent: SpacySpan, start: int, trigger: Token, vocab: Vocab) -> bool:
    """Does the date belong to another event ("the invasion after the attacks of 11 September 2001"):
    inside "after ...", "since ...", or attached to another event word before reaching the trigger?"""
    tokens = [t for t in sent if t.idx == start]
    if not tokens:
        return False
    for anc in tokens[0].ancestors:
        if anc.i == trigger.i:
            return False
        if anc.lower_ in vocab.anchor_preps and anc.dep_ in ("prep", "mark"):
            return True
        if anc.lemma_.lower() in vocab.triggers_by_first and anc.pos_ == "NOUN":
            return True
    return False


def _fill_tolls(
    event: Event, sent: SpacySpan, vocab: Vocab, norm: NormalizedText, clause: tuple[int, int] | None = None
) -> None:
    """The sentence's tolls, or only its clause's when it tells of several incidents."""
    tolls = [t for t in find_tolls(sent, vocab) if clause is None or clause[0] <= t.start < clause[1]]
    if not tolls:
        return
    for toll in tolls:
        if getattr(event, toll.category) is None and toll.number is not None:
            setattr(event, toll.category, toll.number)
            event.spans[toll.category] = norm.span(toll.start, toll.end)
    span = norm.span(min(t.start for t in tolls), max(t.end for t in tolls))
    event.casualty_text = " ".join(span.text.split())
    event.spans["casualty_text"] = span


def _confidence(event: Event, hit: Hit) -> float:
    """A declared sum: a verb trigger is surer than a noun; each argument found adds to it."""
    features = {
        "verb trigger": (hit.trigger.pos == "VERB", 0.2),
        "dated": (event.date is not None, 0.1),
        "placed": (event.place is not None, 0.1),
        "perpetrator": (bool(event.perpetrators), 0.1),
    }
    return round(0.4 + sum(weight for present, weight in features.values() if present), 2)


def extract_events(doc: Doc, inputs: Inputs) -> list[Event]:
    """All events of a document, numbered ev1, ev2, ... in reading order. An event whose sentences
    name no place takes the narrative's place (the paragraph's last), else the document's country."""
    per_sentence = []
    narrative: Place | None = None
    last: Event | None = None  # the paragraph's last event
    paragraph = 0
    refers_to: dict[int, str] = {}
    for index, sent in enumerate(doc.sents):
        if starts_paragraph(sent):
            narrative, last = None, None
            paragraph += 1
        found = sentence_events(sent, index, inputs, narrative or document_country(inputs))
        if not found and last is not None and not last.perpetrators:
            _attributed_after(last, sent, inputs)
        last = found[-1] if found else last
        named = arguments.place(sent, sent[0], inputs.found, inputs.places, None, inputs.vocab)
        doers = doers_named(sent, inputs.vocab)
        if doers is not None:
            refers_to[index] = doers
        for each in found:
            per_sentence.append((index, each, how_it_links(each, sent, inputs.vocab), paragraph))
            settle_place_and_state(each, narrative, inputs)
        event = found[-1] if found else None
        if event is not None and event.place is not None:
            narrative = event.place  # the incident being told is where the paragraph now is
        elif named is not None:
            narrative = named[0]
    events = merge_sentence_events(per_sentence, refers_to)
    for n, event in enumerate(events, 1):
        event.id = f"ev{n}"
    return events


def _attributed_after(event: Event, sent: SpacySpan, inputs: Inputs) -> None:
    """ "Gunmen abducted 200 schoolgirls ... Boko Haram is suspected.": the next sentence of the
    paragraph names who did it; it joins the event's evidence."""
    who = arguments.later_attribution(sent, inputs.found, inputs.vocab)
    if who is None:
        return
    event.perpetrators.append(Perpetrator(who.value, who.extra or "stated", who.entity))
    event.spans["perpetrators"] = inputs.norm.span(who.start, who.end)
    event.evidence.append(_sentence_span(sent, inputs.norm))
