"""The Linux desktop entry and AppStream metainfo (``resources/linux``) and the archive that carries them.

The archive step of ``packaging/build.py`` runs here on a stand-in bundle (one file where PyInstaller
would put the program), so the test needs no frozen build; ``make test-frozen`` checks the real one.
"""

from __future__ import annotations

import configparser
import importlib.util
import stat
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "resources" / "linux"
METAINFO = LINUX / "org.trayhabit.TrayHabit.metainfo.xml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("trayhabit_build", ROOT / "packaging" / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive ("Comment[sv]")
    parser.read(LINUX / "trayhabit.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_metainfo_launches_the_desktop_entry_and_says_what_it_says() -> None:
    component = ET.parse(METAINFO).getroot()
    entry = desktop_entry()
    assert component.get("type") == "desktop-application"
    # The macOS bundle's identifier: one name for the app everywhere.
    assert component.findtext("id") == "org.trayhabit.TrayHabit"
    assert "org.trayhabit.TrayHabit" in (ROOT / "packaging" / "trayhabit.spec").read_text(encoding="utf-8")
    launchable = component.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == "trayhabit.desktop"
    assert component.findtext("name") == entry["Name"]
    summaries = {summary.get(XML_LANG): summary.text for summary in component.iter("summary")}
    assert summaries == {None: entry["Comment"], "sv": entry["Comment[sv]"]}
    assert component.findtext("project_license") == "MIT"


def test_the_linux_archive_carries_the_desktop_entry_metainfo_icon_and_installer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = load_build()
    icons = tmp_path / "icons"
    icons.mkdir()
    (icons / "trayhabit-256.png").write_bytes(b"\x89PNG stand-in")
    bundle = tmp_path / "dist" / "TrayHabit"
    bundle.mkdir(parents=True)
    (bundle / "TrayHabit").write_bytes(b"stand-in for the frozen program")
    monkeypatch.setattr(build, "ICONS", icons)
    monkeypatch.setattr(build, "DIST", tmp_path / "dist")

    archive = build.package_linux(bundle, "9.9.9")

    with tarfile.open(archive, "r:xz") as tar:
        members = {member.name: member for member in tar.getmembers()}
        shipped = {name: tar.extractfile(member) for name, member in members.items() if member.isfile()}
        desktop = shipped["TrayHabit/trayhabit.desktop"]
        metainfo = shipped["TrayHabit/org.trayhabit.TrayHabit.metainfo.xml"]
        assert desktop is not None and metainfo is not None
        assert desktop.read() == (LINUX / "trayhabit.desktop").read_bytes()
        assert metainfo.read() == METAINFO.read_bytes()
    assert "TrayHabit/trayhabit.png" in shipped
    assert members["TrayHabit/install-desktop-entry.sh"].mode & stat.S_IXUSR
