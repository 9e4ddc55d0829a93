"""Benchmarks: TrayHabit measured against a bare PySide6 tray app in the same run (see README)."""
