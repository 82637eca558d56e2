"""The voice socket's ticket: only the server's key makes one, it is bound to the session's token, it expires."""

from __future__ import annotations

from media.voice_ticket import TICKET_SECONDS, VoiceTicket, issue, verify

KEY, TOKEN = "service-key", "the-session-token"
SESSION = VoiceTicket("ses-" + "a" * 32, "cust-1", "Ada", "conversation-ses-" + "a" * 32, False, {"company": "Contoso"})


def test_a_ticket_names_its_session_for_the_holder_of_its_token() -> None:
    assert verify(KEY, issue(KEY, SESSION, TOKEN), TOKEN) == SESSION
    assert verify(KEY, issue(KEY, SESSION, TOKEN), TOKEN).facts == {"company": "Contoso"}


def test_a_ticket_is_refused_with_another_token_key_or_after_it_expired() -> None:
    ticket = issue(KEY, SESSION, TOKEN, now=1000)
    assert verify(KEY, ticket, "another-token", now=1000) is None
    assert verify("another-key", ticket, TOKEN, now=1000) is None
    assert verify("", issue("", SESSION, TOKEN), TOKEN) is None  # no key, no tickets
    assert verify(KEY, ticket, TOKEN, now=1000 + TICKET_SECONDS + 1) is None


def test_a_changed_or_malformed_ticket_is_refused() -> None:
    payload, signature = issue(KEY, SESSION, TOKEN).split(".")
    forged = VoiceTicket("ses-" + "b" * 32, "cust-2", "Eve", "conversation-x", True)
    assert verify(KEY, f"{issue('guess', forged, TOKEN).split('.')[0]}.{signature}", TOKEN) is None
    for bad in ("", ".", "not base64!.x", f"{payload}", f"{payload}.{signature}x"):
        assert verify(KEY, bad, TOKEN) is None
