from hypothesis import given
from hypothesis import strategies as st

from engagement_index.ledger.quotes import normalise, numbers_in, quote_in_text, value_in_quote


def test_digits_commas_decimals_and_currency():
    assert numbers_in("over 4,300 cameras and a $240 million loan, 2.5 times") >= {
        4300.0,
        240.0,
        2.5,
    }


def test_number_words_and_compounds():
    found = numbers_in("two batteries, a dozen trucks, twenty-one officers, five times as many")
    assert {2.0, 12.0, 21.0, 5.0} <= found


def test_words_inside_other_words_do_not_count():
    assert 1.0 not in numbers_in("someone gone")
    assert 10.0 not in numbers_in("often")


def test_value_in_quote_is_exact():
    assert value_in_quote(118, "118 trainees")
    assert not value_in_quote(11.8, "118 trainees")


def test_quote_matching_folds_space_and_typographic_quotes_only():
    text = "China’s “Safe City”\n  initiatives"
    assert quote_in_text('China\'s "Safe City" initiatives', text)
    assert not quote_in_text("Chinas Safe City initiatives", text)
    assert not quote_in_text("   ", text)


@given(st.integers(min_value=0, max_value=10**9))
def test_any_integer_written_with_thousands_separators_is_found(n):
    assert value_in_quote(float(n), f"a total of {n:,} items")


@given(st.text())
def test_normalise_is_idempotent(s):
    assert normalise(normalise(s)) == normalise(s)
