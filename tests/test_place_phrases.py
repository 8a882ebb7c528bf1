import hashlib

from conflictkb.extract import Extractor
from conflictkb.gazetteer import km_between
from conflictkb.model import Document, DocumentFacts, Place
from conflictkb.place_phrases import Located, place_located


def facts_of(extractor: Extractor, text: str) -> DocumentFacts:
    return extractor(Document(hashlib.sha256(text.encode()).hexdigest(), "p.txt", "txt", text))


def place_named(facts: DocumentFacts, name: str) -> Place:
    entity = next(e for e in facts.entities if e.name == name)
    return facts.places[entity.id]


def test_a_place_the_gazetteer_lacks_is_located_from_the_one_the_text_measures_from(extractor: Extractor) -> None:
    text = "An IMU unit attacked the holiday resort of Bostanlyk some 100 kilometres north of Tashkent."
    facts = facts_of(extractor, text)
    resort, tashkent = place_named(facts, "Bostanlyk"), place_named(facts, "Tashkent")
    assert resort.country == "UZ" and resort.precision == "district"
    assert resort.lat is not None and resort.lon is not None and tashkent.lat is not None and tashkent.lon is not None
    assert 95 < km_between((resort.lat, resort.lon), (tashkent.lat, tashkent.lon)) < 105
    assert resort.lat > tashkent.lat  # north
    assert resort.source == "some 100 kilometres north of Tashkent (located from Tashkent)"


def test_the_event_is_at_the_located_place_not_the_one_measured_from(extractor: Extractor) -> None:
    facts = facts_of(
        extractor, "Al-Shabaab fighters attacked Kalaya, 30 km south-east of Mogadishu, killing five soldiers."
    )
    event = next(e for e in facts.events if e.type == "armed_assault")
    assert event.place is not None and event.place.name == "Kalaya" and event.place.country == "SO"
    assert event.place.lat is not None and event.place.lat < 2.04  # south of Mogadishu


def test_a_gazetteer_place_far_from_where_the_text_puts_it_is_not_taken() -> None:
    islamabad = Place("Islamabad", "PK", "Islamabad", 33.72, 73.04, 1176615, "point", "geonames")
    far = Place("Tereblia", "UA", None, 48.1, 23.6, 691695, "point", "geonames")
    where = Located("e2", 20 * 1.609, 315.0, "20 miles north-west of Islamabad")
    located = place_located("Tarbela", far, where, islamabad)
    assert located.name == "Tarbela" and located.country == "PK" and located.precision == "district"
    near = Place("Tarbela", "PK", None, 33.95, 72.8, 1, "point", "geonames")
    assert place_located("Tarbela", near, where, islamabad) == near
    without_direction = place_located("Tarbela", far, Located("e2", 30, None, "30 km from Islamabad"), islamabad)
    assert (without_direction.lat, without_direction.lon, without_direction.precision) == (33.72, 73.04, "region")


def test_a_countrys_border_is_a_place_in_that_country_with_no_point(extractor: Extractor) -> None:
    facts = facts_of(extractor, "Of the survivors who fled to the Tajik border, their leader was shot.")
    border = place_named(facts, "Tajik border")
    assert (border.country, border.lat, border.lon, border.precision) == ("TJ", None, None, "region")


def test_a_place_measured_from_the_capital(extractor: Extractor) -> None:
    text = "In 2014 militants in Pakistan attacked the town of Farah, 100 km east of the capital."
    farah = place_named(facts_of(extractor, text), "Farah")
    assert (farah.country, farah.precision) == ("PK", "district")
    assert farah.source == "100 km east of the capital (located from Islamabad)"
