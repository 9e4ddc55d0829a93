"""What the desktop can tell of the person at the keyboard: the platform sources of presence.

Each source is a small module that speaks to one part of one platform (the X server, a D-Bus
service, Win32, CoreGraphics) and answers in the core's terms (a partial
:class:`~trayhabit.core.presence.PresenceReading`); :class:`~.monitor.PresenceMonitor` merges them,
and :func:`~.monitor.make_monitor` picks the ones this platform offers. A source that cannot work
here says so in the log and the monitor goes on without it.
"""
