"""Render TrayHabit's icon into the files the bundles and installers need.

Usage::

    python packaging/make_icons.py OUTDIR [--source SVG]

It renders ``resources/icons/trayhabit.svg`` with Qt's SVG renderer at every size needed and writes
into OUTDIR:

- ``trayhabit.ico``: the Windows icon (the executable, the installer, the uninstall entry), with
  PNG-compressed images of 16, 24, 32, 48, 64, 128 and 256 pixels. Windows Vista and later read PNG
  entries of any size, and PNG keeps the 256 px image small.
- ``trayhabit.icns``: the macOS icon (``TrayHabit.app``), with PNG entries from 32 to 1024 pixels
  for the 16, 32, 128, 256 and 512 point sizes at 1x and 2x.
- ``trayhabit-256.png`` and ``trayhabit-512.png``: for the Linux ``.desktop`` file and the README.

With ``--app-pngs`` it writes instead the PNGs the running app loads (``<artwork>-<size>.png`` for
every tray state and the app icon at the sizes of :mod:`trayhabit.app.icons`), which are committed
in ``trayhabit/resources/icons/png``: the app then never loads Qt's SVG module (about 4 MiB of memory
for its whole life). The SVG sources in ``resources/icons`` are not part of the package. After
changing an SVG, run ``make icons``; a test fails until the PNGs match.

Every image is drawn by Qt at its own size (no image is scaled from another); Pillow packs them into
the two containers, on any platform (``iconutil`` exists only on macOS). Pillow is a dependency of
the build and the tests (the ``test`` and ``package`` extras), not of the app.

Rendering needs a QGuiApplication; with no display, Qt's ``offscreen`` platform does (it is chosen
when ``QT_QPA_PLATFORM`` is unset, so no window system is ever needed).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
# The artwork's sources; the app's PNGs are rendered from them into the package (--app-pngs).
ARTWORK = ROOT / "resources" / "icons"
SOURCE = ARTWORK / "trayhabit.svg"

# The images in the .ico, in pixels: what Windows asks for, from the small taskbar and title-bar icon
# to the large icon view. 256 is the largest an ICO entry can describe. Pillow stores each as PNG
# (Windows Vista and later read PNG entries of any size; PNG keeps the 256 px image small).
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# The pixel sizes of the .icns: Pillow writes the elements ic11, ic12, ic07, ic13, ic08, ic14, ic09 and
# ic10 (16, 32, 128, 256 and 512 points at 1x and 2x), each holding PNG data (macOS 10.7 and later).
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)
# Plain PNG copies.
PNG_SIZES = (256, 512)


def ensure_gui_application() -> QGuiApplication:
    """The running QGuiApplication, or a new one on the offscreen platform unless told otherwise."""
    existing = QGuiApplication.instance()
    if existing is not None:
        if not isinstance(existing, QGuiApplication):
            raise RuntimeError("rendering icons needs a QGuiApplication, but a QCoreApplication is running")
        return existing
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QGuiApplication([sys.argv[0] if sys.argv else "make_icons"])


def load_renderer(svg: Path) -> QSvgRenderer:
    """A renderer for *svg*; raise ValueError if Qt cannot read it."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not an SVG file Qt can render")
    # A non-square drawing is centred rather than stretched.
    renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
    return renderer


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """The drawing as a *size* x *size* PNG with a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    # Straight (not premultiplied) alpha is what PNG stores.
    if not writer.write(image.convertToFormat(QImage.Format.Format_ARGB32)):
        raise RuntimeError(f"Qt could not encode the {size} px image as PNG: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def render_sizes(renderer: QSvgRenderer, sizes: Iterable[int]) -> dict[int, bytes]:
    """One PNG per distinct size."""
    return {size: render_png(renderer, size) for size in sorted(set(sizes))}


def pack_icon(pngs: Mapping[int, bytes], sizes: Sequence[int], container: str) -> bytes:
    """An ICO or ICNS file (*container*, Pillow's format name) of the PNGs at *sizes*, each image
    used at its own size: Pillow scales one only when none of that size is given."""
    images = [Image.open(io.BytesIO(pngs[size])) for size in sorted(sizes)]
    largest, smaller = images[-1], images[:-1]
    output = io.BytesIO()
    options = {"sizes": [(size, size) for size in sizes]} if container == "ICO" else {}
    largest.save(output, format=container, append_images=smaller, **options)
    return output.getvalue()


def write_icons(svg: Path, outdir: Path) -> list[Path]:
    """Render *svg* and write the .ico, .icns and PNG files into *outdir*; return their paths."""
    renderer = load_renderer(svg)
    pngs = render_sizes(renderer, [*ICO_SIZES, *ICNS_SIZES, *PNG_SIZES])
    outputs = {
        outdir / "trayhabit.ico": pack_icon(pngs, ICO_SIZES, "ICO"),
        outdir / "trayhabit.icns": pack_icon(pngs, ICNS_SIZES, "ICNS"),
    }
    for size in PNG_SIZES:
        outputs[outdir / f"trayhabit-{size}.png"] = pngs[size]
    outdir.mkdir(parents=True, exist_ok=True)
    for path, data in outputs.items():
        path.write_bytes(data)
    return list(outputs)


def app_png_sizes() -> dict[str, tuple[int, ...]]:
    """The artwork the app loads (file stems of the SVGs in ``resources/icons``) and its sizes."""
    from trayhabit.app.icons import APP_SIZES, TRAY_SIZES

    stems = {path.stem for path in ARTWORK.glob("tray-*.svg")}
    return {stem: TRAY_SIZES for stem in sorted(stems)} | {SOURCE.stem: APP_SIZES}


def write_app_pngs(outdir: Path) -> list[Path]:
    """Render every icon the app shows at each size it needs, as ``<stem>-<size>.png`` in *outdir*."""
    outputs: dict[Path, bytes] = {}
    for stem, sizes in app_png_sizes().items():
        renderer = load_renderer(ARTWORK / f"{stem}.svg")
        for size, data in render_sizes(renderer, sizes).items():
            outputs[outdir / f"{stem}-{size}.png"] = data
    outdir.mkdir(parents=True, exist_ok=True)
    for path, data in outputs.items():
        path.write_bytes(data)
    return list(outputs)


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: OUTDIR and an optional --source."""
    parser = argparse.ArgumentParser(description="Render TrayHabit's icon as .ico, .icns and PNG files.")
    parser.add_argument("outdir", type=Path, help="folder to write the icons into (created if missing)")
    parser.add_argument(
        "--source", type=Path, default=SOURCE, help="the SVG to render (default: %(default)s)"
    )
    parser.add_argument(
        "--app-pngs",
        action="store_true",
        help="write the PNGs the app loads (every tray icon and the app icon) instead",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the icons; return the exit status."""
    arguments = parse_arguments(argv)
    if not arguments.source.is_file():
        sys.stderr.write(f"make_icons: no such SVG file: {arguments.source}\n")
        return 2
    application = ensure_gui_application()  # kept alive until the icons are written
    try:
        if arguments.app_pngs:
            written = write_app_pngs(arguments.outdir)
        else:
            written = write_icons(arguments.source, arguments.outdir)
    except (OSError, ValueError, RuntimeError) as error:
        sys.stderr.write(f"make_icons: {error}\n")
        return 1
    finally:
        del application
    for path in written:
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
