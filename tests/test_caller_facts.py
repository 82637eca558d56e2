"""Reading the facts a caller states for verification."""

from __future__ import annotations

import pytest

from shared.agents.caller_facts import caller_facts


@pytest.mark.parametrize(("said", "facts"), [
    ("My postal code is 71667 and I was born on 20 October 1957.",
     {"postal_code": "71667", "date_of_birth": "1957-10-20"}),
    ("zip 71667-1234, born October 20th, 1957", {"postal_code": "71667-1234", "date_of_birth": "1957-10-20"}),
    ("my order number is PUR-000123 and my postcode is SW1A 1AA",
     {"postal_code": "SW1A 1AA", "order_number": "pur-000123"}),
    ("date of birth 1957-10-20, zip code: 80012", {"postal_code": "80012", "date_of_birth": "1957-10-20"}),
    ("born 10/20/1957", {"date_of_birth": "1957-10-20"}),
    ("born on the 3rd of March, 1980", {"date_of_birth": "1980-03-03"}),
    ("born 31 February 1980", {}),  # no such day
    ("I want to order 2 tents for 120 dollars", {}),
    ("please change my address to 12 Harbour Street, 8001 Zurich", {}),  # a postal code not offered as a fact
])
def test_facts_in_what_the_caller_said(said: str, facts: dict) -> None:
    assert caller_facts(said) == facts


@pytest.mark.parametrize(("said", "expecting", "facts"), [
    ("sure my zip is nine four one zero four and i was born july fourth nineteen eighty four", False,
     {"postal_code": "94104", "date_of_birth": "1984-07-04"}),
    ("postcode n w one six x e and date of birth twenty third of november 1979", False,
     {"postal_code": "NW1 6XE", "date_of_birth": "1979-11-23"}),
    ("75004 is my postal code and my birth date is may 30 1988", False,
     {"postal_code": "75004", "date_of_birth": "1988-05-30"}),
    ("pin code 560001 and date of birth 26 january 1987", False,
     {"postal_code": "560001", "date_of_birth": "1987-01-26"}),
    ("111 21 and 1982-12-01", False, {"postal_code": "111 21", "date_of_birth": "1982-12-01"}),
    ("postcode NW1 6XE date of birth 23/11/1979 no wait november 23 1979", False,
     {"postal_code": "NW1 6XE", "date_of_birth": "1979-11-23"}),
    ("born march seventeen ninety three and postcode m5j 2x2", False,
     {"postal_code": "M5J 2X2", "date_of_birth": "1993-03-17"}),
    ("and it's 100-0005", True, {"postal_code": "100-0005"}),  # asked for the facts: a bare code counts
    ("and it's 100-0005", False, {}),
])
def test_facts_as_callers_say_them(said: str, expecting: bool, facts: dict) -> None:
    assert caller_facts(said, expecting=expecting) == facts
