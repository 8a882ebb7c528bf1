"""Relations between actors: founded, leads, member of, allied with, rival of, hosted by, based in,
funded by — stated by a verb ("the Taliban hosted the IMU"), a role ("Tahir Yuldash, the IMU's
leader"), a noun ("found sanctuary among Pakistani Islamists", "its bases in Tajikistan") or a
joined word ("al-Qaida-linked militants"). The words and the shape of each relation live in
``data/relations.yaml``; literal claims (strengths, aims, deaths, renamings) are in ``claims``.
Every relation keeps its sentence, its date, and whether it is hedged or someone's assertion.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from conflictkb.actors import Dictionary, country_of
from conflictkb.arguments import Found, described_by_clause, entity_in, modal_or_negated, phrase_tokens
from conflictkb.claims import Claim, actor_in, extract_claims, founding_place, qualify
from conflictkb.entities import FoundEntities
from conflictkb.model import Relation
from conflictkb.normalize import NormalizedText
from conflictkb.relation_nouns import by_noun
from conflictkb.relation_parts import GROUP_KINDS, SUBJECT_KINDS, Pair, child, objects_after, subtree
from conflictkb.states import state_entity
from conflictkb.timeline import Dated, Timeline
from conflictkb.vocab import RelationVerb, Vocab

# --- verbs: "the Taliban hosted the IMU", "X founded Y", "X allied with Y" -------------------------


def _verb_object(verb: Token, spec: RelationVerb, found: FoundEntities, passive: bool) -> Found | None:
    direct = child(verb, "nsubjpass") if passive and not spec.preps else child(verb, "dobj", "oprd", "attr")
    if spec.needs_prep:
        direct = None  # "fought the IMU" is no alliance; "fought alongside the IMU" is
    # The object's own phrase ("led the IMU"), not what hangs off it ("led fighting against troops").
    own = phrase_tokens(direct) if direct is not None else []
    named = entity_in([*own, *objects_after(verb, spec.preps)], found, tuple(spec.object_kinds))
    if named is None and direct is not None:
        # "fight forces commanded by Ahmad Shah Massoud": the forces are the one who commands them.
        agents = [a for c in direct.children if c.dep_ == "acl" for a in c.children if a.dep_ == "agent"]
        named = entity_in([t for a in agents for t in a.subtree], found, tuple(spec.object_kinds))
    return named


def _verb_subject(verb: Token, found: FoundEntities, passive: bool, has_preps: bool, vocab: Vocab) -> Found | None:
    if passive and not has_preps:
        return entity_in(subtree(child(verb, "agent")), found, SUBJECT_KINDS)
    subject = child(verb, "nsubjpass" if passive else "nsubj")
    if subject is not None and subject.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
        # "IMU militants who have fought with the Taliban": the relative pronoun is the noun before it.
        return described_by_clause(verb, found, SUBJECT_KINDS)
    governor = verb.head.head if verb.dep_ == "pcomp" else verb.head if verb.dep_ == "xcomp" else None
    controller = child(governor, "dobj") if governor is not None else None
    if subject is None and controller is not None and controller.i != verb.i:
        # "persuaded Namangani to withdraw", "accused Rahmonov's government of harbouring": the object acts.
        actor = actor_in(subtree(controller), found, vocab, SUBJECT_KINDS)
        if actor is not None:
            return actor
    if subject is None and verb.dep_ in ("acl", "relcl", "xcomp", "advcl", "conj"):
        owner = entity_in([verb.head, *verb.head.ancestors], found, SUBJECT_KINDS)
        head_passive = any(c.dep_ == "nsubjpass" for c in verb.head.children)  # "is believed to be based in"
        return (
            owner or _verb_subject(verb.head, found, head_passive, True, vocab)
            if verb.head.pos_ in ("VERB", "AUX")
            else owner
        )
    return actor_in(subtree(subject), found, vocab, SUBJECT_KINDS)


def _by_verb(tok: Token, vocab: Vocab, found: FoundEntities) -> Iterator[Pair]:
    if tok.pos_ != "VERB":
        return
    for spec in vocab.relation_verbs.get(tok.lemma_.lower(), ()):
        if spec.literal:
            continue
        agent = child(tok, "agent")
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) or (
            tok.tag_ == "VBN" and agent is not None
        )
        subject = _verb_subject(tok, found, passive, bool(spec.preps), vocab)
        moved = child(tok, "dobj") if spec.object_kinds == {"place"} and not passive else None
        if moved is not None and entity_in(phrase_tokens(moved), found, ("place",)) is None:
            # "helped move his followers into Pakistan", "moved its bases to Waziristan": what moves.
            subject = actor_in(phrase_tokens(moved), found, vocab, SUBJECT_KINDS)
        obj = _verb_object(tok, spec, found, passive)
        if (subject is None or obj is None) and agent is not None:
            subject, obj = _by_agent(tok, agent, spec, found, vocab)
        if subject is not None and obj is not None:
            yield Pair(spec.relation, *((obj, subject) if spec.inverse else (subject, obj)), tok)
            return


def _by_agent(
    verb: Token, agent: Token, spec: RelationVerb, found: FoundEntities, vocab: Vocab
) -> tuple[Found | None, Found | None]:
    """ "the government headed by Otunbayeva", "the Taliban, assisted by the ISI", "X was hosted by
    Y": the agent acts on the passive subject, or on the noun the participle describes."""
    doer_kinds, done_kinds = (
        (tuple(spec.object_kinds), SUBJECT_KINDS) if spec.inverse else (SUBJECT_KINDS, tuple(spec.object_kinds))
    )
    doer = entity_in(subtree(agent), found, doer_kinds)
    patient = child(verb, "nsubjpass")
    if patient is not None and patient.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
        # "Boko Haram, which was founded by Mohammed Yusuf": the noun the clause describes.
        return doer, described_by_clause(verb, found, done_kinds)
    if patient is None and verb.dep_ == "conj":
        # "The IMU was formed in 1998 and is led by Yuldashev": the first verb's subject.
        patient = child(verb.head, "nsubjpass", "nsubj")
    if patient is None and verb.dep_ == "advcl" and verb.i < verb.head.i:
        # "Assisted by Pakistan's ISI, the Taliban made ...": the main clause's subject.
        patient = child(verb.head, "nsubj", "nsubjpass")
    words = subtree(patient) if patient is not None else _noun_itself(verb.head) if verb.dep_ == "acl" else []
    # "The group is led by al-Golani": the passive subject may refer back to the group.
    return doer, actor_in(words, found, vocab, done_kinds) if patient is not None else entity_in(
        words, found, done_kinds
    )


def _noun_itself(noun: Token) -> list[Token]:
    """A noun and the words that name it ("Taliban forces", "the Kyrgyz government"), without a
    verb the parser hung on it ("the IMU fought forces commanded by ...", misread as one phrase)."""
    words = [noun]
    for left in noun.lefts:
        if left.dep_ in ("compound", "poss", "nmod") or (left.dep_ == "amod" and not left.tag_.startswith("VB")):
            words.extend(left.subtree)
    if noun.dep_ == "appos":  # "Hezbollah, the Shiite movement led by Hassan Nasrallah": Hezbollah
        words.extend(_noun_itself(noun.head))
    return words


# --- roles: "Yuldash, the IMU's leader", "IMU commander Khojaev", "a member of the IRP" ------------


def _role_holder(role: Token, found: FoundEntities, kinds: tuple[str, ...] = ("person",)) -> Found | None:
    """The person (or, for a coalition's members, the group) a role noun describes: its apposition
    head, its compound head, its subject ("X was a member", "X is considered its leader", "X emerged
    as the leader"), what it is said to be ("one of its constituents is X")."""
    named = _named_by_copula(role, found, kinds)
    if named is not None:
        return named
    if role.dep_ in ("attr", "oprd") or (role.dep_ == "pobj" and role.head.lower_ == "as"):
        verb = role.head if role.dep_ != "pobj" else role.head.head
        holder = entity_in(subtree(child(verb, "nsubj", "nsubjpass")), found, kinds)
        if holder is not None:
            return holder
    before = role.doc[role.left_edge.i - 1] if role.left_edge.i > role.sent.start else None
    if before is not None and before.pos_ == "VERB" and child(before, "nsubjpass") is not None:
        # "X is still considered its main leader", however the parser attached the role.
        holder = entity_in(subtree(child(before, "nsubjpass")), found, kinds)
        if holder is not None:
            return holder
    if role.dep_ == "conj" and role.head.pos_ == "NOUN" and role.head.i != role.i:
        # "managing editor of X and an associate at Y": the person the first role describes.
        holder = _role_holder(role.head, found, kinds)
        if holder is not None:
            return holder
    if role.dep_ == "appos" or (role.head.dep_ == "appos" and role.head.head.i != role.i):
        holder = entity_in([role.head], found, kinds)
        if holder is not None:
            return holder
    if role.dep_ in ("compound", "nmod", "amod"):
        holder = entity_in([role.head], found, kinds)
        if holder is not None:
            return holder
    for word in role.children:
        if word.dep_ == "appos":
            holder = entity_in(subtree(word), found, kinds)
            if holder is not None:
                return holder
    return _named_after_comma(role, found, kinds)


def _named_after_comma(role: Token, found: FoundEntities, kinds: tuple[str, ...]) -> Found | None:
    """ "the chief of Saudi intelligence, Prince Turki al-Faisal": a name right after the role's
    phrase and a comma, however the parser attached it (a title may stand before it)."""
    doc, comma = role.doc, role.right_edge.i + 1
    if comma + 1 >= role.sent.end or doc[comma].text != ",":
        return None
    words = [t for t in doc[comma + 1 : min(comma + 3, role.sent.end)] if t.text[:1].isupper()]
    holder = entity_in(words, found, kinds)
    return holder if holder is not None and holder.start <= doc[comma + 2].idx else None


def _named_by_copula(role: Token, found: FoundEntities, kinds: tuple[str, ...]) -> Found | None:
    """ "Its leader is X", "one of its constituents is X": the role (or "one of" the roles) is the
    subject of "be", and what it is said to be holds it."""
    subject = role.head.head if role.dep_ == "pobj" and role.head.lower_ == "of" else role
    if subject.dep_ != "nsubj" or subject.head.lemma_ != "be":
        return None
    return entity_in(subtree(child(subject.head, "attr")), found, kinds)


def _role_group(
    role: Token, found: FoundEntities, spec: RelationVerb, vocab: Vocab, holder: str | None = None
) -> Found | None:
    """The group a role belongs to: "of/for/at Y", "Y's role", "its role", "Y role" (compound);
    never the words of the one who holds it ("the Pakistani Taliban, a faction of the Taliban")."""
    kinds = tuple(spec.object_kinds) or GROUP_KINDS
    candidates = objects_after(role, frozenset({"of", "for", "at", "with", "in", "to"}))
    candidates += [t for c in role.children if c.dep_ in ("poss", "compound", "nmod") for t in c.subtree]
    candidates += [
        t for t in role.doc[max(role.sent.start, role.i - 4) : role.i] if t.dep_ in ("compound", "nmod", "poss")
    ]
    candidates = [t for t in candidates if holder is None or found.by_token.get(t.i) != holder]
    return actor_in(candidates, found, vocab, kinds)


def _by_role(tok: Token, vocab: Vocab, found: FoundEntities) -> Iterator[Pair]:
    spec = vocab.relation_roles.get(tok.lemma_.lower())
    if spec is None or tok.pos_ not in ("NOUN", "PROPN"):
        return
    kinds = ("person", *GROUP_KINDS) if tok.lemma_.lower() in vocab.group_roles else ("person",)
    holder = _role_holder(tok, found, kinds)
    group = _role_group(tok, found, spec, vocab, holder.entity) if holder is not None else None
    if holder is not None and group is not None and holder.entity != group.entity:
        relation = _heads_what(tok, spec.relation, group, vocab)
        if relation == "leader_of" and _leads_some_people(tok, group, found, vocab):
            relation = "member_of"
        yield Pair(relation, holder, group, tok)


def _leads_some_people(role: Token, group: Found, found: FoundEntities, vocab: Vocab) -> bool:
    """ "Of the survivors who fled to the Tajik border, their leader, Sabir": "their" are people
    named before it in the sentence (not the group's fighters), whose leader is one of the group."""
    pronoun = next((t for t in role.doc[role.sent.start : role.i] if t.idx == group.start), None)
    if pronoun is None or pronoun.lower_ not in vocab.plural_pronouns:
        return False
    people = vocab.militant_nouns | vocab.member_nouns | vocab.group_nouns
    return any(
        t.tag_ == "NNS" and t.i not in found.by_token and t.lemma_.lower() not in people
        for t in role.doc[role.sent.start : pronoun.i]
    )


def _heads_what(role: Token, relation: str, group: Found, vocab: Vocab) -> str:
    """ "the IRP's chief of staff": the head of a part of the group (an "of" that does not lead to
    the group, which is named before) is one of its members, not its leader. "The leader of an
    alliance of Pakistani Taliban groups" leads it."""
    part = next((c for c in role.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    headed = child(part, "pobj") if part is not None else None
    if relation != "leader_of" or headed is None:
        return relation
    # The group is what the role is "of", not what that belongs to ("the head of the IMU's political
    # office", "the head of the press center of the Border Troops' directorate" are members).
    if headed.lemma_.lower() in vocab.group_nouns or headed.lemma_.lower() in vocab.coalition_nouns:
        return relation  # "the leader of an alliance of Pakistani Taliban groups" leads it
    return relation if group.start <= headed.idx < group.end else "member_of"


# --- joined words: "al-Qaida-linked militants" ------------------------------------------------


def _by_suffix(tok: Token, vocab: Vocab, found: FoundEntities, dictionary: Dictionary) -> Iterator[Pair]:
    """ "IMU al-Qaida-linked militants": the group named before "-linked" is an ally of the group
    the described noun belongs to; "the Pakistan-based Lashkar-e-Taiba": the place before "-based"
    is where it is based; "the Iran-backed Hezbollah": a country backing a group is its government."""
    spec = vocab.relation_suffixes.get(tok.lower_)
    if spec is None or tok.i < 2 or tok.doc[tok.i - 1].text not in ("-", "–"):
        return
    before = tok.doc[tok.i - 2]
    ally = entity_in([before], found, tuple(spec.object_kinds) or GROUP_KINDS)
    code = country_of(before.ent_id_)
    if ally is None and code is not None and "state_actor" in spec.object_kinds:
        state = state_entity(found, dictionary, code)
        ally = Found(state.name, before.idx, before.idx + len(before.text), state.id) if state is not None else None
    described = tok.head
    group = entity_in([t for t in described.subtree if t.i < tok.i - 2], found, GROUP_KINDS)
    if group is None:
        group = entity_in([described, *described.ancestors], found, GROUP_KINDS)
    if ally is not None and group is not None and ally.entity != group.entity:
        yield Pair(spec.relation, group, ally, tok)


def _by_title(tok: Token, vocab: Vocab, found: FoundEntities, dictionary: Dictionary) -> Iterator[Pair]:
    """ "Uzbek President Islam Karimov", "Pakistani Prime Minister Nawaz Sharif": a head of state or
    government leads the government of the country its title names (by a demonym or the country)."""
    two = f"{tok.lower_} {tok.doc[tok.i + 1].lower_}" if tok.i + 1 < len(tok.doc) else ""
    if tok.lower_ not in vocab.head_titles and two not in vocab.head_titles:
        return
    holder = _role_holder(tok, found) or entity_in([tok.head, *tok.doc[tok.i + 1 : tok.i + 4]], found, ("person",))
    # "Uzbek President Islam Karimov", "President Emomali Rakhmonov of Tajikistan"
    window = tok.doc[max(tok.sent.start, tok.i - 2) : min(tok.sent.end, tok.i + 4)]
    of = next((t for t in tok.doc[tok.i + 1 : min(tok.sent.end, tok.i + 6)] if t.lower_ == "of"), None)
    if of is not None and found.by_token.get(of.i - 1) is not None:
        window = tok.doc[window.start : min(tok.sent.end, of.i + 3)]
    country = next((c for t in window if (c := country_of(t.ent_id_)) is not None), None)
    if holder is not None and country is None and entity_in(list(window), found, GROUP_KINDS) is None:
        country = _listed_country(holder, found, dictionary)  # "President Kurmanbek Bakiyev", listed as Kyrgyz
    if holder is None or country is None:
        return
    government = state_entity(found, dictionary, country)
    if government is not None:
        yield Pair("leader_of", holder, Found(government.name, tok.idx, tok.idx + len(tok.text), government.id), tok)


def _listed_country(holder: Found, found: FoundEntities, dictionary: Dictionary) -> str | None:
    """The country the actor dictionary gives a listed person."""
    entity = found.get(holder.entity) if holder.entity else None
    actor = dictionary.actor_of(entity.ref) if entity is not None else None
    return actor.country if actor is not None and actor.kind == "person" else None


def _by_possessor(tok: Token, vocab: Vocab, found: FoundEntities) -> Iterator[Pair]:
    """ "bin Laden's 055 Brigade", "Yuldeshev's radical party", "the International Islamic Front of
    Osama bin Laden": a person owning a group leads it."""
    group = entity_in([tok], found, ("armed_group", "organization"))
    if group is None or found.by_token.get(tok.i - 1) == group.entity:
        return  # once per mention, at its first word
    mention = [t for t in tok.doc[tok.i : tok.sent.end] if group.start <= t.idx < group.end]
    owners = [t for word in mention for c in word.children if c.dep_ == "poss" for t in c.subtree]
    owners += [
        t
        for word in mention
        for c in word.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for t in subtree(child(c, "pobj"))
    ]
    leader = entity_in([t for t in owners if not group.start <= t.idx < group.end], found, ("person",))
    if leader is not None:
        yield Pair("leader_of", leader, group, tok)


def _only_may(tok: Token, vocab: Vocab) -> bool:
    """ "may be operating": a modal that hedges the claim (see ``qualify``) rather than voiding it."""
    modals = [c.lower_ for c in tok.children if c.dep_ == "aux" and c.tag_ == "MD"]
    negated = any(c.dep_ == "neg" for c in tok.children)
    return bool(modals) and not negated and all(m in vocab.epistemic_modals for m in modals)


def _by_inclusion(tok: Token, vocab: Vocab, found: FoundEntities) -> Iterator[Pair]:
    """ "the United Front opposition, including Uzbekistan's favored warlord, Dostum": who is named
    after "including" is a member of the group it follows."""
    if tok.lower_ not in vocab.inclusion_words or tok.dep_ != "prep":
        return
    included = child(tok, "pobj")
    if included is not None and included.lemma_.lower() in vocab.relation_roles:
        return  # "including its commander X": the role says what X is
    group = entity_in(
        [tok.head, *(t for c in tok.head.children if c.dep_ == "compound" for t in c.subtree)], found, GROUP_KINDS
    )
    if included is None or group is None:
        return
    words = [included, *(t for t in included.subtree if t.dep_ == "appos" or t.head.dep_ == "appos")]
    member = entity_in(words, found, ("person", *GROUP_KINDS)) or _named_after_comma(included, found, ("person",))
    if member is not None and member.entity != group.entity:
        yield Pair("member_of", member, group, tok)


def _by_succession(tok: Token, vocab: Vocab, found: FoundEntities) -> Iterator[Pair]:
    """ "X, who led the Taliban, was succeeded by Y", "Y succeeded X as head of the group": the
    successor leads the one group the sentence names."""
    if tok.lemma_.lower() not in vocab.succession_verbs or tok.pos_ != "VERB":
        return
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
    doer = subtree(child(tok, "agent")) if passive else subtree(child(tok, "nsubj"))
    if not doer and tok.dep_ in ("advcl", "acl"):  # "..., succeeding Abu Omar": the main clause's subject
        doer = subtree(child(tok.head, "nsubj"))
    successor = entity_in(doer, found, ("person",))
    groups = {found.by_token[t.i] for t in tok.sent if found.by_token.get(t.i) in _group_ids(found)}
    if successor is None or len(groups) != 1:
        return
    (group_id,) = groups
    group = entity_in([t for t in tok.sent if found.by_token.get(t.i) == group_id], found, GROUP_KINDS)
    if group is not None:
        yield Pair("leader_of", successor, group, tok)


def _group_ids(found: FoundEntities) -> set[str]:
    return {e.id for e in found.entities if e.kind in GROUP_KINDS}


_FINDERS = (_by_verb, _by_role, by_noun, _by_possessor, _by_inclusion, _by_succession)


def _pairs(doc: Doc, vocab: Vocab, found: FoundEntities, dictionary: Dictionary) -> Iterator[Pair]:
    seen: set[tuple[str, str | None, str | None, int]] = set()
    for tok in doc:
        if modal_or_negated(tok) and not _only_may(tok, vocab):
            continue
        if any(a.lemma_.lower() in vocab.denials for a in tok.ancestors):
            continue  # "denying they were assisting the IMU"
        found_here = [pair for finder in _FINDERS for pair in finder(tok, vocab, found)]
        found_here += list(_by_title(tok, vocab, found, dictionary))
        found_here += list(_by_suffix(tok, vocab, found, dictionary))
        for pair in (p for first in found_here for p in _coordinated(first, doc, found)):
            key = (pair.relation, pair.subject.entity, pair.object.entity, tok.sent.start)
            if key not in seen:
                seen.add(key)
                yield pair


def _conjuncts(actor: Found, doc: Doc, found: FoundEntities) -> list[Found]:
    """An actor and those coordinated with it: "Yuldeshev and Namangani", "Tajikistan and Afghanistan"."""
    span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
    if span is None:
        return [actor]
    out = [actor]
    stack = [c for c in span.root.children if c.dep_ == "conj"]
    while stack:
        head = stack.pop(0)
        stack.extend(c for c in head.children if c.dep_ == "conj")
        own = [
            t
            for t in head.subtree
            if not any(a.dep_ == "conj" and a.i != head.i and t in a.subtree for a in head.children)
        ]
        other = entity_in(own, found)
        if other is not None and other.entity not in {a.entity for a in out}:
            out.append(other)
    return out


def _coordinated(pair: Pair, doc: Doc, found: FoundEntities) -> Iterator[Pair]:
    """The pair, and one pair per actor coordinated with its subject or its object."""
    for subject in _conjuncts(pair.subject, doc, found):
        for obj in _conjuncts(pair.object, doc, found):
            if subject.entity != obj.entity:
                yield Pair(pair.relation, subject, obj, pair.word)


def _object_text(pair: Pair) -> str | None:
    """The object's words when it names no entity ("Pakistani Islamist circles")."""
    return pair.object.value if pair.object.entity is None else None


def _between_groups(pair: Pair, found: FoundEntities) -> str:
    """A group does not become a member of another by joining it in a fight: groups ally."""
    subject = found.get(pair.subject.entity or "")
    joined = pair.word.pos_ == "VERB"  # a role noun ("a member of the MMA") is membership of a coalition
    if pair.relation == "member_of" and joined and subject is not None and subject.kind != "person":
        return "allied_with"
    return pair.relation


def _ends_then(doc: Doc, start: int, vocab: Vocab) -> bool:
    """ "was al-Qaeda's branch in Syria until 2016": a date after "until" ends the relation."""
    at = doc.char_span(start, start + 1, alignment_mode="expand") if start >= 0 else None
    return at is not None and at.start > 0 and doc[at.start - 1].lower_ in vocab.end_words


def extract_relations(
    doc: Doc, vocab: Vocab, found: FoundEntities, norm: NormalizedText, timeline: Timeline, dictionary: Dictionary
) -> list[Relation]:
    """Every relation and claim of the document, numbered rel1, rel2, ..."""
    claims: list[Claim] = [
        Claim(
            _between_groups(p, found),
            str(p.subject.entity),
            p.word,
            obj=str(p.object.entity) if p.object.entity is not None else None,
            value=founding_place(p.word, found) if p.relation == "founded" else _object_text(p),
        )
        for p in _pairs(doc, vocab, found, dictionary)
    ]
    claims.extend(extract_claims(doc, vocab, found))
    sentence_index = {sent.start: i for i, sent in enumerate(doc.sents)}
    relations = []
    for n, claim in enumerate(claims, 1):
        sent = claim.word.sent
        # A claim's date is one its sentence gives, else its paragraph's: a story's year is not a claim's.
        index = sentence_index[sent.start]
        stated = timeline.by_sentence.get(index) or []
        when = min(stated, key=lambda d: abs(d.start - claim.word.idx)) if stated else None
        if when is None and index in timeline.current:
            when = Dated(timeline.current[index], -1, -1, "inherited from the paragraph")
        if claim.relation == "founded" and claim.word.lemma_.lower() in vocab.relation_roles:
            when = None  # "Its founder, Jamil Mukulu, was arrested in 2015": not when he founded it
        text = sent.text.strip()
        offset = sent.start_char + sent.text.index(text)
        ends = when is not None and _ends_then(doc, when.start, vocab)
        relation = Relation(
            id=f"rel{n}",
            subject=claim.subject,
            relation=claim.relation,
            object=claim.obj,
            evidence=[norm.span(offset, offset + len(text))],
            date=when.date.iso if when and not ends else None,
            value=claim.value,
            number=claim.number,
            end_date=when.date.iso if when and ends else None,
        )
        qualify(relation, claim.word, found, vocab)
        relations.append(relation)
    return relations
