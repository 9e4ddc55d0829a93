"""The base of every error the user caused or must act on.

Such an error's message is one complete line in the user's language that says what happened and
what to do; the command line prints it as it is and exits non-zero, the app shows it in a dialog.
Anything else that escapes is a bug and keeps its traceback.
"""


class UserError(Exception):
    """An error with a message meant for the user, raised before anything was changed."""
