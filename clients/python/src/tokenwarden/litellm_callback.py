"""A LiteLLM custom callback: checks before a call (the proxy's pre-call hook), reports each
successful call with its exact usage, and releases the reservation of a failed one.

    import litellm
    litellm.callbacks = [TokenWardenLiteLLMCallback(url="http://127.0.0.1:9473", key=...)]

The usage event's id is ``litellm:<id of LiteLLM's standard logging object>``, the one the proxy's
generic webhook integration uses too, so a call reported both ways counts once. Attribution comes
from the request's ``metadata["tokenwarden_attribution"]`` merged over the callback's.
"""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from litellm.integrations.custom_logger import CustomLogger

from .client import AsyncTokenWarden, TokenWarden
from .models import Usage

RESERVATION = "tokenwarden_reservation"
ATTRIBUTION = "tokenwarden_attribution"


def _get(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def _count(value: Any) -> int:
    return int(value) if value else 0


class TokenWardenLiteLLMCallback(CustomLogger):
    def __init__(self, url: str = "http://127.0.0.1:9473", key: Optional[str] = None, timeout: float = 2.0,
                 fail_open: bool = False, attribution: Optional[Mapping[str, str]] = None):
        super().__init__()
        self.attribution = dict(attribution or {})
        self.sync = TokenWarden(url, key=key, timeout=timeout, fail_open=fail_open)
        self._settings = dict(url=url, key=key, timeout=timeout, fail_open=fail_open)
        self.results: list = []

    def _async_client(self) -> AsyncTokenWarden:
        # One per call: LiteLLM runs async callbacks on event loops of its own, and a connection
        # pool made on one loop cannot be used on another.
        return AsyncTokenWarden(**self._settings)

    # LiteLLM keeps the caller's metadata under litellm_params.metadata.
    @staticmethod
    def _metadata(kwargs: Mapping[str, Any]) -> Dict[str, Any]:
        params = kwargs.get("litellm_params") or {}
        return params.get("metadata") or kwargs.get("metadata") or {}

    def _attribution(self, metadata: Mapping[str, Any]) -> Dict[str, str]:
        return {**self.attribution, **(metadata.get(ATTRIBUTION) or {})}

    @staticmethod
    def usage(kwargs: Mapping[str, Any], response: Any) -> "tuple[str, Usage]":
        """The event id and usage of a finished call. LiteLLM's usage is OpenAI's shape with
        every input counted (Anthropic's cache included) and the cache write apart."""
        standard = kwargs.get("standard_logging_object") or {}
        usage = _get(response, "usage")
        prompt_details = _get(usage, "prompt_tokens_details")
        completion_details = _get(usage, "completion_tokens_details")
        cache_read = _count(_get(prompt_details, "cached_tokens") or _get(usage, "cache_read_input_tokens"))
        cache_creation = _count(_get(usage, "cache_creation_input_tokens")
                                or _get(prompt_details, "cache_creation_tokens"))
        return "litellm:" + standard["id"], Usage(
            provider=standard.get("custom_llm_provider") or kwargs.get("custom_llm_provider") or "openai",
            model=standard.get("model") or kwargs["model"],
            input_tokens=_count(_get(usage, "prompt_tokens")), output_tokens=_count(_get(usage, "completion_tokens")),
            cache_read_input_tokens=cache_read, cache_creation_input_tokens=cache_creation,
            reasoning_tokens=_count(_get(completion_details, "reasoning_tokens")))

    # -- the proxy's pre-call hook: a raised refusal is the proxy's answer to its client.

    async def async_pre_call_hook(self, user_api_key_dict: Any, cache: Any, data: dict, call_type: Any) -> dict:
        import litellm

        model = data["model"]
        _, provider, _, _ = litellm.get_llm_provider(model)
        bare_model = model.split("/", 1)[1] if model.startswith(provider + "/") else model
        messages = data.get("messages") or []
        estimate = max(1, sum(len(str(m.get("content", ""))) for m in messages) // 4)
        metadata = data.setdefault("metadata", {})
        async with self._async_client() as warden:
            result = await warden.check(provider, bare_model, estimated_input_tokens=estimate,
                                        max_output_tokens=data.get("max_tokens") or 0,
                                        attribution=self._attribution(metadata))
        if result.reservation_id:
            metadata[RESERVATION] = result.reservation_id
        return data

    # -- logging

    def log_success_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        event_id, usage = self.usage(kwargs, response_obj)
        metadata = self._metadata(kwargs)
        self.results.append(self.sync.report(usage, attribution=self._attribution(metadata),
                                             reservation=metadata.get(RESERVATION), event_id=event_id))

    async def async_log_success_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        event_id, usage = self.usage(kwargs, response_obj)
        metadata = self._metadata(kwargs)
        async with self._async_client() as warden:
            self.results.append(await warden.report(usage, attribution=self._attribution(metadata),
                                                    reservation=metadata.get(RESERVATION), event_id=event_id))

    def log_failure_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        reservation = self._metadata(kwargs).get(RESERVATION)
        if reservation:
            self.sync.release(reservation)

    async def async_log_failure_event(self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any) -> None:
        reservation = self._metadata(kwargs).get(RESERVATION)
        if reservation:
            async with self._async_client() as warden:
                await warden.release(reservation)
