"""Offline speech for the cascade engine: voice activity, recognition, end of turn, synthesis, resampling."""
