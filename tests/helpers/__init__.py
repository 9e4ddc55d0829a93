"""Shared test helpers: a fake clock, and builders for habits and events."""
