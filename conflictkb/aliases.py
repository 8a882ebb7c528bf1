"""Within one document: which names are the same actor, and why.

After NER, a document's names are grouped by exact spelling. This stage merges the groups that
the text shows to be one actor: an acronym defined in brackets or matching a name's initials
("IMU" = "Islamic Movement of Uzbekistan"), a renaming or a stated alias ("known since 2001 as",
"whose real name was", "X, Y's nom de guerre"; cue words in ``data/cues.yaml``), a surname or a
shorter form after the full name ("Karimov" after "Islam Karimov"), and transliteration variants
("Yuldeshev" / "Yuldashev"). Each merge records its reason on the surviving entity.
"""

from __future__ import annotations

from itertools import pairwise

from spacy.tokens import Doc, Token

from conflictkb.actors import ACTOR_PREFIX, Actor, Dictionary
from conflictkb.entities import FoundEntities, name_forms
from conflictkb.model import Entity, Mention
from conflictkb.names import entity_key
from conflictkb.normalize import NormalizedText
from conflictkb.translit import skeleton, variants
from conflictkb.vocab import Vocab

_ORG_KINDS = ("armed_group", "organization", "state_actor")
# Which kind survives when two organisation kinds merge: the more specific one.
_KIND_RANK: dict[str, int] = {"armed_group": 0, "state_actor": 1, "organization": 2, "person": 3, "place": 4}
_STOPWORDS = frozenset({"of", "the", "and", "for", "in", "on", "al", "e", "i", "ul", "de", "&"})


def merge_entities(found: FoundEntities, keep: Entity, gone: Entity, why: str) -> None:
    """Fold ``gone`` into ``keep``: aliases, mentions and tokens move; the reason is recorded.
    A dictionary actor always survives a merge with an unlisted name."""
    if keep is gone:
        return
    if gone.ref is not None and keep.ref is None:
        keep, gone = gone, keep
    for alias, count in gone.aliases.items():
        keep.aliases[alias] = keep.aliases.get(alias, 0) + count
    keep.merges.extend([*gone.merges, f"{gone.name} = {keep.name}: {why}"])
    if _KIND_RANK[gone.kind] < _KIND_RANK[keep.kind] and keep.kind in _ORG_KINDS and gone.kind in _ORG_KINDS:
        keep.kind = gone.kind
    found.mentions[:] = [
        Mention(keep.id, m.start, m.end, m.text, m.label) if m.entity == gone.id else m for m in found.mentions
    ]
    for tok, entity_id in list(found.by_token.items()):
        if entity_id == gone.id:
            found.by_token[tok] = keep.id
    found.entities.remove(gone)


def _initials(name: str) -> str:
    words = [w for w in entity_key(name).split() if w not in _STOPWORDS]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def is_acronym(name: str) -> bool:
    letters = name.replace(".", "").replace("-", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def _entity_at(found: FoundEntities, tok: Token) -> Entity | None:
    entity_id = found.by_token.get(tok.i)
    return found.get(entity_id) if entity_id else None


def merge_bracketed_acronyms(found: FoundEntities, doc: Doc, norm: NormalizedText) -> None:
    """ "Islamic Movement of Uzbekistan (IMU)" and "IMU (Islamic Movement of Uzbekistan)".

    An acronym defined this way is an alias even where the parser did not see a name in it: its
    every later use in the document becomes a mention of the group.
    """
    for tok in doc[1:-2]:
        if tok.text != "(" or doc[tok.i + 2].text != ")":
            continue
        before, inside = _entity_at(found, doc[tok.i - 1]), _entity_at(found, doc[tok.i + 1])
        if before is None or (before.kind in ("place", "person") and not _names_a_group(before)):
            continue
        if before.kind == "person":
            before.kind = "organization"  # a name with an acronym is a group's, whatever the parser said
        if inside is None and is_acronym(doc[tok.i + 1].text):
            _add_alias_mentions(found, doc, norm, before, doc[tok.i + 1].text)
        elif inside is not None and inside is not before and inside.kind in _ORG_KINDS:
            keep, gone = (inside, before) if is_acronym(before.name) else (before, inside)
            merge_entities(found, keep, gone, "acronym defined in brackets")


def _names_a_group(entity: Entity) -> bool:
    """A multi-word name the parser took for a person but that an acronym follows: a group."""
    return len(entity.name.split()) >= 3


def _add_alias_mentions(found: FoundEntities, doc: Doc, norm: NormalizedText, entity: Entity, alias: str) -> None:
    """Every free token spelled ``alias`` becomes a mention of ``entity``."""
    for tok in doc:
        if tok.text != alias or tok.i in found.by_token:
            continue
        span = norm.span(tok.idx, tok.idx + len(tok.text))
        found.mentions.append(Mention(entity.id, span.start, span.end, span.text, "ALIAS"))
        found.by_token[tok.i] = entity.id
        entity.aliases[alias] = entity.aliases.get(alias, 0) + 1
    if alias in entity.aliases:
        entity.merges.append(f"{alias} = {entity.name}: acronym defined in brackets")


def merge_initials(found: FoundEntities) -> None:
    """An acronym whose letters are the initials of exactly one longer organisation name."""
    for short in [e for e in found.entities if e.kind in _ORG_KINDS and is_acronym(e.name)]:
        if short not in found.entities:
            continue
        letters = short.name.replace(".", "").replace("-", "").upper()
        longer = [e for e in found.entities if e.kind in _ORG_KINDS and e is not short and not is_acronym(e.name)]
        matches = [e for e in longer if _initials(e.name) == letters]
        if len(matches) == 1:
            merge_entities(found, matches[0], short, "acronym of its initials")


def merge_stated_aliases(found: FoundEntities, doc: Doc, vocab: Vocab) -> None:
    """Two names joined by a cue ("X, known since 2001 as Y"; "Y, X's nom de guerre")."""
    for sent in doc.sents:
        ents = [
            e
            for e in sent.ents
            if found.by_token.get(e.start) is not None and e.text.lower() not in vocab.alias_between
        ]
        for left, right in pairwise(ents):
            a, b = _entity_at(found, doc[left.start]), _entity_at(found, doc[right.start])
            if a is None or b is None or a is b:
                continue
            if (a.kind == "place") != (b.kind == "place") and not _misread_alias(a, b):
                continue
            if a.ref is not None and b.ref is not None and a.ref != b.ref:
                continue  # two listed actors are never one by a cue ("the al-Qaeda-linked group, known as al-Shabaab")
            between = doc[left.end : right.start]
            gap = " ".join(t.lower_ for t in between if not t.is_punct)
            tail = " ".join(t.lower_ for t in doc[right.end : min(right.end + 5, sent.end)])
            bracketed = len(between) <= 3 and between[:1].text == "(" and gap in vocab.alias_in_brackets
            if bracketed or (len(between) <= 8 and any(f" {cue} " in f" {gap} " for cue in vocab.alias_between)):
                merge_entities(found, a, b, f"stated in the text: '{between.text.strip()}'")
            elif right.start - left.end <= 2 and any(tail.startswith(cue) for cue in vocab.alias_after):
                merge_entities(found, b, a, f"stated in the text: '{tail}'")


def _misread_alias(a: Entity, b: Entity) -> bool:
    """ "Nicolas Rodriguez Bautista, alias Gabino": a person's stated alias that the parser took
    for a place (no dictionary place) is the person's name all the same."""
    return a.kind == "person" and b.kind == "place" and b.ref is None


def merge_person_names(found: FoundEntities) -> None:
    """A shorter form of a person's name ("Karimov", "Tohir Yuldeshev") or another spelling of it."""
    people = [e for e in found.entities if e.kind == "person"]
    # Longer names first, so "Tohir Yuldeshev" joins "Tohir A. Yuldeshev" before "Yuldeshev" looks for a home.
    for short in sorted(people, key=lambda e: -len(entity_key(e.name).split())):
        if short not in found.entities:
            continue
        words = entity_key(short.name).split()
        candidates = [
            e
            for e in people
            if e is not short
            and e in found.entities
            and len(entity_key(e.name).split()) >= len(words)
            and _contains(e, words)
        ]
        if len(candidates) == 1:
            merge_entities(found, candidates[0], short, "a shorter form or spelling of the full name")


def _surname_owner(word: str, people: list[Entity]) -> Entity | None:
    """The one person named in full whose surname (in any of their names) this word is or spells."""
    owners = [
        p for p in people
        if any(len(a.split()) >= 2 and variants(word, a.split()[-1], person=True) for a in (p.name, *p.aliases))
    ]  # fmt: skip
    return owners[0] if len(owners) == 1 else None


def _exact_surname_owner(word: str, people: list[Entity]) -> Entity | None:
    owners = [p for p in people if any(len(a.split()) >= 2 and a.split()[-1] == word for a in (p.name, *p.aliases))]
    return owners[0] if len(owners) == 1 else None


def merge_misread_surnames(found: FoundEntities, doc: Doc, norm: NormalizedText) -> None:
    """A lone word the parser took for a group or a people that is the surname of exactly one person
    named in full ("MacLeod says" after "John MacLeod"; "Mehsud emerged as leader")."""
    people = [
        e for e in found.entities if e.kind == "person" and any(len(a.split()) >= 2 for a in (e.name, *e.aliases))
    ]
    lone_words = [e for e in found.entities if e.ref is None and len(e.name.split()) == 1 and e.kind != "person"]
    for lone in lone_words:
        if is_acronym(lone.name):
            continue
        # A place only when it is exactly a surname ("Masoud's headquarters"); a group also when spelt apart.
        owner = _surname_owner(lone.name, people) if lone.kind != "place" else _exact_surname_owner(lone.name, people)
        if owner is not None:
            lone.kind = "person"
            merge_entities(found, owner, lone, "the surname of a person named in full")
    for ent in doc.ents:
        if ent.label_ != "NORP" or len(ent) != 1 or ent.start in found.by_token:
            continue
        owner = (
            _surname_owner(ent.text, people)
            if ent.root.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "poss")
            else None
        )
        if owner is not None:
            found.attach(ent, norm, owner)
            owner.merges.append(f"{ent.text} = {owner.name}: the surname of a person named in full")


def _contains(full: Entity, words: list[str]) -> bool:
    """Every word of the short name matches a word of one of the full entity's names (exactly or as a
    spelling variant); names of equal length must be variants of each other as a whole."""
    for alias in full.aliases or {full.name: 1}:
        full_words = entity_key(alias).split()
        if len(words) == len(full_words):
            if variants(" ".join(words), " ".join(full_words), person=True):
                return True
        elif len(words) < len(full_words) and all(
            any(w == f or variants(w, f, person=True) for f in full_words) for w in words
        ):
            return True
    return False


def listed_spelling(name: str, kind: str, dictionary: Dictionary) -> Actor | None:
    """The one listed actor this is an unlisted spelling of: "Jamiat-i-Ulema Islami" for Jamiat
    Ulema-e-Islam, "Ahmed Shah Masoud" for Ahmad Shah Massoud (same skeleton; people close in
    letters too)."""
    names = dictionary.skeletons.get(skeleton(name), ())
    actors = [dictionary.actors[n] for n in names]
    if kind == "person" or any(a.kind == "person" for a in actors):
        actors = [a for a in actors if a.kind == kind and any(variants(name, n, person=True) for n in a.names)]
    return actors[0] if len(actors) == 1 else None


def link_spellings_to_dictionary(found: FoundEntities, dictionary: Dictionary) -> None:
    """Unlisted spellings of listed actors join (or become) the listed actor's entity."""
    for entity in [e for e in found.entities if e.ref is None and e.kind in (*_ORG_KINDS, "person")]:
        actor = listed_spelling(entity.name, entity.kind, dictionary) if entity in found.entities else None
        if actor is None:
            continue
        listed = next((e for e in found.entities if e.ref == ACTOR_PREFIX + actor.name), None)
        if listed is not None:
            merge_entities(found, listed, entity, f"a spelling of the listed {actor.name}")
        else:
            entity.merges.append(f"{entity.name} = {actor.name}: a spelling of a listed actor")
            entity.ref, entity.name, entity.kind = ACTOR_PREFIX + actor.name, actor.name, actor.kind  # type: ignore[assignment]


def _capitalised_runs(doc: Doc) -> list[tuple[int, int]]:
    """Runs of capitalised words, with the hyphens and short particles inside names
    ("Jamiat-i-Ulema Islami", "Lashkar e Taiba"): at least two capitalised words each."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for tok in doc:
        if start is not None and tok.is_sent_start:  # a run never crosses a sentence
            runs.append((start, tok.i))
            start = None
        capital = tok.text[:1].isupper()
        joiner = start is not None and (tok.text == "-" or tok.lower_ in _STOPWORDS)
        if capital and start is None:
            start = tok.i
        elif not capital and not joiner and start is not None:
            runs.append((start, tok.i))
            start = None
    if start is not None:
        runs.append((start, len(doc)))
    return [(s, e) for s, e in runs if sum(1 for t in doc[s:e] if t.text[:1].isupper()) >= 2]


def _unowned_parts(found: FoundEntities, doc: Doc, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of each run that no name covers: "Jamaat-e-Ulema-e-Islam" in "the Pakistani
    Jamaat-e-Ulema-e-Islam", "Sipah-i-Sabah" in "Sipah-i-Sabah and Lashkar-i-Jhangvi"."""
    parts = []
    for start, end in runs:
        part_start = start
        for i in range(start, end + 1):
            if i == end or i in found.by_token or doc[i].ent_type_:
                if i - part_start >= 2:
                    parts.append((part_start, i))
                part_start = i + 1
    return parts


def spot_listed_spellings(found: FoundEntities, doc: Doc, norm: NormalizedText, dictionary: Dictionary) -> None:
    """Names of listed groups in spellings the dictionary lacks, where the parser saw no name at all."""
    for start, end in _unowned_parts(found, doc, _capitalised_runs(doc)):
        while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in _STOPWORDS):
            end -= 1
        if end - start < 2:
            continue
        span = doc[start:end]
        actor = listed_spelling(span.text, "organization", dictionary)
        if actor is not None and actor.kind != "person":
            entity = found.add_mention(span, norm, actor.kind, actor.name, ACTOR_PREFIX + actor.name)  # type: ignore[arg-type]  # checked kinds
            if entity is not None:
                entity.merges.append(f"{span.text} = {actor.name}: a spelling of a listed actor")


def resolve_aliases(found: FoundEntities, doc: Doc, norm: NormalizedText, vocab: Vocab, dictionary: Dictionary) -> None:
    """Apply every within-document merge rule, most explicit evidence first."""
    spot_listed_spellings(found, doc, norm, dictionary)
    link_spellings_to_dictionary(found, dictionary)
    merge_bracketed_acronyms(found, doc, norm)
    merge_misread_surnames(found, doc, norm)
    merge_stated_aliases(found, doc, vocab)
    merge_initials(found)
    merge_person_names(found)
    for entity in found.entities:
        if entity.ref is None:
            entity.name = canonical_name(entity, vocab.person_titles)


def canonical_name(entity: Entity, titles: frozenset[str] = frozenset()) -> str:
    """The name to show: a full name (not an acronym, more than one word if there is one), the most
    used of those, then the longest; without the title it may be written with ("Col.")."""
    forms = name_forms(entity, titles)
    full = [a for a in forms if not is_acronym(a)] or list(forms)
    return max(full, key=lambda a: (len(a.split()) > 1, forms[a], len(a)))
