"""Two-way CalDAV sync: each tracked habit a recurring task (VTODO) on a CalDAV server, and a task
completed there (on a phone, in Thunderbird) a check-off here.

One concept a module: :mod:`.account` (the server, user and list; the password in the system's
credential store), :mod:`.connection` (reaching the server, and what went wrong in one sentence),
:mod:`.remote` (the task list as the sync sees it), :mod:`.state` (what was last sent and seen,
derived data), :mod:`.items` (the tasks TrayHabit writes and reads), :mod:`.completions` (how each
client writes a completed occurrence) and :mod:`.engine` (one sync, up and down). The use cases are
in :mod:`trayhabit.core.service_caldav`.

Nothing here imports ``caldav``, ``keyring`` or their HTTP and XML stacks at import time: they hold
megabytes the tray app would carry all day, and most people never connect a server. The functions
that need them import them.
"""
