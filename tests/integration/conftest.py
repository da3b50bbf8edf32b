"""Integration fixtures: Azurite (blob only) started once per session."""

from __future__ import annotations

import pytest

from tests import azurite as azurite_process


@pytest.fixture(scope="session")
def azurite():
    """A running Azurite blob service; ``.connection_string`` is an account-key connection string."""
    try:
        running = azurite_process.start()
    except (OSError, RuntimeError) as exc:
        pytest.fail(f"cannot start Azurite: {exc}")
    yield running
    running.stop()
