"""Synthetic companies: deterministic offline generation, or an LLM writing the text."""
