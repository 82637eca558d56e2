"""Agents are data: one YAML file each, loaded once and validated."""
