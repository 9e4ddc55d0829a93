"""What a StatusNotifierItem host sees of a tray app, read and clicked over D-Bus as the host does.

The watcher (``org.kde.StatusNotifierWatcher``, swaybar's here) lists the registered items as
``<bus name>/<object path>``. An item's properties carry its title, tooltip and status; its
``Activate`` is the host's left click; its ``Menu`` property names a DBusMenu object
(``com.canonical.dbusmenu``), whose ``AboutToShow`` and ``GetLayout`` give the menu the host draws
and whose ``Event(id, "clicked")`` is the user choosing an entry.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from typing import Any

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"
MENU = "com.canonical.dbusmenu"
PROPERTIES = "org.freedesktop.DBus.Properties"


@dataclass
class MenuEntry:
    """One entry of an item's menu, as the host draws it."""

    id: int
    label: str  # with DBusMenu's mnemonic underscores taken out
    enabled: bool = True
    checkable: bool = False
    checked: bool = False
    separator: bool = False
    children: list[MenuEntry] = field(default_factory=list)

    def find(self, label: str) -> MenuEntry:
        """The first entry under this one labelled *label*."""
        for child in self.children:
            if child.label == label:
                return child
            try:
                return child.find(label)
            except LookupError:
                continue
        raise LookupError(f"no menu entry {label!r}")


class StatusNotifierHost:
    """A host's view of the items on the session bus at *address*."""

    def __init__(self, address: str) -> None:
        self._address = address

    def items(self) -> list[str]:
        """The items the watcher has registered."""
        return list(self._get(WATCHER, "/StatusNotifierWatcher", WATCHER, "RegisteredStatusNotifierItems"))

    def wait_for_item(self, timeout: float = 15) -> str:
        """The one registered item, once it is registered."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            items = self.items()
            if items:
                assert len(items) == 1, f"more than one item: {items}"
                return items[0]
            time.sleep(0.1)
        raise AssertionError(f"no StatusNotifierItem registered within {timeout} s")

    def property(self, item: str, name: str) -> Any:
        """The item's property *name* (``Title``, ``ToolTip``, ``Status``, ``Menu``...)."""
        service, path = _split(item)
        return self._get(service, path, ITEM, name)

    def tooltip(self, item: str) -> str:
        """The tooltip's title and text, as a host shows them (one line each)."""
        _icon, _pixmaps, title, text = self.property(item, "ToolTip")
        return "\n".join(part for part in (title, text) if part)

    def activate(self, item: str) -> None:
        """The user's left click on the item."""
        service, path = _split(item)
        self._call(service, path, ITEM, "Activate", signature="ii", body=[0, 0])

    def menu(self, item: str) -> MenuEntry:
        """The menu as the host gets it when about to show it (the app may rebuild it then)."""
        service, _ = _split(item)
        path = self.property(item, "Menu")
        self._call(service, path, MENU, "AboutToShow", signature="i", body=[0])
        _revision, layout = self._call(service, path, MENU, "GetLayout", signature="iias", body=[0, -1, []])
        return _entry(layout)

    def click(self, item: str, entry: MenuEntry) -> None:
        """The user chooses *entry* in the item's menu."""
        from dbus_fast import Variant

        service, _ = _split(item)
        path = self.property(item, "Menu")
        self._call(
            service, path, MENU, "Event", signature="isvu", body=[entry.id, "clicked", Variant("i", 0), 0]
        )

    def _get(self, service: str, path: str, interface: str, name: str) -> Any:
        (variant,) = self._call(service, path, PROPERTIES, "Get", signature="ss", body=[interface, name])
        return variant.value

    def _call(
        self, service: str, path: str, interface: str, member: str, *, signature: str = "", body: Any = ()
    ) -> Any:
        from dbus_fast import Message

        message = Message(
            destination=service,
            path=path,
            interface=interface,
            member=member,
            signature=signature,
            body=list(body),
        )
        return asyncio.run(self._send(message))

    async def _send(self, message: Any) -> Any:
        from dbus_fast import MessageType
        from dbus_fast.aio import MessageBus

        bus = await MessageBus(bus_address=self._address).connect()
        try:
            reply = await bus.call(message)
        finally:
            bus.disconnect()
        assert reply is not None
        if reply.message_type == MessageType.ERROR:
            raise AssertionError(
                f"{message.interface}.{message.member} on {message.destination}: {reply.error_name}"
            )
        return reply.body


def _split(item: str) -> tuple[str, str]:
    service, _, path = item.partition("/")
    return service, f"/{path}" if path else "/StatusNotifierItem"


def _entry(layout: Any) -> MenuEntry:
    identifier, properties, children = layout
    values = {key: variant.value for key, variant in properties.items()}
    return MenuEntry(
        id=identifier,
        label=re.sub("_(_?)", r"\1", str(values.get("label", ""))),  # "__" is a literal "_"
        enabled=bool(values.get("enabled", True)),
        checkable=values.get("toggle-type") in ("checkmark", "radio"),
        checked=values.get("toggle-state") == 1,
        separator=values.get("type") == "separator",
        children=[_entry(child.value) for child in children],
    )
