"""States as actors: when a country's name or a leader's name stands for its government.

"Tajikistan blamed the IMU" is the Tajik state acting, not a place; "Karimov's regime" is the
Government of Uzbekistan. Both become mentions of the country's generated state actor
(``data/countries.yaml`` templates), with the words of ``data/cues.yaml`` deciding which verbs
describe land rather than acts and which nouns name a government.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from conflictkb.actors import ACTOR_PREFIX, Dictionary, country_of
from conflictkb.entities import FoundEntities, clean_name
from conflictkb.model import Entity, Mention
from conflictkb.normalize import NormalizedText
from conflictkb.vocab import Vocab

GOVERNMENT = "Government of {country}"
FORCES = "{demonym} security forces"


def state_entity(found: FoundEntities, dictionary: Dictionary, code: str) -> Entity | None:
    """The document's entity for a country's government, made if the document has none yet."""
    country = dictionary.countries.get(code)
    if country is None or not country.names:
        return None
    return _generated(found, dictionary, GOVERNMENT.format(country=country.names[0]))


def forces_entity(found: FoundEntities, dictionary: Dictionary, code: str) -> Entity | None:
    """The document's entity for a country's security forces ("Tajik security forces")."""
    country = dictionary.countries.get(code)
    adjectives = (country.adjectives or country.demonyms) if country is not None else ()
    if not adjectives:
        return None
    return _generated(found, dictionary, FORCES.format(demonym=adjectives[0]))


def forces_named(
    found: FoundEntities, norm: NormalizedText, tokens: list[Token], dictionary: Dictionary, code: str, where: str
) -> Entity | None:
    """ "government security forces clashed ... in Tavildara": the words become a mention of the
    security forces of the country ``code`` where the act happens (``where`` says so in the merge)."""
    forces = forces_entity(found, dictionary, code)
    if forces is not None:
        _move(found, norm, tokens, forces, f"unnamed forces acting in {where}")
    return forces


def _generated(found: FoundEntities, dictionary: Dictionary, name: str) -> Entity | None:
    """The document's entity for a generated state actor of the dictionary, made if missing."""
    if name not in dictionary.actors:
        return None
    ref = ACTOR_PREFIX + name
    existing = next((e for e in found.entities if e.ref == ref), None)
    if existing is not None:
        return existing
    entity = Entity(id=found.next_id(), name=name, kind="state_actor", ref=ref)
    found.entities.append(entity)
    return entity


def _move(found: FoundEntities, norm: NormalizedText, tokens: list[Token], target: Entity, why: str) -> None:
    """Make the words ``tokens`` a mention of ``target`` (taking them from whatever entity had them)."""
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    span = norm.span(start, end)
    for gone in [m for m in found.mentions if m.start >= span.start and m.end <= span.end]:
        found.mentions.remove(gone)
        owner = found.get(gone.entity)
        alias = " ".join(gone.text.split())
        if owner is not None and alias in owner.aliases:
            owner.aliases[alias] -= 1
    found.mentions.append(Mention(target.id, span.start, span.end, span.text, "STATE"))
    for tok in tokens:
        found.by_token[tok.i] = target.id
    alias = " ".join(span.text.split())
    target.aliases[alias] = target.aliases.get(alias, 0) + 1
    target.merges.append(f"{alias} = {target.name}: {why}")


def countries_acting(
    found: FoundEntities, doc: Doc, norm: NormalizedText, vocab: Vocab, dictionary: Dictionary
) -> None:
    """A country name that is the subject of an act ("Tajikistan blamed ...") or names who made an
    attack on someone ("the U.S. attack on Afghanistan") is its government."""
    for ent in doc.ents:
        code = country_of(ent.ent_id_)
        root = ent.root
        if code is None or not (_subject_of_an_act(root, vocab) or _attacker(root, vocab)):
            continue
        state = state_entity(found, dictionary, code)
        if state is not None:
            _move(found, norm, list(ent), state, f"a country acting ('{root.head.text}')")
    _drop_empty(found)


def joint_forces(found: FoundEntities, doc: Doc, norm: NormalizedText, vocab: Vocab, dictionary: Dictionary) -> None:
    """ "Russian and Tajik border guards", "Russian-Tajik border units": the forces of two countries
    acting together are one actor, named as written (and the same actor when named again in other
    words), not the second country's forces alone."""
    joints: dict[tuple[str, ...], Entity] = {}
    for first, second in zip(doc.ents, doc.ents[1:], strict=False):
        codes = (_country_code(first, dictionary), _country_code(second, dictionary))
        between = doc[first.end : second.start].text.strip()
        end = _forces_end(second, vocab)
        if None in codes or codes[0] == codes[1] or between not in ("and", "-", "&") or end is None:
            continue
        key = tuple(sorted(str(c) for c in codes))
        tokens = list(doc[first.start : end])
        name = " ".join(clean_name(doc[first.start : end].text)[0].split())
        if key not in joints:
            joints[key] = Entity(id=found.next_id(), name=name, kind="state_actor")
            found.entities.append(joints[key])
        _move(found, norm, tokens, joints[key], f"the forces of {' and '.join(key)} together")
    _drop_empty(found)


def _country_code(ent: SpacySpan, dictionary: Dictionary) -> str | None:
    """The country a name or demonym names, or whose state actor it is."""
    actor = dictionary.actor_of(ent.ent_id_)
    state = actor.country if actor is not None and actor.kind == "state_actor" else None
    return country_of(ent.ent_id_) or state


def _forces_end(ent: SpacySpan, vocab: Vocab) -> int | None:
    """Where the forces named from ``ent`` end: the name itself ("Tajik border guards") or the
    force noun it modifies ("Tajik" in "Tajik border units")."""
    if ent.root.lemma_.lower() in vocab.force_nouns:
        return ent.end
    head = ent.root.head
    if head.i >= ent.end and head.lemma_.lower() in vocab.force_nouns and ent.root.dep_ in ("amod", "compound", "nmod"):
        return head.i + 1
    return None


def _subject_of_an_act(root: Token, vocab: Vocab) -> bool:
    return root.dep_ == "nsubj" and root.head.pos_ == "VERB" and root.head.lemma_.lower() not in vocab.land_verbs


def _attacker(root: Token, vocab: Vocab) -> bool:
    """The country before an attack noun that says whom it hit: "the U.S. attack on Afghanistan"
    (but "the Kenya bombing", with no target, may name where it was)."""
    head = root.head
    if root.dep_ not in ("compound", "nmod", "poss") or head.lemma_.lower() not in vocab.triggers_by_first:
        return False
    return any(c.dep_ == "prep" and c.lower_ in vocab.target_preps for c in head.children)


def leaders_governments(
    found: FoundEntities, doc: Doc, norm: NormalizedText, vocab: Vocab, dictionary: Dictionary
) -> None:
    """A listed leader's name, possessive or not, before a government noun: "Karimov's regime",
    "the Karimov regime", "Rahmonov's government"."""
    for ent in doc.ents:
        actor = dictionary.actor_of(ent.ent_id_)
        if actor is None or actor.kind != "person" or not actor.country or ent.end >= len(doc):
            continue
        words = [doc[ent.end]] if doc[ent.end].tag_ == "POS" else []
        if ent.end + len(words) >= len(doc):
            continue
        noun = doc[ent.end + len(words)]
        if noun.lemma_.lower() in vocab.government_nouns:
            state = state_entity(found, dictionary, actor.country)
            if state is not None:
                _move(found, norm, [*ent, *words, noun], state, f"the government of {actor.name}")
        else:
            _government_led_by(ent, actor.name, str(actor.country), found, norm, vocab, dictionary)
    _drop_empty(found)


def _government_led_by(
    ent: SpacySpan,
    leader: str,
    country: str,
    found: FoundEntities,
    norm: NormalizedText,
    vocab: Vocab,
    dictionary: Dictionary,
) -> None:
    """ "the interim government headed by Rosa Otunbayeva": a government noun whose head is a listed
    leader of that country is its government (the noun and its adjectives are the mention)."""
    agent = ent.root.head if ent.root.dep_ == "pobj" else None
    verb = agent.head if agent is not None and agent.dep_ == "agent" else None
    noun = verb.head if verb is not None and verb.dep_ == "acl" else None
    if noun is None or noun.lemma_.lower() not in vocab.government_nouns or noun.i in found.by_token:
        return
    if verb is None or "leader_of" not in {v.relation for v in vocab.relation_verbs.get(verb.lemma_.lower(), ())}:
        return
    words = [t for t in noun.lefts if t.dep_ in ("amod", "compound") and t.i == noun.i - 1] + [noun]
    state = state_entity(found, dictionary, country)
    if state is not None:
        _move(found, norm, words, state, f"the government {verb.text} by {leader}")


def _drop_empty(found: FoundEntities) -> None:
    """Entities left with no mention (all their words now name a state) are removed."""
    used = {m.entity for m in found.mentions}
    for entity in [e for e in found.entities if e.id not in used]:
        found.entities.remove(entity)
    for entity in found.entities:
        entity.aliases = {a: c for a, c in entity.aliases.items() if c > 0}
