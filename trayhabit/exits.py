"""The exit statuses of ``trayhabit``, shared by the command line's parser (:mod:`trayhabit.cli`)
and its subcommands (:mod:`trayhabit.commands`), so that neither imports the other for them."""

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell shows for a tool the signal ended (`| head`)
EXIT_SOFTWARE = 70  # sysexits.h EX_SOFTWARE: an internal error (a bug), never the user's doing
