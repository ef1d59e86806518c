"""Shared pytest setup for every softviz test (nothing engine-specific lives here)."""

import os

from hypothesis import settings

# No per-example deadline: shared CI machines are noisy and a slow example is not a bug.
settings.register_profile("ci", deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
