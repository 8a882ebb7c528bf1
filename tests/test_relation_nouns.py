"""Tests for ``conflictkb.relation_nouns``: relations a noun states, on the real pipeline."""

from test_relations import claims_of, triples_of

from conflictkb.extract import Extractor


def test_funding_given_and_received(extractor: Extractor) -> None:
    """Money has a giver and a receiver, however the sentence is built: a relative clause ("the
    organization that provided funds for X"), the verb's preposition, a participle's subject."""
    pairs = triples_of(
        extractor,
        "The Jamiat Ulema-e-Islam, the organization that provided funds for the Taliban, also raised cash for "
        "Tahir Yuldashev.\n\nHaving acquired funding from Saudi Arabia, Tahir Yuldashev went to Pakistan.\n\n"
        "Osama bin Laden provided the crucial funding to the Islamic Movement of Uzbekistan.",
    )
    assert ("Taliban", "funded_by", "Jamiat Ulema-e-Islam") in pairs
    assert ("Tahir Yuldashev", "funded_by", "Jamiat Ulema-e-Islam") in pairs
    assert ("Tahir Yuldashev", "funded_by", "Saudi Arabia") in pairs
    assert ("Islamic Movement of Uzbekistan", "funded_by", "Osama bin Laden") in pairs


def test_regarded_as_an_ally_and_not_any_as_phrase(extractor: Extractor) -> None:
    pairs = triples_of(
        extractor,
        "The Taliban regarded the Islamic Movement of Uzbekistan as an ally against Karimov.\n\n"
        "As guests of the Tehrik-i-Taliban Pakistan, the Islamic Movement of Uzbekistan advertises its importance "
        "to the fight against the Pakistani military.",
    )
    assert ("Islamic Movement of Uzbekistan", "allied_with", "Taliban") in pairs
    assert ("Islamic Movement of Uzbekistan", "hosted_by", "Tehrik-i-Taliban Pakistan") in pairs
    assert not any(r == "hosted_by" and s != "Islamic Movement of Uzbekistan" for s, r, _ in pairs)


def test_a_group_noun_after_a_comma_describes_the_group_named_before_it(extractor: Extractor) -> None:
    """However the parser attaches "a homegrown group" (here: to "Pakistan"), it describes the TTP."""
    found = triples_of(
        extractor,
        "Pakistan has for years been locked in conflict with the Pakistani Taliban, also known as the TTP, "
        "a homegrown Pakistani group with links to the Afghan Taliban.",
    )
    assert ("Tehrik-i-Taliban Pakistan", "allied_with", "Taliban") in found


def test_a_host_or_an_ally_that_is_no_named_actor_is_kept_as_text(extractor: Extractor) -> None:
    texts = triples_of(
        extractor,
        "The IMT leaders have been able to find sanctuary among Pakistani Islamist circles.\n\n"
        "IMT fighters have retained strong connections especially with traffickers of narcotics in Central Asia.\n\n"
        "The Islamic Movement of Uzbekistan has links to other groups.",
    )
    imu = "Islamic Movement of Uzbekistan"
    assert (imu, "hosted_by", "Pakistani Islamist circles") in texts
    assert (imu, "allied_with", "traffickers of narcotics in Central Asia") in texts
    assert not any(o == "other groups" for _, _, o in texts)  # words that name no one are no claim


def test_sanctuary_bases_and_coordinated_places(extractor: Extractor) -> None:
    found = claims_of(
        extractor,
        "In 2002 the Islamic Movement of Uzbekistan found sanctuary among the Taliban.\n\n"
        "The group once had bases in Tajikistan and Afghanistan.",
    )
    pairs = {(s, r, o) for s, r, o, *_ in found}
    assert ("Islamic Movement of Uzbekistan", "hosted_by", "Taliban") in pairs
    assert {("Islamic Movement of Uzbekistan", "based_in", p) for p in ("Tajikistan", "Afghanistan")} <= pairs


def test_the_object_of_forced_is_who_seeks_shelter(extractor: Extractor) -> None:
    """ "forced them to seek shelter with X": the forced seek it, not the ones who forced them."""
    found = claims_of(
        extractor,
        "In February 2007 the Taliban fought the Islamic Movement of Uzbekistan and forced it to seek shelter "
        "with Baitullah Mehsud.",
    )
    hosted = {(s, o) for s, r, o, *_ in found if r == "hosted_by"}
    assert hosted == {("Islamic Movement of Uzbekistan", "Baitullah Mehsud")}  # "it" is not its own clause's subject
    # "fought the IMU" is a rivalry, not an alliance ("fought alongside" would be one).
    assert ("Taliban", "rival_of", "Islamic Movement of Uzbekistan") in {(s, r, o) for s, r, o, *_ in found}
    assert not any(r == "allied_with" for _, r, *_ in found)


def test_a_base_a_group_attacked_is_not_its_base(extractor: Extractor) -> None:
    found = claims_of(extractor, "Al-Shabaab said the group had attacked a base in Baidoa.")
    assert not [c for c in found if c[1] == "based_in"]
