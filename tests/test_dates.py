from datetime import date

import pytest

from conflictkb.dates import dateline, is_date_phrase, parse_date, to_date, weekdays_named

PUBLISHED = date(2010, 9, 21)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "iso", "precision"),
    [
        ("Feb. 16, 1999", "1999-02-16", "day"),
        ("on 16 February 1999", "1999-02-16", "day"),
        ("May 5th, 2003", "2003-05-05", "day"),
        ("2010-09-21", "2010-09-21", "day"),
        ("February 1999", "1999-02", "month"),
        ("in July 2000", "2000-07", "month"),
        ("in 1998", "1998", "year"),
        ("(1998)", "1998", "year"),
        ("late 2001", "2001", "year"),
        ("the summer of 2001", "2001", "year"),
    ],
)
def test_absolute_and_partial_dates(text: str, iso: str, precision: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.iso, parsed.precision) == (iso, precision)
    assert text[parsed.start : parsed.end].strip(" ()")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Sunday", "2010-09-19"),
        ("Tuesday", "2010-09-21"),
        ("Aug. 22", "2010-08-22"),
        ("yesterday", "2010-09-20"),
        ("Dec. 30", "2009-12-30"),  # a month-day after the publication date is last year's
        ("in April", "2010-04"),
    ],
)
def test_relative_dates_resolve_against_publication(text: str, iso: str) -> None:
    parsed = parse_date(text, PUBLISHED)
    assert parsed is not None and parsed.iso == iso


@pytest.mark.parametrize("text", ["Sunday", "Aug. 22", "the late 1990s", "last week", "1,000", "some time ago"])
def test_unreadable_or_unanchored_dates_give_none(text: str) -> None:
    assert parse_date(text) is None


def test_impossible_day_falls_back_to_the_year_it_states() -> None:
    parsed = parse_date("February 30, 1999")
    assert parsed is not None
    assert (parsed.iso, parsed.precision) == ("1999", "year")


def test_dateline_reads_a_full_date_near_the_top_only() -> None:
    found = dateline("go to top\n\nHeadline\n\nTuesday, June 17, 2014\n\nText.")
    assert found is not None and found.iso == "2014-06-17"
    assert dateline("x" * 500 + " June 17, 2014") is None
    assert dateline("DUSHANBE, Tajikistan, Sept. 21 (UPI) --") is None
    # A dateline closed by a single spaced hyphen, as wire services write it.
    wire = dateline("MOGADISHU, Oct 29, 2022 - At least 20 people were killed when two car bombs exploded.")
    assert wire is not None and wire.iso == "2022-10-29"


def test_to_date_only_for_days() -> None:
    assert to_date("2010-09-21") == PUBLISHED
    assert to_date("2010-09") is None
    assert to_date(None) is None


def test_a_time_that_names_its_day_dates_an_event() -> None:
    assert is_date_phrase("TIME", "Monday night") and is_date_phrase("DATE", "1999")
    assert not is_date_phrase("TIME", "10 pm")


def test_weekdays_named() -> None:
    assert weekdays_named("an attack Sunday, the agency reported on Tuesday") == {6, 1}
    assert weekdays_named("no day here") == set()
