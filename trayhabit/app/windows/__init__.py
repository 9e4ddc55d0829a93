"""The app's windows: check-off, habits, settings and the first-run welcome."""
