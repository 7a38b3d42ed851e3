"""From each provider's usage object to an exact ``Usage``.

TokenWarden's ``input_tokens`` is *all* input, cached included, and ``output_tokens`` all output,
reasoning included (as OpenTelemetry's ``gen_ai.usage.*``). Providers differ:

- OpenAI Chat Completions: ``prompt_tokens`` already includes ``prompt_tokens_details.cached_tokens``
  (and ``cache_write_tokens``), ``completion_tokens`` includes ``completion_tokens_details.reasoning_tokens``.
- OpenAI Responses: ``input_tokens`` includes ``input_tokens_details.cached_tokens`` (and
  ``cache_write_tokens``), ``output_tokens`` includes ``output_tokens_details.reasoning_tokens``.
- Anthropic Messages: ``input_tokens`` *excludes* the cache: cache reads and cache writes are added.
- Gemini: ``prompt_token_count`` includes ``cached_content_token_count``; tool-use prompt tokens are
  input too; ``candidates_token_count`` excludes ``thoughts_token_count``, which is added.
- LangChain ``usage_metadata``: totals already (``input_token_details``, ``output_token_details``).

Each adapter takes the SDK's response object (or its usage object, or the same as a plain dict).
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from .models import Usage


def _get(obj: Any, *names: str) -> Any:
    """The first of ``names`` that ``obj`` has, as an attribute or a key; None otherwise."""
    if obj is None:
        return None
    for name in names:
        value = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
        if value is not None:
            return value
    return None


def _count(obj: Any, *names: str) -> int:
    value = _get(obj, *names)
    return int(value) if value is not None else 0


def _model(response: Any, model: Optional[str], *names: str) -> str:
    found = model or _get(response, *names)
    if not found:
        raise ValueError("the response names no model: pass model=")
    return str(found)


def _usage_of(response: Any) -> Any:
    usage = _get(response, "usage")
    return usage if usage is not None else response


def from_openai_chat(response: Any, model: Optional[str] = None, provider: str = "openai") -> Usage:
    """A Chat Completions response (``ChatCompletion``, or the last stream chunk with usage)."""
    usage = _usage_of(response)
    return Usage(provider=provider, model=_model(response, model, "model"),
                 input_tokens=_count(usage, "prompt_tokens"), output_tokens=_count(usage, "completion_tokens"),
                 cache_read_input_tokens=_count(_get(usage, "prompt_tokens_details"), "cached_tokens"),
                 cache_creation_input_tokens=_count(_get(usage, "prompt_tokens_details"), "cache_write_tokens"),
                 reasoning_tokens=_count(_get(usage, "completion_tokens_details"), "reasoning_tokens"))


def from_openai_responses(response: Any, model: Optional[str] = None, provider: str = "openai") -> Usage:
    """A Responses API response (``Response``)."""
    usage = _usage_of(response)
    return Usage(provider=provider, model=_model(response, model, "model"),
                 input_tokens=_count(usage, "input_tokens"), output_tokens=_count(usage, "output_tokens"),
                 cache_read_input_tokens=_count(_get(usage, "input_tokens_details"), "cached_tokens"),
                 cache_creation_input_tokens=_count(_get(usage, "input_tokens_details"), "cache_write_tokens"),
                 reasoning_tokens=_count(_get(usage, "output_tokens_details"), "reasoning_tokens"))


def from_anthropic(response: Any, model: Optional[str] = None, provider: str = "anthropic") -> Usage:
    """An Anthropic Messages response (``Message``). Its ``input_tokens`` counts only the input
    after the last cache breakpoint: cache reads and writes are added to make TokenWarden's."""
    usage = _usage_of(response)
    cache_read = _count(usage, "cache_read_input_tokens")
    cache_creation = _count(usage, "cache_creation_input_tokens")
    return Usage(provider=provider, model=_model(response, model, "model"),
                 input_tokens=_count(usage, "input_tokens") + cache_read + cache_creation,
                 output_tokens=_count(usage, "output_tokens"),
                 cache_read_input_tokens=cache_read, cache_creation_input_tokens=cache_creation)


def from_gemini(response: Any, model: Optional[str] = None, provider: str = "gemini") -> Usage:
    """A Gemini ``GenerateContentResponse`` (google-genai), or the REST answer's ``usageMetadata``."""
    usage = _get(response, "usage_metadata", "usageMetadata")
    if usage is None:
        usage = response
    thoughts = _count(usage, "thoughts_token_count", "thoughtsTokenCount")
    return Usage(provider=provider, model=_model(response, model, "model_version", "modelVersion"),
                 input_tokens=_count(usage, "prompt_token_count", "promptTokenCount")
                 + _count(usage, "tool_use_prompt_token_count", "toolUsePromptTokenCount"),
                 output_tokens=_count(usage, "candidates_token_count", "candidatesTokenCount") + thoughts,
                 cache_read_input_tokens=_count(usage, "cached_content_token_count", "cachedContentTokenCount"),
                 reasoning_tokens=thoughts)


def from_langchain(message: Any, model: Optional[str] = None, provider: Optional[str] = None) -> Usage:
    """A LangChain ``AIMessage`` (its ``usage_metadata``, and its ``response_metadata`` for the
    model and provider), or a ``usage_metadata`` dict with ``model=`` and ``provider=``."""
    usage = _get(message, "usage_metadata")
    if usage is None:
        usage = message
    metadata = _get(message, "response_metadata") or {}
    found_provider = provider or _get(metadata, "model_provider", "ls_provider")
    if not found_provider:
        raise ValueError("the message names no provider: pass provider=")
    input_details = _get(usage, "input_token_details") or {}
    output_details = _get(usage, "output_token_details") or {}
    return Usage(provider=str(found_provider), model=_model(metadata, model, "model_name", "model"),
                 input_tokens=_count(usage, "input_tokens"), output_tokens=_count(usage, "output_tokens"),
                 cache_read_input_tokens=_count(input_details, "cache_read"),
                 cache_creation_input_tokens=_count(input_details, "cache_creation"),
                 reasoning_tokens=_count(output_details, "reasoning"))


def usage_from(response: Any, provider: Optional[str] = None, model: Optional[str] = None) -> Usage:
    """Recognises the response's kind by its shape and applies the adapter for it."""
    if isinstance(response, Usage):
        return response
    metadata = _get(response, "usage_metadata", "usageMetadata")
    if metadata is not None:
        if _get(metadata, "prompt_token_count", "promptTokenCount", "candidates_token_count") is not None:
            return from_gemini(response, model, provider or "gemini")
        return from_langchain(response, model, provider)
    usage = _usage_of(response)
    if _get(usage, "prompt_tokens") is not None:
        return from_openai_chat(response, model, provider or "openai")
    if _get(usage, "input_tokens_details", "output_tokens_details") is not None:
        return from_openai_responses(response, model, provider or "openai")
    if _get(usage, "input_tokens") is not None:
        return from_anthropic(response, model, provider or "anthropic")
    raise TypeError(f"no adapter recognises {type(response).__name__}: pass a tokenwarden.Usage")
