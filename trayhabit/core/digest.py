"""Short, stable digests that tell whether derived data still matches what it was derived from.

The score cache keeps a checkpoint only while a digest of the habit and settings (its fingerprint)
and a digest of the old event files' signatures are what they were. Those digests guard against
accidents, not against an adversary: their inputs are the user's own habits, settings and file
times, and the worst a collision could do is keep a checkpoint one edit too long, in a cache the
user can delete. So they need to differ by chance almost always, not to resist a forger, and a
cryptographic hash buys nothing here.

It would cost something: ``hashlib`` loads OpenSSL's libcrypto, about 4 MiB of the app's memory
for its whole life. zlib is small and loaded anyway (shutil, which argparse uses, imports it); its two
checksums differ in kind: CRC-32 catches every change of up to 32 adjacent bits and any other change
with odds of 1 in 2**32, Adler-32 sums the bytes in another way, and the length closes the gap
between inputs of different sizes. Together they make a 64-bit digest that changes with what it covers.
"""

from __future__ import annotations

import zlib


def stable_digest(data: bytes) -> str:
    """A digest of *data* as 24 hex digits: the same for the same bytes on every platform and run."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data) & 0xFFFFFFFF:08x}"
