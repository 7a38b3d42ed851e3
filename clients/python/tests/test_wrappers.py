"""The drop-in wrappers around the real OpenAI and Anthropic clients (answers served by a mock
transport, parsed by the SDKs themselves) and the LangChain callback handler."""
from __future__ import annotations

from decimal import Decimal

import anthropic
import httpx
import openai
import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

import fake_providers
from server import expected_cost
from tokenwarden import AsyncTokenWarden, Denied, TokenWarden, Usage
from tokenwarden.langchain_callback import TokenWardenCallbackHandler
from tokenwarden.wrappers import wrap_anthropic, wrap_openai

TEAM = {"org": "acme", "team": "wrappers"}


def openai_client(failing: bool = False) -> openai.OpenAI:
    return openai.OpenAI(api_key="sk-test", base_url="http://openai.test/v1", max_retries=0,
                         http_client=httpx.Client(transport=fake_providers.transport(failing)))


def anthropic_client() -> anthropic.Anthropic:
    import httpx2
    return anthropic.Anthropic(api_key="sk-ant-test", base_url="http://anthropic.test", max_retries=0,
                               http_client=httpx2.Client(transport=fake_providers.transport(module=httpx2)))


def last_event(server, team: str) -> dict:
    events = httpx.get(server.url + "/v1/usage", params={"team": team}).json()["events"]
    return events[-1]


def test_the_openai_wrapper_reports_chat_completions_with_cached_tokens(server):
    with TokenWarden(server.url) as warden:
        client = wrap_openai(openai_client(), warden, attribution={**TEAM, "team": "wrap-chat"})
        response = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}],
                                                  max_tokens=400)
    assert isinstance(response, openai.types.chat.ChatCompletion)
    event = last_event(server, "wrap-chat")
    assert (event["input_tokens"], event["cache_read_input_tokens"], event["output_tokens"]) == (2000, 1500, 300)
    assert event["reservation"] is not None
    assert Decimal(event["cost"]) == Decimal("0.006125") == expected_cost("openai", "gpt-4o", Usage("openai", "gpt-4o", 2000, 300, 1500))


def test_the_openai_wrapper_reports_responses_with_reasoning_tokens(server):
    with TokenWarden(server.url) as warden:
        client = wrap_openai(openai_client(), warden, attribution={**TEAM, "team": "wrap-responses"})
        client.responses.create(model="o3-mini", input="Hi", max_output_tokens=2000)
    event = last_event(server, "wrap-responses")
    assert (event["model"], event["reasoning_tokens"], event["cache_read_input_tokens"]) == ("o3-mini", 1000, 2048)
    usage = Usage("openai", "o3-mini", 3000, 1200, cache_read_input_tokens=2048, reasoning_tokens=1000)
    assert Decimal(event["cost"]) == expected_cost("openai", "o3-mini", usage)


def test_the_openai_wrapper_releases_the_reservation_when_the_call_fails(server):
    with TokenWarden(server.url) as warden:
        released = []
        original = warden.release
        warden.release = lambda reservation: released.append(reservation) or original(reservation)
        client = wrap_openai(openai_client(failing=True), warden, attribution=TEAM)
        with pytest.raises(openai.BadRequestError):
            client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
    assert len(released) == 1 and released[0].startswith("rsv_")


def test_the_openai_wrapper_does_not_call_the_provider_when_refused(server):
    calls = []
    client = openai.OpenAI(api_key="sk-test", base_url="http://openai.test/v1", max_retries=0,
                           http_client=httpx.Client(transport=httpx.MockTransport(lambda r: calls.append(r) or httpx.Response(500))))
    with TokenWarden(server.url) as warden, pytest.raises(Denied):
        wrap_openai(client, warden, attribution={"team": "broke"}).chat.completions.create(
            model="gpt-4o", messages=[{"role": "user", "content": "Hi"}], max_tokens=100)
    assert calls == []


def test_the_anthropic_wrapper_bills_cache_reads_and_writes_as_input(server):
    with TokenWarden(server.url) as warden:
        client = wrap_anthropic(anthropic_client(), warden, attribution={**TEAM, "team": "wrap-anthropic"})
        message = client.messages.create(model="claude-sonnet-4-5", max_tokens=1000,
                                         messages=[{"role": "user", "content": "Hi"}])
    assert isinstance(message, anthropic.types.Message)
    event = last_event(server, "wrap-anthropic")
    assert (event["input_tokens"], event["cache_read_input_tokens"], event["cache_creation_input_tokens"]) == (4200, 1000, 200)
    assert event["cost"] == "0.01755"


async def test_the_async_openai_wrapper_reports_too(server):
    async with AsyncTokenWarden(server.url) as warden:
        client = wrap_openai(openai.AsyncOpenAI(api_key="sk-test", base_url="http://openai.test/v1", max_retries=0,
                                                http_client=httpx.AsyncClient(transport=fake_providers.transport())),
                             warden, attribution={**TEAM, "team": "wrap-async"})
        await client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
    assert last_event(server, "wrap-async")["cost"] == "0.006125"


def fake_model() -> GenericFakeChatModel:
    message = AIMessage(content="Hello.", usage_metadata={
        "input_tokens": 4200, "output_tokens": 500, "total_tokens": 4700,
        "input_token_details": {"cache_read": 1000, "cache_creation": 200}},
        response_metadata={"model_provider": "anthropic", "model_name": "claude-sonnet-4-5"})
    return GenericFakeChatModel(messages=iter([message]))


def test_the_langchain_handler_reports_usage_metadata_and_commits_its_check(server):
    with TokenWarden(server.url) as warden:
        handler = TokenWardenCallbackHandler(warden, attribution={**TEAM, "team": "langchain"}, check=True,
                                             provider="anthropic", model="claude-sonnet-4-5", max_output_tokens=1000)
        fake_model().invoke("Hi", config={"callbacks": [handler]})
    assert [r.cost for r in handler.results] == [Decimal("0.01755")]
    event = last_event(server, "langchain")
    assert event["reservation"] is not None and event["input_tokens"] == 4200


def test_the_langchain_handler_stops_a_refused_call(server):
    with TokenWarden(server.url) as warden:
        handler = TokenWardenCallbackHandler(warden, attribution={"team": "broke"}, check=True,
                                             provider="anthropic", model="claude-sonnet-4-5", max_output_tokens=1000)
        with pytest.raises(Denied):
            fake_model().invoke("Hi", config={"callbacks": [handler]})
    assert handler.results == []
