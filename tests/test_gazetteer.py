from conflictkb.gazetteer import Gazetteer, default_gazetteer, place_key
from conflictkb.model import Entity, Place
from conflictkb.places import resolve_places, specificity


def test_place_key_folds_case_accents_articles() -> None:
    assert place_key("the Rasht Valley") == "rasht valley"
    assert place_key("Dušanbe") == place_key("DUSANBE") == "dusanbe"
    assert place_key("Gorno-Badakhshan") == "gorno badakhshan"


def test_countries_and_cities_from_installed_geonames() -> None:
    gaz = default_gazetteer()
    tajikistan = gaz.lookup("Tajikistan")
    assert tajikistan is not None and (tajikistan.country, tajikistan.precision) == ("TJ", "country")
    dushanbe = gaz.lookup("Dushanbe")
    assert dushanbe is not None and dushanbe.country == "TJ" and dushanbe.precision == "city"
    assert dushanbe.lat is not None and 38 < dushanbe.lat < 39
    assert gaz.lookup("Nowhereville Xyz") is None


def test_resolve_places_keeps_unknown_names_without_coordinates() -> None:
    gaz = Gazetteer()
    gaz.add("Kunduz", Place("Kunduz", "AF", lat=36.7, lon=68.9, precision="city"))
    entities = [
        Entity("ent1", "Kunduz", "place", {"Kunduz": 1}),
        Entity("ent2", "Khevaspor", "place", {"Khevaspor": 1}),
        Entity("ent3", "IMU", "armed_group", {"IMU": 1}),
    ]
    places = resolve_places(entities, gaz)
    assert places["ent1"].country == "AF"
    assert places["ent2"] == Place("Khevaspor")
    assert "ent3" not in places
    assert specificity(places["ent1"]) < specificity(places["ent2"])
