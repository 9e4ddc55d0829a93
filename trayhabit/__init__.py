"""TrayHabit: a system-tray app that turns reminders into habits.

This module holds the one copy of the version number; packaging, the command line and the installers
read it from here.
"""

__version__ = "0.1.0"
