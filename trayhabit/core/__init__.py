"""The Qt-free core of TrayHabit: schedule, score, store and use cases.

Nothing in this package imports PySide6 or ``trayhabit.app``; a test in the suite enforces it.
"""
