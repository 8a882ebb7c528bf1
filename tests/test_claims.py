"""Tests for ``conflictkb.claims``: literal claims (strengths, aims, renamings, money from no named
actor) and how claims are worded (hedges, who asserts them), on the real pipeline."""

from test_relations import claims_of

from conflictkb.extract import Extractor


def test_strength_aims_hedges_and_who_asserts(extractor: Extractor) -> None:
    found = claims_of(
        extractor,
        "The Islamic Movement of Uzbekistan counts only a few hundred fighters, according to Noah Tucker. "
        "The group was formed with the intent of overthrowing the Uzbek state and installing a caliphate.\n\n"
        "It is thought that Juma Namangani was killed in an American air strike in 2001.",
    )
    strength = [c for c in found if c[1] == "strength"]
    assert strength and strength[0][0] == "Islamic Movement of Uzbekistan" and "few hundred fighters" in strength[0][2]
    assert strength[0][5] == "Noah Tucker"
    aims = sorted(o for s, r, o, *_ in found if r == "aim")
    assert aims == ["installing a caliphate", "overthrowing the Uzbek state"]
    (death,) = [c for c in found if c[1] == "killed_in"]
    assert death[0] == "Juma Namangani" and death[4] is True and death[3] == "2001"


def test_a_passive_report_verb_with_no_source_hedges_the_claim(extractor: Extractor) -> None:
    found = claims_of(
        extractor,
        "The Islamic Movement of Uzbekistan attacked Osh. "
        "The group is now believed to be based in the Pakistani tribal agency of North Waziristan.",
    )
    assert ("Islamic Movement of Uzbekistan", "based_in", "North Waziristan", None, True, None) in found


def test_aims_stated_by_a_copula_or_an_as_phrase_and_whose_they_are(extractor: Extractor) -> None:
    found = claims_of(
        extractor,
        "The Islamic Movement of Uzbekistan grew. Its aim is to overthrow the Uzbek state and create a caliphate.\n\n"
        "Tahir Yuldashev outlined the aims of the Islamic Movement of Uzbekistan as the creation of an Islamic "
        "state by means of a violent overthrow of the governments of Central Asia.\n\n"
        "The Taliban hosted Juma Namangani. This achieved the purpose of marking Namangani out as a pious Muslim.",
    )
    aims = [(s, o) for s, r, o, *_ in found if r == "aim"]
    imu = "Islamic Movement of Uzbekistan"
    assert (imu, "overthrow the Uzbek state") in aims
    assert (imu, "create a caliphate") in aims
    assert any(s == imu and o.startswith("the creation of an Islamic state by means of") for s, o in aims)
    assert not any(s == "Taliban" for s, _ in aims)


def test_money_from_no_named_actor_is_kept_as_text(extractor: Extractor) -> None:
    found = claims_of(
        extractor,
        "Saudi businessmen also channelled funds into Tahir Yuldashev's organization.\n\n"
        "The Islamic Movement of Uzbekistan was financed by heroin smuggling.\n\n"
        "Yuldeshev met a handful of Arabs who had been funding Adolat, Yuldeshev's radical party.\n\n"
        "The Taliban funded the Islamic Movement of Uzbekistan.",
    )
    funding = {(s, o) for s, r, o, *_ in found if r == "funded_by"}
    assert ("Tahir Yuldashev", "Saudi businessmen") in funding
    assert ("Islamic Movement of Uzbekistan", "heroin smuggling") in funding
    assert ("Adolat", "a handful of Arabs") in funding
    assert ("Islamic Movement of Uzbekistan", "Taliban") in funding  # a named funder stays an entity
    assert not any(o in ("the Taliban", "Taliban") and s != "Islamic Movement of Uzbekistan" for s, o in funding)


def test_a_former_name_makes_the_first_name_the_new_one(extractor: Extractor) -> None:
    found = claims_of(
        extractor,
        "Hay'at Tahrir al-Sham, which controls much of Idlib province, was formerly known as the Nusra Front.",
    )
    assert [(s, o) for s, r, o, *_ in found if r == "renamed_to"] == [("Hayat Tahrir al-Sham", "Hay'at Tahrir al-Sham")]


def test_a_former_name_after_a_bracketed_acronym_renames_the_full_name(extractor: Extractor) -> None:
    found = claims_of(extractor, "Hayat Tahrir al-Sham (HTS), formerly known as the Nusra Front, is led by al-Julani.")
    assert [(r, o) for _, r, o, *_ in found if r == "renamed_to"] == [("renamed_to", "Hayat Tahrir al-Sham")]


def test_a_group_that_funds_itself_is_funded_by_the_means_and_a_founder_role_gives_no_date(
    extractor: Extractor,
) -> None:
    text = (
        "The Allied Democratic Forces (ADF) operate in North Kivu. Its founder, Jamil Mukulu, was arrested in "
        "Tanzania in 2015. UN experts estimate that the ADF has between 1,200 and 1,500 fighters. The group "
        "finances itself through gold smuggling, according to the Congo Research Group."
    )
    found = claims_of(extractor, text)
    funded = [(s, o) for s, r, o, *_ in found if r == "funded_by"]
    assert funded == [("Allied Democratic Forces", "gold smuggling")]
    assert [(s, d) for s, r, _, d, *_ in found if r == "founded"] == [("Jamil Mukulu", None)]
