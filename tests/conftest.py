"""Shared hypothesis profiles ('ci' runs more examples than the quick 'dev' default), and a guard
against hypothesis' pytest plugin growing a parametrized test's settings without bound."""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))

_FIRST_SETTINGS: dict = {}


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_call(item):
    """hypothesis' plugin (6.x) wraps a parametrized test's settings in one more parent per case it
    runs; the op table's tests have over a thousand cases each, and past Python's recursion limit every
    later case fails inside hypothesis. Each case starts again from the test's own settings."""
    fn = getattr(item, "obj", None)
    fn = getattr(fn, "__func__", fn)
    own = getattr(fn, "_hypothesis_internal_use_settings", None)
    if own is not None:
        fn._hypothesis_internal_use_settings = _FIRST_SETTINGS.setdefault(fn, own)
    yield
