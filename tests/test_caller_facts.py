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
