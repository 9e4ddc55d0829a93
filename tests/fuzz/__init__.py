"""Fuzz tests: real files of every kind TrayHabit reads, mutated, against its promise for them."""
