"""Build TrayHabit's bundle and installer for the platform this runs on (``make package``).

Steps: render the icons (``make_icons.py``), freeze the app with PyInstaller
(``trayhabit.spec``, one folder), then wrap it the platform's way:

- Linux: ``dist/TrayHabit-VERSION-linux-ARCH.tar.xz``, the folder with the ``.desktop`` file and the
  AppStream metainfo (from ``resources/linux``), the icon and ``install-desktop-entry.sh`` (adds
  TrayHabit to the applications menu);
- Windows: ``dist/TrayHabit-VERSION-setup.exe`` with Inno Setup (``iscc`` on the PATH or in its
  default folder);
- macOS: ``dist/TrayHabit.app``, signed (ad hoc unless ``MACOS_SIGN_IDENTITY`` names a real
  identity), and ``dist/TrayHabit-VERSION-macos-ARCH.dmg``; notarized when ``NOTARY_PROFILE`` or
  ``APPLE_ID``/``APPLE_TEAM_ID``/``APPLE_APP_PASSWORD`` are set.

Then it prints the bundle's size unpacked and compressed and what takes the space. See
packaging/README.md for the prerequisites and the signing steps.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
# The desktop entry and AppStream metainfo, copied into the Linux archive as they are.
LINUX_RESOURCES = ROOT / "resources" / "linux"
METAINFO = "org.trayhabit.TrayHabit.metainfo.xml"
DIST = ROOT / "dist"
BUILD = ROOT / "build"
ICONS = BUILD / "icons"
APP_USER_MODEL_ID = "TrayHabit.TrayHabit"
# The Linux bundle's budget (issue 5): under 45 MB compressed.
LINUX_BUDGET_MB = 45.0
MB = 1024 * 1024


def version() -> str:
    """The version, from its one copy in trayhabit/__init__.py."""
    sys.path.insert(0, str(ROOT))
    from trayhabit import __version__

    return __version__


def run(*args: str | Path, **kwargs: object) -> None:
    """Run a build step, echoing it; a failure stops the build."""
    print("+", " ".join(str(arg) for arg in args), flush=True)
    subprocess.run([str(arg) for arg in args], check=True, cwd=ROOT, **kwargs)  # type: ignore[call-overload]


def freeze() -> Path:
    """The icons, then PyInstaller: the one-folder bundle (the .app on macOS)."""
    run(sys.executable, PACKAGING / "make_icons.py", ICONS)
    run(
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        DIST,
        "--workpath",
        BUILD / "pyinstaller",
        PACKAGING / "trayhabit.spec",
        env={**os.environ, "TRAYHABIT_ICONS": str(ICONS)},
    )
    return DIST / ("TrayHabit.app" if sys.platform == "darwin" else "TrayHabit")


def package_linux(bundle: Path, release: str) -> Path:
    """The folder as a .tar.xz, with a desktop entry, its metainfo, the icon and its installer script."""
    shutil.copy(LINUX_RESOURCES / "trayhabit.desktop", bundle / "trayhabit.desktop")
    shutil.copy(LINUX_RESOURCES / METAINFO, bundle / METAINFO)
    shutil.copy(PACKAGING / "linux" / "install-desktop-entry.sh", bundle / "install-desktop-entry.sh")
    (bundle / "install-desktop-entry.sh").chmod(0o755)
    shutil.copy(ICONS / "trayhabit-256.png", bundle / "trayhabit.png")
    archive = DIST / f"TrayHabit-{release}-linux-{platform.machine()}.tar.xz"
    print(f"+ tar -cJf {archive.name} {bundle.name}", flush=True)
    # xz takes the bundle to about 39 MB where gzip leaves 51 MB (most of it is Qt's ICU data). Its
    # highest preset (a 64 MiB window) gains 1.2 MB over the default on this bundle (45.6 to 44.4 MB
    # on 2026-12-02) for about a minute more of building; unpacking needs 65 MiB of memory.
    with tarfile.open(archive, "w:xz", preset=9) as tar:
        tar.add(bundle, arcname=bundle.name)
    return archive


def package_windows(bundle: Path, release: str) -> Path:
    """The Inno Setup installer."""
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    default = (
        Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")) / "Inno Setup 6" / "ISCC.exe"
    )
    if iscc is None and default.exists():
        iscc = str(default)
    if iscc is None:
        raise SystemExit("Inno Setup 6 is needed to build the installer: https://jrsoftware.org/isdl.php")
    run(
        iscc,
        f"/DAppVersion={release}",
        f"/DSourceDir={bundle}",
        f"/DIconFile={ICONS / 'trayhabit.ico'}",
        f"/DOutputDir={DIST}",
        f"/DAppUserModelID={APP_USER_MODEL_ID}",
        PACKAGING / "windows" / "trayhabit.iss",
    )
    return DIST / f"TrayHabit-{release}-setup.exe"


def package_macos(bundle: Path, release: str) -> Path:
    """Sign the .app (ad hoc unless MACOS_SIGN_IDENTITY is set), make the .dmg, notarize if we can."""
    identity = os.environ.get("MACOS_SIGN_IDENTITY", "")
    run("bash", PACKAGING / "macos" / "sign.sh", bundle, *([identity] if identity else []))
    # Both Mac architectures are built; their images must not collide on a release page.
    dmg = DIST / f"TrayHabit-{release}-macos-{platform.machine()}.dmg"
    run("bash", PACKAGING / "macos" / "make-dmg.sh", bundle, release, dmg, *([identity] if identity else []))
    if identity and (
        os.environ.get("NOTARY_PROFILE")
        or all(os.environ.get(key) for key in ("APPLE_ID", "APPLE_TEAM_ID", "APPLE_APP_PASSWORD"))
    ):
        run("bash", PACKAGING / "macos" / "notarize.sh", dmg)
    return dmg


def folder_size(path: Path) -> int:
    """Bytes in the files under *path* (symbolic links not followed)."""
    return sum(
        entry.lstat().st_size for entry in path.rglob("*") if entry.is_file() and not entry.is_symlink()
    )


def largest(bundle: Path, count: int = 12) -> list[tuple[int, str]]:
    """The biggest files and Qt/Python folders of the bundle, largest first."""
    sizes: list[tuple[int, str]] = []
    for entry in bundle.rglob("*"):
        if entry.is_file() and not entry.is_symlink():
            sizes.append((entry.lstat().st_size, str(entry.relative_to(bundle))))
    return sorted(sizes, reverse=True)[:count]


def report(bundle: Path, artifact: Path) -> str:
    """The sizes, for the terminal and packaging/README.md."""
    unpacked = folder_size(bundle)
    packed = artifact.stat().st_size
    lines = [
        f"bundle:    {bundle.relative_to(ROOT)}  {unpacked / MB:.1f} MB unpacked",
        f"artifact:  {artifact.relative_to(ROOT)}  {packed / MB:.1f} MB",
    ]
    if sys.platform.startswith("linux"):
        verdict = "PASS" if packed / MB < LINUX_BUDGET_MB else "FAIL"
        lines.append(f"budget:    under {LINUX_BUDGET_MB:.0f} MB compressed: {verdict}")
    lines.append("largest files:")
    lines += [f"  {size / MB:6.1f} MB  {name}" for size, name in largest(bundle)]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-installer", action="store_true", help="build the bundle only")
    args = parser.parse_args(argv)
    release = version()
    bundle = freeze()
    if args.no_installer:
        print(f"bundle: {bundle}  {folder_size(bundle) / MB:.1f} MB unpacked")
        return 0
    if sys.platform.startswith("linux"):
        artifact = package_linux(bundle, release)
    elif sys.platform == "win32":
        artifact = package_windows(bundle, release)
    elif sys.platform == "darwin":
        artifact = package_macos(bundle, release)
    else:
        raise SystemExit(f"no installer is defined for {sys.platform}")
    print(report(bundle, artifact))
    return 0


if __name__ == "__main__":
    sys.exit(main())
