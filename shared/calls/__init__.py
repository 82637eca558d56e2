"""Calls and text conversations as they happen: what the tracking orchestration records."""
