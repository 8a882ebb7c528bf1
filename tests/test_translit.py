import pytest

from conflictkb.translit import skeleton, variants


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Yuldashev", "Yuldeshev"),
        ("Yuldash", "Yoldash"),
        ("Khojaev", "Khojiev"),
        ("Rakhmonov", "Rahmonov"),
        ("Osama bin Laden", "Usama bin Ladin"),
        ("Tohir Yuldashev", "Tahir Yuldeshev"),
        ("Islam Karimov", "Islom Karimov"),
    ],
)
def test_spellings_of_one_name_are_variants(a: str, b: str) -> None:
    assert variants(a, b, person=True)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Karimov", "Kurmanbek"),
        ("Hakimullah Mehsud", "Baitullah Mehsud"),
        ("Tajikistan", "Tajik"),
        ("Ali", "Ahmad"),
        ("Bakiyev", "Bekov"),
    ],
)
def test_different_names_are_not_variants(a: str, b: str) -> None:
    assert not variants(a, b, person=True)


def test_fold_and_skeleton() -> None:

    assert skeleton("al-Zawahiri") == skeleton("Zawahiri")
    assert skeleton("") == ()
