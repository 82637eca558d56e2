"""What the host's output filter masks, and that a secret split over writes is still caught."""

from __future__ import annotations

import io

from local.host.redact import RedactingStream, Redactor


def test_query_keys_header_values_and_known_secrets_are_masked() -> None:
    redact = Redactor()
    redact.add(["a-known-master-key-value"])
    redact.add_settings({"LLM_API_KEY": "sk-live-123456789", "COSMOS_DATABASE": "callcenter"})
    line = ("POST http://127.0.0.1:7071/runtime/webhooks/blobs?functionName=f&code=sysKEY_1-2 "
            "{'x-functions-key': 'k-abc', 'X-Session-Token': 'tok.123'} x-service-key: svc123, "
            "AccountName=dev;AccountKey=Eby8/vd==;BlobEndpoint=b master=a-known-master-key-value "
            "llm=sk-live-123456789 db=callcenter")
    masked = redact(line)
    for secret in ("sysKEY_1-2", "k-abc", "tok.123", "svc123", "Eby8/vd==", "a-known-master-key-value",
                   "sk-live-123456789"):
        assert secret not in masked
    assert "functionName=f&code=***" in masked and "AccountName=dev;AccountKey=***;BlobEndpoint=b" in masked
    assert "db=callcenter" in masked  # not a secret setting: left alone


def test_a_secret_split_over_two_writes_is_masked() -> None:
    redact = Redactor()
    redact.add(["split-secret-value"])
    out = io.StringIO()
    stream = RedactingStream(out, redact)
    stream.write("token split-sec")
    stream.write("ret-value and code=abc")
    assert out.getvalue() == ""  # held until the line is complete
    stream.write("\nnext ")
    assert out.getvalue() == "token *** and code=***\n"
    stream.flush()
    assert out.getvalue().endswith("next ")
