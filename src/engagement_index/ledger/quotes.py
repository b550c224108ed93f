"""Finding quotes in source texts and numbers in quotes.

A quote is found in its source when it appears verbatim after normalising only white
space (any run becomes one space) and typographic quotes and apostrophes (to ``'`` and
``"``). A value is found in its quote when the quote states it in digits ("1,500",
"$240", "2.5") or in words ("two", "a dozen", "five times", "twenty-one").
"""

from __future__ import annotations

import math
import re

_QUOTE_MARKS = str.maketrans(
    {"’": "'", "‘": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'}
)
_SPACE = re.compile(r"\s+")

_UNITS_WORDS = {
    "zero": 0,
    "one": 1,
    "a single": 1,
    "single": 1,
    "two": 2,
    "both": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "a dozen": 12,
    "dozen": 12,
    "half": 0.5,
    "twice": 2,
    "double": 2,
    "triple": 3,
    "first": 1,
    "once": 1,
    "a hundred": 100,
    "hundred": 100,
    "a thousand": 1000,
    "thousand": 1000,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_DIGITS = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")


def normalise(text: str) -> str:
    """Fold white space and typographic quote marks, for quote matching."""
    return _SPACE.sub(" ", text.translate(_QUOTE_MARKS)).strip()


def quote_in_text(quote: str, text: str) -> bool:
    """True if ``quote`` appears in ``text`` after :func:`normalise` of both."""
    q = normalise(quote)
    return bool(q) and q in normalise(text)


def numbers_in(quote: str) -> set[float]:
    """All numbers a quote states, in digits or in English number words.

    Examples
    --------
    >>> sorted(numbers_in("a dozen K-8 jets and 1,500 rifles for $2.5 million"))
    [1.0, 2.5, 8.0, 12.0, 1500.0]
    """
    found: set[float] = set()
    for token in _DIGITS.findall(quote):
        found.add(float(token.replace(",", "")))
    low = normalise(quote).casefold()
    for word, value in _UNITS_WORDS.items():
        if re.search(rf"\b{word}\b", low):
            found.add(float(value))
    for word, tens in _TENS.items():
        for m in re.finditer(
            rf"\b{word}(?:[- ](one|two|three|four|five|six|seven|eight|nine))?\b", low
        ):
            found.add(float(tens + (_UNITS_WORDS[m.group(1)] if m.group(1) else 0)))
    return found


def value_in_quote(value: float, quote: str) -> bool:
    """True if ``value`` is among the numbers the quote states (relative tolerance 1e-9)."""
    return any(math.isclose(value, n, rel_tol=1e-9, abs_tol=1e-12) for n in numbers_in(quote))
