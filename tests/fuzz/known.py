"""Failures the fuzz suite found whose fix belongs to a module being reworked elsewhere.

Each has a strict xfail in :mod:`tests.fuzz.test_regressions` naming where the fix goes. Until it
lands, the fuzz tests set such inputs aside (``assume``), so that ``make test`` stays green and
``make fuzz`` keeps looking for new failures instead of finding these again. Remove an entry when
its xfail turns into a failure (the day the fix lands).
"""

from __future__ import annotations

import re

KNOWN: dict[str, re.Pattern[bytes]] = {
    # None at present: every failure found so far is fixed and kept as a plain regression case.
}


def known_failure(data: bytes) -> bool:
    """Whether *data* is one of the inputs above."""
    return any(pattern.search(data) for pattern in KNOWN.values())
