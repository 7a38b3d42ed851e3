"""Each provider's real SDK response object (built from the PyPI packages, no network) through
its adapter to TokenWarden, and the cost TokenWarden records equal to the catalog's, to the last
digit."""
from __future__ import annotations

from decimal import Decimal

import anthropic.types
import openai.types.chat
import pytest
from google.genai import types as genai
from langchain_core.messages import AIMessage

from server import expected_cost
from tokenwarden import (TokenWarden, Usage, from_anthropic, from_gemini, from_langchain, from_openai_chat,
                         from_openai_responses, usage_from)

ATTRIBUTION = {"org": "acme", "team": "adapters"}


def chat_completion(model: str, prompt: int, completion: int, cached: int, reasoning: int):
    return openai.types.chat.ChatCompletion.model_validate({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000, "model": model,
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "hi"}}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
                  "prompt_tokens_details": {"cached_tokens": cached},
                  "completion_tokens_details": {"reasoning_tokens": reasoning}}})


def responses_response(model: str, input_tokens: int, output_tokens: int, cached: int, reasoning: int,
                       cache_write: int = 0):
    import openai.types.responses
    return openai.types.responses.Response.model_validate({
        "id": "resp_1", "object": "response", "created_at": 1_700_000_000, "model": model, "output": [],
        "parallel_tool_calls": True, "tool_choice": "auto", "tools": [], "status": "completed",
        "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens,
                  "total_tokens": input_tokens + output_tokens,
                  "input_tokens_details": {"cached_tokens": cached, "cache_write_tokens": cache_write},
                  "output_tokens_details": {"reasoning_tokens": reasoning}}})


def anthropic_message(model: str, input_tokens: int, output_tokens: int, cache_read: int, cache_creation: int):
    return anthropic.types.Message.model_validate({
        "id": "msg_1", "type": "message", "role": "assistant", "model": model,
        "content": [{"type": "text", "text": "hi"}], "stop_reason": "end_turn", "stop_sequence": None,
        "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens,
                  "cache_read_input_tokens": cache_read, "cache_creation_input_tokens": cache_creation}})


def report_and_compare(server, usage: Usage) -> Decimal:
    with TokenWarden(server.url) as warden:
        result = warden.report(usage, attribution=ATTRIBUTION)
    recorded = server.recorded(result.id)
    assert Decimal(recorded["cost"]) == result.cost
    assert result.cost == expected_cost(usage.provider, usage.model, usage)
    return result.cost


def test_openai_chat_cached_input_is_a_subset_of_prompt_tokens(server):
    usage = from_openai_chat(chat_completion("gpt-4o", 2000, 300, cached=1500, reasoning=0))
    assert usage == Usage("openai", "gpt-4o", 2000, 300, cache_read_input_tokens=1500)
    # 500 × 2.50 + 1500 × 1.25 + 300 × 10.00 per million
    assert report_and_compare(server, usage) == Decimal("0.006125")


def test_openai_chat_reasoning_tokens_are_a_subset_of_completion_tokens(server):
    usage = from_openai_chat(chat_completion("o3-mini", 1000, 2500, cached=0, reasoning=2000))
    assert (usage.output_tokens, usage.reasoning_tokens) == (2500, 2000)
    report_and_compare(server, usage)


def test_openai_responses_cached_written_and_reasoning_tokens(server):
    usage = from_openai_responses(responses_response("o3-mini", 3000, 1200, cached=2048, reasoning=1000, cache_write=500))
    assert usage == Usage("openai", "o3-mini", 3000, 1200, cache_read_input_tokens=2048, cache_creation_input_tokens=500,
                          reasoning_tokens=1000)
    report_and_compare(server, usage)


def test_anthropic_cache_reads_and_writes_are_added_to_input(server):
    message = anthropic_message("claude-sonnet-4-5", 3000, 500, cache_read=1000, cache_creation=200)
    usage = from_anthropic(message)
    assert usage == Usage("anthropic", "claude-sonnet-4-5", 4200, 500, cache_read_input_tokens=1000,
                          cache_creation_input_tokens=200)
    assert report_and_compare(server, usage) == Decimal("0.01755")


def test_copying_anthropic_fields_verbatim_would_under_bill_by_a_fifth(server):
    # What the adapter prevents: Anthropic's input_tokens taken for TokenWarden's (all input).
    naive = Usage("anthropic", "claude-sonnet-4-5", 3000, 500, cache_read_input_tokens=1000,
                  cache_creation_input_tokens=200)
    assert report_and_compare(server, naive) == Decimal("0.01395")
    exact = from_anthropic(anthropic_message("claude-sonnet-4-5", 3000, 500, 1000, 200))
    assert exact.input_tokens - naive.input_tokens == 1200


def test_gemini_thoughts_are_output_and_cached_content_is_input(server):
    response = genai.GenerateContentResponse(
        model_version="gemini-2.5-flash",
        usage_metadata=genai.GenerateContentResponseUsageMetadata(
            prompt_token_count=4000, cached_content_token_count=3000, candidates_token_count=200,
            thoughts_token_count=800, total_token_count=5000))
    # The same model served by Vertex AI: the catalog's provider for it.
    usage = from_gemini(response, provider="vertex_ai-language-models")
    assert usage == Usage("vertex_ai-language-models", "gemini-2.5-flash", 4000, 1000, cache_read_input_tokens=3000,
                          reasoning_tokens=800)
    report_and_compare(server, usage)
    assert from_gemini(response).provider == "gemini"


def test_gemini_rest_usage_metadata_reads_the_same():
    rest = {"modelVersion": "gemini-2.5-flash",
            "usageMetadata": {"promptTokenCount": 4000, "cachedContentTokenCount": 3000,
                              "candidatesTokenCount": 200, "thoughtsTokenCount": 800}}
    assert from_gemini(rest) == Usage("gemini", "gemini-2.5-flash", 4000, 1000, 3000, 0, 800)


def test_langchain_usage_metadata_is_already_in_totals(server):
    message = AIMessage(content="hi", usage_metadata={
        "input_tokens": 4200, "output_tokens": 500, "total_tokens": 4700,
        "input_token_details": {"cache_read": 1000, "cache_creation": 200}},
        response_metadata={"model_provider": "anthropic", "model_name": "claude-sonnet-4-5"})
    usage = from_langchain(message)
    assert usage == Usage("anthropic", "claude-sonnet-4-5", 4200, 500, 1000, 200)
    assert report_and_compare(server, usage) == Decimal("0.01755")


@pytest.mark.parametrize("response, adapter", [
    (chat_completion("gpt-4o", 10, 5, 0, 0), from_openai_chat),
    (responses_response("o3-mini", 10, 5, 0, 0), from_openai_responses),
    (anthropic_message("claude-sonnet-4-5", 10, 5, 2, 3), from_anthropic),
    (genai.GenerateContentResponse(model_version="gemini-2.5-flash",
                                   usage_metadata=genai.GenerateContentResponseUsageMetadata(
                                       prompt_token_count=10, candidates_token_count=5)), from_gemini),
])
def test_usage_from_recognises_each_response_kind(response, adapter):
    assert usage_from(response) == adapter(response)


def test_a_usage_with_media_units_sends_them_and_a_text_usage_does_not():
    from decimal import Decimal
    image = Usage("openai", "gpt-image-1", 50, 0, images=2, image_size="1024x1024", image_quality="high")
    assert image.event("e1")["images"] == 2
    assert image.event("e1")["image_size"] == "1024x1024"
    speech = Usage("openai", "whisper-1", 0, 0, audio_input_seconds=Decimal("12.5"))
    assert speech.event("e2")["audio_input_seconds"] == "12.5"
    text = Usage("openai", "gpt-4o", 10, 5).event("e3")
    assert not {"images", "audio_input_seconds", "audio_input_tokens"} & set(text)


def test_audio_seconds_as_a_float_are_refused():
    import pytest
    with pytest.raises(TypeError):
        Usage("openai", "whisper-1", 0, 0, audio_input_seconds=12.5).event("e1")
