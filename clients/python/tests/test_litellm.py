"""The LiteLLM callback with litellm itself in mock-response mode: the success logging reports
the exact usage under LiteLLM's call id, the failure logging releases the reservation, and the
proxy's pre-call hook checks (and refuses) before the call."""
from __future__ import annotations

import asyncio
import time
from decimal import Decimal

import litellm
import pytest

from tokenwarden import Denied
from tokenwarden.litellm_callback import TokenWardenLiteLLMCallback

MESSAGES = [{"role": "user", "content": "Hi"}]


def mock_answer() -> litellm.ModelResponse:
    usage = litellm.Usage(prompt_tokens=4200, completion_tokens=500, total_tokens=4700,
                          prompt_tokens_details={"cached_tokens": 1000}, cache_creation_input_tokens=200,
                          cache_read_input_tokens=1000)
    return litellm.ModelResponse(model="claude-sonnet-4-5", usage=usage, choices=[
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hello."}}])


def wait_for(condition, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


async def eventually(condition, seconds: float = 20.0):
    # The async success logging runs on this event loop: wait without blocking it.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.02)
    return False


@pytest.fixture
def callback(server):
    instance = TokenWardenLiteLLMCallback(url=server.url, attribution={"org": "acme", "team": "litellm"})
    saved = litellm.callbacks
    litellm.callbacks = [instance]
    yield instance
    litellm.callbacks = saved


def test_a_successful_call_is_reported_exactly_under_litellms_call_id(server, callback):
    litellm.completion(model="anthropic/claude-sonnet-4-5", messages=MESSAGES, mock_response=mock_answer())
    assert wait_for(lambda: callback.results), "the success callback never reported"
    result = callback.results[0]
    assert result.id.startswith("litellm:") and result.cost == Decimal("0.01755")
    event = server.recorded(result.id)
    assert (event["provider"], event["model"], event["input_tokens"], event["cache_read_input_tokens"],
            event["cache_creation_input_tokens"]) == ("anthropic", "claude-sonnet-4-5", 4200, 1000, 200)


async def test_the_pre_call_hook_reserves_and_the_success_logging_commits(server, callback):
    data = {"model": "anthropic/claude-sonnet-4-5", "messages": MESSAGES, "max_tokens": 1000}
    data = await callback.async_pre_call_hook(None, None, data, "acompletion")
    reservation = data["metadata"]["tokenwarden_reservation"]
    await litellm.acompletion(model=data["model"], messages=MESSAGES, metadata=data["metadata"], mock_response=mock_answer())
    assert await eventually(lambda: callback.results), "the async success callback never reported"
    assert server.recorded(callback.results[0].id)["reservation"] == reservation


async def test_the_pre_call_hook_refuses_a_denied_call(callback):
    data = {"model": "anthropic/claude-sonnet-4-5", "messages": MESSAGES, "max_tokens": 1000,
            "metadata": {"tokenwarden_attribution": {"team": "broke"}}}
    with pytest.raises(Denied):
        await callback.async_pre_call_hook(None, None, data, "acompletion")
    assert "tokenwarden_reservation" not in data["metadata"]


def test_a_failed_call_releases_its_reservation(server, callback):
    team = {"org": "acme", "team": "litellm-failure"}
    reservation = callback.sync.check("anthropic", "claude-sonnet-4-5", estimated_input_tokens=1000,
                                      attribution=team).reservation_id
    reserved = lambda: callback.sync.budgets("team-total", team="litellm-failure")[0].limits[0].reserved  # noqa: E731
    assert reserved() > 0
    with pytest.raises(Exception):
        litellm.completion(model="anthropic/claude-sonnet-4-5", messages=MESSAGES, mock_response=Exception("boom"),
                           metadata={"tokenwarden_reservation": reservation})
    assert wait_for(lambda: reserved() == 0), "the failure callback did not release the reservation"
    assert callback.results == []
