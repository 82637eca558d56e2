"""Thin Functions adapters: parse binding input, call shared/, shape output."""
