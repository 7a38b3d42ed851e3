"""Every ```python block of docs/integrations/python.md runs as written against the real server
(its address put in for the documented default) with the OpenAI and Anthropic SDKs pointed at a
local server of canned answers, and records usage: the page's examples cannot rot."""
from __future__ import annotations

import contextlib
import io
import re
import time

import httpx
import litellm
import pytest

import fake_providers
from server import REPO

PAGE = REPO / "docs" / "integrations" / "python.md"
BLOCKS = re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.S)


@pytest.fixture(scope="module")
def providers():
    instance = fake_providers.FakeProviderServer()
    yield instance
    instance.stop()


def recorded_count(server) -> int:
    return len(httpx.get(server.url + "/v1/usage", params={"limit": "10000"}).json()["events"])


def test_the_page_has_its_examples():
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("number", range(len(BLOCKS)))
def test_each_example_runs_and_records_usage(number, server, providers, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", providers.url + "/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-docs")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", providers.url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-docs")
    monkeypatch.setattr(litellm, "callbacks", [])
    code = BLOCKS[number].replace("http://127.0.0.1:9473", server.url)
    before = recorded_count(server)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, f"{PAGE.name} example {number + 1}", "exec"), {"__name__": "__docs__"})
    # LiteLLM logs success on a thread of its own.
    for _ in range(500):
        if recorded_count(server) > before:
            break
        time.sleep(0.02)
    assert recorded_count(server) > before, f"example {number + 1} recorded nothing; it printed:\n{output.getvalue()}"
    # A print with a comment shows what it prints (up to a colon): the page must say the truth.
    for expected in re.findall(r"^\s*print\(.*\)\s+#\s*([^:\n]+)", BLOCKS[number], re.M):
        assert expected.strip() in output.getvalue(), f"example {number + 1} printed {output.getvalue()!r}"
