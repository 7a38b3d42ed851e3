"""Drop-in wrappers for the OpenAI and Anthropic clients: every ``create`` is checked first and
its real usage reported after, with the reservation committed (or released when it fails).

    client = wrap_openai(OpenAI(), warden, attribution={"team": "search"})
    client.chat.completions.create(model="gpt-4o", messages=[...], max_tokens=500)

Each call may add ``tokenwarden={"attribution": {...}, "estimated_input_tokens": N}`` (taken off
before the SDK sees the arguments). Without an estimate, input is estimated as a quarter of the
request's characters; output as ``max_tokens`` (or ``max_completion_tokens``/``max_output_tokens``).
Streaming calls are refused: report them with the guard and the final usage chunk.
"""
from __future__ import annotations

import inspect
import json
from typing import Any, Callable, Mapping, Optional

from .adapters import from_anthropic, from_openai_chat, from_openai_responses
from .models import Usage


def _estimate_input(kwargs: Mapping[str, Any]) -> int:
    text = json.dumps([kwargs.get(name) for name in ("messages", "input", "system", "instructions", "tools")],
                      default=str)
    return max(1, len(text) // 4)


class _Wrapped:
    """One SDK method: ``create`` with the guard around it."""

    def __init__(self, original: Callable[..., Any], warden: Any, provider: str,
                 attribution: Optional[Mapping[str, str]], adapter: Callable[..., Usage]):
        self.original = original
        self.warden = warden
        self.provider = provider
        self.attribution = dict(attribution or {})
        self.adapter = adapter

    def _guard(self, kwargs: dict) -> Any:
        if kwargs.get("stream"):
            raise TypeError("tokenwarden wrappers do not wrap streaming calls: use warden.guard(...) and report "
                            "the final chunk's usage")
        options = kwargs.pop("tokenwarden", None) or {}
        attribution = {**self.attribution, **(options.get("attribution") or {})}
        estimated = options.get("estimated_input_tokens") or _estimate_input(kwargs)
        max_output = kwargs.get("max_tokens") or kwargs.get("max_completion_tokens") or kwargs.get("max_output_tokens") or 0
        return self.warden.guard(self.provider, kwargs["model"], estimated_input_tokens=estimated,
                                 max_output_tokens=max_output, attribution=attribution,
                                 estimated_cost=options.get("estimated_cost"))

    def create(self, *args: Any, **kwargs: Any) -> Any:
        # The async SDK clients' create is a coroutine function behind a decorator that hides it:
        # the warden's kind tells which is meant.
        if inspect.iscoroutinefunction(self.warden.check):
            return self._acreate(*args, **kwargs)
        with self._guard(kwargs) as call:
            response = self.original(*args, **kwargs)
            call.report(self.adapter(response, provider=self.provider))
            return response

    async def _acreate(self, *args: Any, **kwargs: Any) -> Any:
        async with self._guard(kwargs) as call:
            response = await self.original(*args, **kwargs)
            await call.report(self.adapter(response, provider=self.provider))
            return response


class _Namespace:
    """Forwards everything to the SDK object, except the names given."""

    def __init__(self, inner: Any, **overrides: Any):
        self._inner = inner
        self.__dict__.update(overrides)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def wrap_openai(client: Any, warden: Any, attribution: Optional[Mapping[str, str]] = None,
                provider: str = "openai") -> Any:
    """``OpenAI`` (with ``TokenWarden``) or ``AsyncOpenAI`` (with ``AsyncTokenWarden``):
    ``chat.completions.create`` and ``responses.create`` are guarded. ``provider`` names the
    catalog's provider for OpenAI-compatible endpoints (``azure``, ``deepseek``...)."""
    chat = _Wrapped(client.chat.completions.create, warden, provider, attribution, from_openai_chat)
    responses = _Wrapped(client.responses.create, warden, provider, attribution, from_openai_responses)
    return _Namespace(client,
                      chat=_Namespace(client.chat, completions=_Namespace(client.chat.completions, create=chat.create)),
                      responses=_Namespace(client.responses, create=responses.create))


def wrap_anthropic(client: Any, warden: Any, attribution: Optional[Mapping[str, str]] = None,
                   provider: str = "anthropic") -> Any:
    """``Anthropic`` or ``AsyncAnthropic``: ``messages.create`` is guarded, and its usage
    reported with cache reads and writes counted as input."""
    messages = _Wrapped(client.messages.create, warden, provider, attribution, from_anthropic)
    return _Namespace(client, messages=_Namespace(client.messages, create=messages.create))
