"""The PySide6 tray app: the Qt layer on top of :mod:`trayhabit.core`.

Windows, the tray and the reminder driver read and write habits only through
:class:`trayhabit.app.habits_model.HabitsModel`; :mod:`trayhabit.app.application` builds every
object and wires the signals, once.
"""
