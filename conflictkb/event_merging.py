"""Within a document, one event per incident: sentences about the same incident join.

A sentence-event joins a recent compatible one (same type, dates and countries agree, not two
different towns); a sentence that only counts the dead ("Thirteen were killed") or refers back
("the attack") joins the event just before whatever its type; one that announces another incident
("in a separate attack") never joins; a headline sums up the story's first incident.
"""

from __future__ import annotations

from spacy.tokens import Span as SpacySpan

from conflictkb.model import Event
from conflictkb.timeline import REPORTED
from conflictkb.vocab import Vocab

# How many sentences apart two mentions of one incident may be and still be merged; a sentence
# that only gives a toll belongs to an event at most this many sentences before it.
_MERGE_WINDOW = 4
_TOLL_WINDOW = 2
# A first line at most this many tokens long, without a full stop, is a headline.
_HEADLINE_TOKENS = 20


def is_headline(sent: SpacySpan) -> bool:
    """A short first line without a full stop: headlines tell past events in the present tense."""
    text = sent.text.strip()
    return len(sent) <= _HEADLINE_TOKENS and not text.endswith((".", "?", "!", '"', "”"))


def compatible(a: Event, b: Event, any_type: bool = False) -> bool:
    """Could two sentence-events be the same incident? Same type (unless ``any_type``), dates and
    countries agree."""
    if a.type != b.type and not any_type:
        return False
    if a.date and b.date and not (a.date.startswith(b.date) or b.date.startswith(a.date) or _reported_after(a, b)):
        return False
    if not any_type and (_named_apart(a, b) or _other_acts(a, b)):
        return False
    stated = [e.place for e in (a, b) if "place" in e.spans and e.place]  # inherited places never part reports
    if len({p.country for p in stated if p.country}) > 1:
        return False
    precise = {p.name for p in stated if p.precision not in (None, "country", "region")}
    return len(precise) <= 1


# The catch-all type: two of its acts are one incident only when the same word names them.
_CATCH_ALL = "other"


def _other_acts(a: Event, b: Event) -> bool:
    """ "they forcibly moved the locals into camps" and "the IMU killed its own wounded" are both
    `other`, and two different acts: the catch-all type joins only acts named alike ("deported",
    "deportation")."""
    if a.type != _CATCH_ALL or "type" not in a.spans or "type" not in b.spans:
        return False
    first, second = a.spans["type"].text.lower(), b.spans["type"].text.lower()
    shared = next(
        (i for i, (x, y) in enumerate(zip(first, second, strict=False)) if x != y), min(len(first), len(second))
    )
    return shared < min(5, len(first), len(second))


# Attributions that name who did it, as against suspicion, blame or an implied doer.
_NAMED = ("stated", "claimed")


def _named_apart(a: Event, b: Event) -> bool:
    """Do two sentences each name who did it, and not the same actor ("the IMU detachment tried to
    fight it out"; "their leader was shot by Tajik border guards")?"""
    doers = [{p.entity or p.name for p in e.perpetrators if p.attribution.startswith(_NAMED)} for e in (a, b)]
    return all(doers) and not doers[0] & doers[1]


def _reported_after(a: Event, b: Event) -> bool:
    """Is one date only that of a report ("claimed on August 5 that 11 had been killed in the
    operation") on or after the other's date (the operation "in July")?"""
    first, then = (a, b) if b.date_how == REPORTED else (b, a)
    return then.date_how == REPORTED and (first.date or "") <= (then.date or "")


def merge_into(a: Event, b: Event) -> None:
    """Fold ``b`` into ``a``: evidence added, arguments ``a`` lacks taken from ``b``."""
    a.evidence.extend(s for s in b.evidence if s not in a.evidence)
    if "date" in b.spans and "date" not in a.spans and b.date_how != REPORTED:  # stated beats inherited
        a.date, a.date_precision, a.date_text, a.date_how = b.date, b.date_precision, b.date_text, b.date_how
        a.spans["date"] = b.spans["date"]
    for name in ("date", "date_precision", "date_text", "place", "killed", "wounded", "kidnapped", "casualty_text"):
        if getattr(a, name) is None and getattr(b, name) is not None:
            setattr(a, name, getattr(b, name))
            if name in b.spans:
                a.spans[name] = b.spans[name]
    for name in ("perpetrators", "targets"):
        if not getattr(a, name) and getattr(b, name):
            setattr(a, name, getattr(b, name))
            if name in b.spans:  # an implied perpetrator (the state of an arrest) has no words
                a.spans[name] = b.spans[name]
    a.confidence = max(a.confidence, b.confidence)


def merge_sentence_events(
    events: list[tuple[int, Event, str, int]], refers_to: dict[int, str] | None = None
) -> list[Event]:
    """One event per incident: a sentence-event joins a recent compatible one. A sentence that only
    counts the dead ("Thirteen were killed") or refers back ("the attack") joins the event just
    before, whatever its type; one that announces another incident ("in a separate attack") never joins.
    A reference back with nothing of its own that finds no incident near ("furious about the attacks",
    pages later) is no new incident. Each sentence-event comes with its sentence's index, how it
    links and its paragraph's index; ``refers_to`` gives, by sentence, the type of the incident its
    doers are named by ("the kidnappers"), which it joins first."""
    merged: list[tuple[int, Event]] = []
    paragraph_of: dict[int, int] = {id(event): paragraph for _, event, _, paragraph in events}
    headline: Event | None = None
    for index, event, mode, paragraph in events:
        if mode == HEADLINE:
            headline = event
            continue
        if headline is not None:  # a headline sums up the story's first incident: it joins it
            if compatible(event, headline, any_type=True):
                merge_into(event, headline)
            else:
                merged.append((-1, headline))
            headline = None
        joins = mode in (JOINS, REFERS)
        # A toll alone looks two sentences back; "X claimed responsibility for the attacks" as far as any.
        window = _TOLL_WINDOW if mode == JOINS and not event.perpetrators else _MERGE_WINDOW
        recent = (
            e
            for i, e in reversed(merged)
            if index - i <= window
            and compatible(e, event, joins)
            and not (
                mode == MAY_JOIN
                and _dated_anew(e, event)
                and (paragraph_of.get(id(e)) != paragraph or _tolls_differ(e, event))
            )
            # From another paragraph, only the incident told last: not past another one told between.
            and not (mode == MAY_JOIN and paragraph_of.get(id(e)) != paragraph and e is not merged[-1][1])
        )
        candidates = list(recent) if mode != NEW else []
        if mode == JOINS:  # a toll joins an incident whose own toll it does not contradict first
            candidates.sort(key=lambda e: _tolls_differ(e, event))
        # A reference back joins an incident of its own type first: "claimed the Karachi airport attack"
        # is the attack's, not the ground assault's told in between.
        wanted = (refers_to or {}).get(index, event.type)
        target = next((e for e in candidates if e.type == wanted), candidates[0] if candidates else None)
        if target is not None:
            merge_into(target, event)
        elif mode != REFERS or not merged or _has_toll(event):
            merged.append((index, event))
        # else: "the attacks" said again further on, with nothing of its own: no new incident
    if headline is not None:
        merged.append((-1, headline))
    return [e for _, e in sorted(merged, key=lambda pair: pair[0])]


# How a sentence's event relates to the one before: it may join it if compatible, it joins it
# (a toll, a reference back), or it is a new incident (the text says so).
MAY_JOIN, JOINS, REFERS, NEW, HEADLINE = "may join", "joins", "refers", "new", "headline"


def _dated_anew(before: Event, after: Event) -> bool:
    """Does a later sentence date its act more precisely than the incident before, whose date the
    text did not state ("a security operation" in 2009; "In late June, ... an encounter")? In a later
    paragraph, or with another death toll, it tells another incident."""
    return "date" in after.spans and "date" not in before.spans and len(after.date or "") > len(before.date or "")


def _tolls_differ(a: Event, b: Event) -> bool:
    """Two death tolls, and not the same ("attacks left 25 insurgents dead"; "On 11 August, one team
    ambushed a patrol and killed 22 men")."""
    return a.killed is not None and b.killed is not None and a.killed != b.killed


def _a_toll_word(word: str, vocab: Vocab) -> bool:
    return any(word.startswith(w) for ws in vocab.tolls.values() for w in ws if len(w) > 3)


def _has_toll(event: Event) -> bool:
    return any(v is not None for v in (event.killed, event.wounded, event.kidnapped, event.casualty_text))


def doers_named(sent: SpacySpan, vocab: Vocab) -> str | None:
    """The type of act the sentence's subject names its doers by ("the kidnappers murdered the
    soldier": a kidnapping told before), if it does."""
    for tok in sent:
        definite = any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in tok.children)
        if tok.dep_ in ("nsubj", "nsubjpass") and definite and tok.lemma_.lower() in vocab.agents:
            return vocab.agents[tok.lemma_.lower()]
    return None


def how_it_links(event: Event, sent: SpacySpan, vocab: Vocab) -> str:
    """ "Thirteen were killed" (a toll word as trigger) and "the attack" (a definite reference back,
    with no date or place of its own) join the incident before; "in a separate attack" does not."""
    if any(t.lemma_.lower() in vocab.new_incident for t in sent):
        return NEW
    if sent.start == 0 and is_headline(sent):
        return HEADLINE
    if doers_named(sent, vocab) is not None:
        return JOINS  # "the kidnappers murdered the soldier" tells more of the kidnapping
    trigger = event.spans.get("type")
    if trigger is None:
        return MAY_JOIN
    word = trigger.text.lower()
    head = next((t for t in sent if t.idx <= trigger.start < t.idx + len(t.text)), None)
    # "They executed an ambush ..., killing ten men": a toll verb whose object is an act is an act.
    own_act = head is not None and any(
        c.dep_ == "dobj" and c.lemma_.lower() in vocab.triggers_by_first and not _a_toll_word(c.lower_, vocab)
        for c in head.children
    )
    toll_word = _a_toll_word(word, vocab) and not own_act
    referring = (
        head is not None
        and head.lemma_.lower() in vocab.anaphors
        and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children)
    )
    if head is not None and referring:
        # "the attack" with no date or place of its own ("the attack in Kabul" is another one)
        own = {t.ent_type_ for t in head.subtree if t.i != head.i}
        referring = not own & {"DATE", "GPE", "LOC", "FAC"}
    if referring and not event.perpetrators:
        return REFERS
    if (toll_word and not event.perpetrators) or referring:
        return JOINS
    return MAY_JOIN
