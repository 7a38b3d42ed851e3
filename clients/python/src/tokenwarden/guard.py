"""The guard around one LLM call: check before, report the real usage after, release the
reservation when the call fails or is cancelled."""
from __future__ import annotations

import logging
from typing import Any, Mapping, Optional

from .adapters import usage_from
from .errors import TokenWardenError
from .models import CheckResult, Usage, UsageResult

logger = logging.getLogger("tokenwarden")


class _GuardBase:
    def __init__(self, warden: Any, provider: str, model: str, estimated_input_tokens: int, max_output_tokens: int,
                 attribution: Optional[Mapping[str, str]], estimated_cost: Any, priority: Optional[str]):
        self.warden = warden
        self.provider = provider
        self.model = model
        self.estimated_input_tokens = estimated_input_tokens
        self.max_output_tokens = max_output_tokens
        self.attribution = dict(attribution or {})
        self.estimated_cost = estimated_cost
        self.priority = priority
        self.check: Optional[CheckResult] = None
        self.result: Optional[UsageResult] = None
        self.released = False

    def _check_arguments(self) -> dict:
        return dict(provider=self.provider, model=self.model, estimated_input_tokens=self.estimated_input_tokens,
                    max_output_tokens=self.max_output_tokens, attribution=self.attribution,
                    estimated_cost=self.estimated_cost, priority=self.priority)

    def _usage(self, response: Any) -> Usage:
        usage = usage_from(response, provider=self.provider)
        if usage.provider != self.provider:
            usage = Usage(**{**usage.__dict__, "provider": self.provider})
        return usage

    @property
    def reservation_id(self) -> Optional[str]:
        return self.check.reservation_id if self.check else None

    def _should_release(self) -> bool:
        return self.result is None and not self.released and self.reservation_id is not None


class Guard(_GuardBase):
    """``with warden.guard(...) as call:`` checks on entry (a refusal raises and the block never
    runs); ``call.report(response_or_usage)`` records the real usage and commits the reservation.
    Leaving the block by an exception (or without a report) releases the reservation."""

    def __enter__(self) -> "Guard":
        self.check = self.warden.check(**self._check_arguments())
        return self

    def report(self, response: Any) -> UsageResult:
        """``response`` is a provider's response (or usage object, or a ``Usage``)."""
        self.result = self.warden.report(self._usage(response), attribution=self.attribution,
                                         reservation=self.reservation_id)
        return self.result

    def release(self) -> None:
        if self._should_release():
            self.released = True
            try:
                self.warden.release(self.reservation_id)
            except TokenWardenError as error:
                # The reservation still expires after reservations.ttl.
                logger.warning("releasing reservation %s failed: %s", self.reservation_id, error)

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        self.release()
        return False


class AsyncGuard(_GuardBase):
    """``async with warden.guard(...) as call:``; cancellation releases the reservation too."""

    async def __aenter__(self) -> "AsyncGuard":
        self.check = await self.warden.check(**self._check_arguments())
        return self

    async def report(self, response: Any) -> UsageResult:
        self.result = await self.warden.report(self._usage(response), attribution=self.attribution,
                                               reservation=self.reservation_id)
        return self.result

    async def release(self) -> None:
        if self._should_release():
            self.released = True
            try:
                await self.warden.release(self.reservation_id)
            except TokenWardenError as error:
                logger.warning("releasing reservation %s failed: %s", self.reservation_id, error)

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        await self.release()
        return False
