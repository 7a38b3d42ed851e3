import os
import sys
from pathlib import Path

import pytest

# The tests exercise the source tree, not whatever copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from server import Server  # noqa: E402


@pytest.fixture(scope="session")
def server():
    """A TokenWarden without API keys."""
    instance = Server()
    yield instance
    instance.stop()


@pytest.fixture(scope="session")
def keyed_server():
    """A TokenWarden with keys: ``agent`` (check, ingest, read), ``reader`` (read), ``ops`` (admin)."""
    instance = Server(keys={"agent": "check,ingest,read", "reader": "read", "ops": "admin"})
    yield instance
    instance.stop()


@pytest.fixture(autouse=True)
def forget_litellm_callbacks():
    """LiteLLM copies ``litellm.callbacks`` into lists of its own: a finished test's callbacks
    (the docs' example's too) must not log into the next test."""
    yield
    litellm = sys.modules.get("litellm")
    if litellm is None:
        return
    from tokenwarden.litellm_callback import TokenWardenLiteLLMCallback
    for name in ("callbacks", "success_callback", "failure_callback", "_async_success_callback",
                 "_async_failure_callback", "input_callback", "service_callback"):
        registered = getattr(litellm, name, None)
        if isinstance(registered, list):
            registered[:] = [c for c in registered if not isinstance(c, TokenWardenLiteLLMCallback)]
