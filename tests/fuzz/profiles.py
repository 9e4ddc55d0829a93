"""Hypothesis profiles for the fuzz suite: bounded and reproducible in CI, as long as asked by hand.

``ci`` (the default) runs a fixed, derandomised set of examples per entry point, so a CI failure
replays on any machine; ``long`` (``TRAYHABIT_FUZZ_PROFILE=long``, what ``make fuzz`` picks) draws
fresh random examples. ``TRAYHABIT_FUZZ_EXAMPLES=N`` sets the number of examples per test of either.

The profiles apply only to the fuzz tests (through :data:`FUZZ`), never to the property tests
elsewhere in the suite, which keep their own settings.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile(
    "ci", max_examples=100, deadline=None, derandomize=True, suppress_health_check=_SLOW, print_blob=True
)
settings.register_profile(
    "long",
    max_examples=2_000,
    deadline=None,
    suppress_health_check=_SLOW,
    print_blob=True,
)

PROFILE = os.environ.get("TRAYHABIT_FUZZ_PROFILE", "ci")
_examples = os.environ.get("TRAYHABIT_FUZZ_EXAMPLES")

#: The settings every fuzz test runs with: ``@FUZZ`` above ``@given``.
FUZZ = settings(settings.get_profile(PROFILE), **({"max_examples": int(_examples)} if _examples else {}))
