"""packaging/make_icons.py: the .ico and .icns it writes parse back, entry by entry, into real PNGs.

The containers and the PNGs are read here twice: with code of the test's own (struct and zlib), so a
wrong offset, length, size byte or CRC fails whatever wrote them, and with Pillow, which writes them,
as a reader would open them again. Qt is used only to decode pixels (QImage needs no
QGuiApplication for that).

The script itself runs in a child process, as ``packaging/build.py`` runs it: rendering needs a
QGuiApplication, and one created in this process would stop the widget tests that follow from
creating their QApplication.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "make_icons.py"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
# What each ICNS type must hold, in pixels (Apple's icns types for PNG data).
ICNS_PIXELS = {
    b"ic07": 128,
    b"ic08": 256,
    b"ic09": 512,
    b"ic10": 1024,
    b"ic11": 32,
    b"ic12": 64,
    b"ic13": 256,
    b"ic14": 512,
}


@dataclass(frozen=True)
class Png:
    width: int
    height: int
    color_type: int


def parse_png(blob: bytes) -> Png:
    """Walk the chunks, check every CRC and that the image data inflates to exactly the rows IHDR
    promises, and that the image is not blank; return the IHDR facts."""
    assert blob[:8] == PNG_SIGNATURE, "not a PNG signature"
    chunks: list[tuple[bytes, bytes]] = []
    position = 8
    while position < len(blob):
        length, kind = struct.unpack(">I4s", blob[position : position + 8])
        data = blob[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", blob[position + 8 + length : position + 12 + length])
        assert len(data) == length, f"chunk {kind!r} runs past the end"
        assert zlib.crc32(kind + data) == crc, f"bad CRC in chunk {kind!r}"
        chunks.append((kind, data))
        position += 12 + length
    assert position == len(blob), "bytes after the last chunk"
    assert chunks[0][0] == b"IHDR"
    assert chunks[-1] == (b"IEND", b"")
    width, height, depth, color_type, _compression, _filter, interlace = struct.unpack(
        ">IIBBBBB", chunks[0][1]
    )
    assert interlace == 0
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    stride = (width * channels * depth + 7) // 8
    pixels = zlib.decompress(b"".join(data for kind, data in chunks if kind == b"IDAT"))
    assert len(pixels) == height * (1 + stride), "image data does not match IHDR's size"
    # Every PNG filter maps an all-zero (transparent black) image to all-zero bytes and back, so a
    # non-zero byte outside the per-row filter-type bytes means something was drawn.
    rows = (pixels[row * (stride + 1) + 1 : (row + 1) * (stride + 1)] for row in range(height))
    assert any(row.count(0) != len(row) for row in rows), "the image is blank"
    return Png(width, height, color_type)


def assert_icon_pixels(blob: bytes, size: int) -> None:
    """Transparent outside the tile, opaque in the middle: the drawing fills the image."""
    image = QImage.fromData(blob, "PNG")
    assert not image.isNull()
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()
    assert image.pixelColor(0, 0).alpha() == 0
    assert image.pixelColor(size - 1, size - 1).alpha() == 0
    assert image.pixelColor(size // 2, size // 2).alpha() == 255


def parse_ico(data: bytes) -> list[tuple[int, bytes]]:
    """(size, PNG) per ICONDIRENTRY, after checking the header and each entry's fields."""
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    images = []
    end = 6 + 16 * count
    for index in range(count):
        width, height, colours, zero, planes, bits, size, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 6 + 16 * (index + 1)]
        )
        # Colour planes "should be 0 or 1" (Microsoft's ICONDIRENTRY); no palette, 32 bits per pixel.
        assert (colours, zero, bits) == (0, 0, 32)
        assert planes in (0, 1)
        assert width == height
        assert offset == end, "images are not packed in entry order right after the directory"
        images.append((width or 256, data[offset : offset + size]))
        end = offset + size
    assert end == len(data), "the entries do not cover the file"
    return images


def parse_icns(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) per image element, after checking the header's length and each element's length;
    the table of contents (``TOC ``) is checked against the elements that follow it, then left out."""
    magic, total = struct.unpack(">4sI", data[:8])
    assert magic == b"icns"
    assert total == len(data)
    elements = []
    position = 8
    while position < len(data):
        kind, length = struct.unpack(">4sI", data[position : position + 8])
        assert length >= 8 and position + length <= len(data), f"element {kind!r} has a bad length"
        elements.append((kind, data[position + 8 : position + length]))
        position += length
    assert position == len(data)
    if elements and elements[0][0] == b"TOC ":
        toc = elements.pop(0)[1]
        listed = [struct.unpack(">4sI", toc[i : i + 8]) for i in range(0, len(toc), 8)]
        assert listed == [(kind, 8 + len(blob)) for kind, blob in elements]
    return elements


@pytest.fixture(scope="module")
def icons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("icons") / "out"  # not there yet: the script creates it
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(outdir)],
        check=False,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path_factory.getbasetemp(),
    )
    assert result.returncode == 0, result.stderr
    assert sorted(Path(line).name for line in result.stdout.splitlines()) == [
        "trayhabit-256.png",
        "trayhabit-512.png",
        "trayhabit.icns",
        "trayhabit.ico",
    ]
    return outdir


def test_the_ico_holds_a_png_of_each_size_from_16_to_256(icons: Path):
    images = parse_ico((icons / "trayhabit.ico").read_bytes())
    assert [size for size, _png in images] == ICO_SIZES
    for size, blob in images:
        png = parse_png(blob)
        assert (png.width, png.height) == (size, size)
        assert png.color_type == 6  # RGBA: the corners are transparent
        assert_icon_pixels(blob, size)


def test_the_icns_holds_each_apple_type_at_its_pixel_size(icons: Path):
    elements = parse_icns((icons / "trayhabit.icns").read_bytes())
    assert sorted(kind for kind, _data in elements) == sorted(ICNS_PIXELS)
    for kind, blob in elements:
        png = parse_png(blob)
        expected = ICNS_PIXELS[kind]
        assert (png.width, png.height) == (expected, expected), kind
    assert_icon_pixels(dict(elements)[b"ic07"], 128)


@pytest.mark.parametrize("size", [256, 512])
def test_the_plain_pngs_have_their_sizes(icons: Path, size: int):
    blob = (icons / f"trayhabit-{size}.png").read_bytes()
    png = parse_png(blob)
    assert (png.width, png.height) == (size, size)
    assert_icon_pixels(blob, size)


def test_a_missing_svg_is_refused_with_one_line_and_writes_nothing(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "out"), "--source", str(tmp_path / "missing.svg")],
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == f"make_icons: no such SVG file: {tmp_path / 'missing.svg'}\n"
    assert not (tmp_path / "out").exists()


# Pillow, which wrote them, opens them again as a reader would.


def test_pillow_opens_the_ico_at_every_size_windows_asks_for(icons: Path):
    with Image.open(icons / "trayhabit.ico") as ico:
        assert ico.format == "ICO"
        assert sorted(ico.info["sizes"]) == [(size, size) for size in ICO_SIZES]
        for size in ICO_SIZES:
            ico.size = (size, size)
            ico.load()
            assert ico.mode == "RGBA"
            assert ico.getpixel((0, 0))[3] == 0  # transparent corner
            assert ico.getpixel((size // 2, size // 2))[3] == 255


def test_pillow_opens_the_icns_at_every_size_and_scale(icons: Path):
    with Image.open(icons / "trayhabit.icns") as icns:
        assert icns.format == "ICNS"
        # (points, points, scale): 16 to 512 points at 1x and 2x, where the format has both.
        assert {(width * scale) for width, _height, scale in icns.info["sizes"]} == set(ICNS_PIXELS.values())
        for width, height, scale in icns.info["sizes"]:
            icns.size = (width, height)
            icns.load(scale=scale)
            assert icns.size == (width * scale, height * scale)
            assert icns.getpixel((0, 0))[3] == 0
