"""The conversation runtime: one session object per conversation, driven by events, whatever the transport.

Chat, the phone's media path and the browser's voice chat turn their input into events
(`events.py`) and play or show the events that come out; the logic lives here. Each turn is a
cancellable task (`runtime.py`); tools run through one executor (`executor.py`) that owns the tool
loop's bookkeeping and the handoff mechanism (`handoffs.py`); the safety rules stay in the tool
runner (`shared/tools/runner.py`); a brain only decides (`shared/agents/`).
"""
