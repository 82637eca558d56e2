"""Durable Functions for the local host: the SDK's own replay over a history kept in SQLite."""
