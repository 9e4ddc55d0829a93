"""The CalDAV account: the server's address, the user name and the task list, kept in the store's
settings (per computer), and the password, kept only in the system's credential store.

The password goes through ``keyring`` (Secret Service on Linux, Windows Credential Manager, macOS
Keychain) under :data:`KEYRING_SERVICE`, never into TrayHabit's JSON. Addresses must be ``https``;
plain ``http`` is refused unless the server is this computer, where nothing crosses a network.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from trayhabit.core.errors import UserError
from trayhabit.core.i18n import _
from trayhabit.core.settings import Settings

#: The name the password is stored under in the system's credential store.
KEYRING_SERVICE = "TrayHabit CalDAV"
#: The task list made for the habits when the person asks for a new one.
DEFAULT_LIST = "TrayHabit"
_LOCAL_NAMES = ("localhost",)


class CalDAVError(UserError):
    """A CalDAV problem the person can act on, said in one sentence; nothing local was changed."""


@dataclass(frozen=True)
class Account:
    """Where the habits go: the server's address, the user on it and the task list's name."""

    url: str
    user: str
    list_name: str = DEFAULT_LIST

    @property
    def keyring_user(self) -> str:
        """The name the password is filed under: the user at the server, so two accounts never mix."""
        return f"{self.user}@{self.url}"

    @property
    def sync_key(self) -> str:
        """What the sync's memory belongs to: the user at the server, and the list (another list is
        another set of tasks)."""
        return f"{self.keyring_user}#{self.list_name}"

    @classmethod
    def from_settings(cls, settings: Settings) -> Account | None:
        """The account set on this computer, or None when none is."""
        if not settings.caldav_url or not settings.caldav_user:
            return None
        return cls(settings.caldav_url, settings.caldav_user, settings.caldav_list or DEFAULT_LIST)


def check_url(url: str) -> str:
    """The server address *url*, tidied; a :class:`CalDAVError` when it is not https (or http to
    this computer)."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise CalDAVError(
            _("“{url}” is not a server address; it should look like https://example.com/dav/.").format(
                url=url
            )
        )
    if parts.scheme == "http" and not is_local_host(parts.hostname):
        raise CalDAVError(
            _("TrayHabit will not send your password unencrypted to {host}: use an https:// address.").format(
                host=parts.hostname
            )
        )
    return url


def is_local_host(host: str) -> bool:
    """Whether *host* is this computer (localhost or a loopback address)."""
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def save_password(account: Account, password: str) -> None:
    """Keep *password* in the system's credential store; a :class:`CalDAVError` when there is none."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, account.keyring_user, password)
    except KeyringError as error:
        raise CalDAVError(
            _("The password could not be kept in this computer's credential store: {error}").format(
                error=error
            )
        ) from None


def load_password(account: Account) -> str:
    """The account's password from the credential store; a :class:`CalDAVError` when it is not there."""
    import keyring
    from keyring.errors import KeyringError

    try:
        password = keyring.get_password(KEYRING_SERVICE, account.keyring_user)
    except KeyringError as error:
        raise CalDAVError(
            _("The CalDAV password could not be read from this computer's credential store: {error}").format(
                error=error
            )
        ) from None
    if password is None:
        raise CalDAVError(_("The CalDAV password is not in this computer's credential store; connect again."))
    return password


def forget_password(account: Account) -> bool:
    """Remove the account's password from the credential store; whether there was one."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, account.keyring_user)
    except PasswordDeleteError:
        return False
    except KeyringError as error:
        raise CalDAVError(
            _("The password could not be removed from this computer's credential store: {error}").format(
                error=error
            )
        ) from None
    return True
