"""``TokenWarden`` (synchronous) and ``AsyncTokenWarden``: check, report, release, budgets."""
from __future__ import annotations

import asyncio
import time as _time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

import httpx

from . import _http
from .errors import TokenWardenUnavailable
from .guard import AsyncGuard, Guard
from .models import BudgetStatus, CheckResult, Usage, UsageResult

DEFAULT_URL = "http://127.0.0.1:9473"


class _Settings:
    def __init__(self, url: str, key: Optional[str], timeout: float, fail_open: bool, retries: int,
                 backoff: float, attribution: Optional[Mapping[str, str]]):
        self.url = url.rstrip("/")
        self.key = key
        self.timeout = timeout
        self.fail_open = fail_open
        self.retries = retries
        self.backoff = backoff
        self.attribution = dict(attribution or {})

    def delay(self, attempt: int, error: TokenWardenUnavailable) -> float:
        # Exponential backoff, but never sooner than the server asked for (capped: a report
        # should not hang its caller for long).
        wait = self.backoff * (2 ** attempt)
        if error.retry_after is not None:
            wait = max(wait, min(error.retry_after, 5.0))
        return wait


class TokenWarden:
    """A synchronous client.

    ``timeout`` (seconds) bounds every request. Checks fail closed: when TokenWarden cannot be
    reached, ``check`` raises ``TokenWardenUnavailable``, unless ``fail_open=True``, which answers
    a made-up allow (``CheckResult.unavailable``). Reports retry ``retries`` times on connection
    errors and 5xx/429 answers, always with the same event id, so a report the server did record
    before the connection broke is not counted twice. ``attribution`` is merged into every call's.
    """

    def __init__(self, url: str = DEFAULT_URL, key: Optional[str] = None, timeout: float = 2.0,
                 fail_open: bool = False, retries: int = 3, backoff: float = 0.2,
                 attribution: Optional[Mapping[str, str]] = None, transport: Optional[httpx.BaseTransport] = None):
        self.settings = _Settings(url, key, timeout, fail_open, retries, backoff, attribution)
        self._http = httpx.Client(base_url=self.settings.url, timeout=timeout, headers=_http.headers(key),
                                  transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "TokenWarden":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise _http.unavailable(error) from error

    def check(self, provider: str, model: str, estimated_input_tokens: int = 0, max_output_tokens: int = 0,
              attribution: Optional[Mapping[str, str]] = None, estimated_cost: Any = None,
              currency: Optional[str] = None, priority: Optional[str] = None, approval_id: Optional[str] = None,
              raise_on_refusal: bool = True, media: Optional[Mapping[str, Any]] = None) -> CheckResult:
        """Asks before a call. Raises ``Denied``, ``Throttled`` or ``ApprovalRequired`` when refused
        (unless ``raise_on_refusal=False``); an allowed check's ``reservation`` holds the estimate.
        ``media`` estimates a call priced per unit, with the usage event's field names:
        ``{"images": 4, "image_size": "1024x1024", "image_quality": "hd"}``,
        ``{"audio_input_seconds": Decimal("90")}``, ``audio_input_tokens`` ..."""
        body = _http.check_body(provider, model, estimated_input_tokens, max_output_tokens,
                                _http.merged(self.settings.attribution, attribution), estimated_cost, currency,
                                priority, approval_id, media)
        try:
            response = self._send("POST", "/v1/check", json=body)
            if response.status_code >= 500:
                raise _http.error_for(response)
        except TokenWardenUnavailable:
            if self.settings.fail_open:
                return CheckResult.failed_open()
            raise
        return _http.check_result(response, raise_on_refusal)

    def report(self, usage: Union[Usage, Mapping[str, Any]], attribution: Optional[Mapping[str, str]] = None,
               reservation: Optional[str] = None, event_id: Optional[str] = None,
               time: Optional[str] = None) -> UsageResult:
        """Records one call's usage (a ``Usage`` or a usage-event dict) and returns its exact cost.
        ``reservation`` commits the check's reservation. The event id is made once, here, and
        every retry sends it again."""
        body = _http.usage_body(usage, _http.merged(self.settings.attribution, attribution), reservation,
                                event_id or _http.new_event_id(), time)
        return self._post_usage([body])[0]

    def report_many(self, events: Iterable[Mapping[str, Any]]) -> List[UsageResult]:
        """Records a batch of usage-event dicts, all or nothing; events without an id get one."""
        bodies = [_http.usage_body(e, self.settings.attribution, None, _http.new_event_id(), None) for e in events]
        return self._post_usage(bodies)

    def _post_usage(self, bodies: List[Dict[str, Any]]) -> List[UsageResult]:
        payload: Any = bodies[0] if len(bodies) == 1 else bodies
        attempt = 0
        while True:
            try:
                response = self._send("POST", "/v1/usage", json=payload)
                if response.status_code >= 500 or response.status_code == 429:
                    raise _http.error_for(response)
                return _http.usage_results(response)
            except TokenWardenUnavailable as error:
                if attempt >= self.settings.retries:
                    raise
                _time.sleep(self.settings.delay(attempt, error))
                attempt += 1

    def release(self, reservation_id: str) -> bool:
        """Releases a reservation now. False when it was already gone (committed, released, expired)."""
        return _http.release_result(self._send("DELETE", f"/v1/reservations/{reservation_id}"))

    def budgets(self, name: Optional[str] = None, **labels: str) -> List[BudgetStatus]:
        """Every budget instance (or those of budget ``name``), narrowed by attribution labels
        (``team="search"``); follows the pages to the end."""
        statuses: List[BudgetStatus] = []
        cursor: Optional[str] = None
        while True:
            params = dict(labels, **({"cursor": cursor} if cursor else {}))
            page, cursor = _http.budget_page(self._send("GET", _http.budgets_path(name), params=params))
            statuses.extend(page)
            if not cursor:
                return statuses

    def guard(self, provider: str, model: str, estimated_input_tokens: int = 0, max_output_tokens: int = 0,
              attribution: Optional[Mapping[str, str]] = None, estimated_cost: Any = None,
              priority: Optional[str] = None) -> Guard:
        """One LLM call: ``with warden.guard(...) as call: response = ...; call.report(response)``.
        Checks on entry, commits the reservation with the real usage, releases it on error."""
        return Guard(self, provider, model, estimated_input_tokens, max_output_tokens, attribution,
                     estimated_cost, priority)


class AsyncTokenWarden:
    """The asynchronous client: the same methods as ``TokenWarden``, as coroutines."""

    def __init__(self, url: str = DEFAULT_URL, key: Optional[str] = None, timeout: float = 2.0,
                 fail_open: bool = False, retries: int = 3, backoff: float = 0.2,
                 attribution: Optional[Mapping[str, str]] = None, transport: Optional[httpx.AsyncBaseTransport] = None):
        self.settings = _Settings(url, key, timeout, fail_open, retries, backoff, attribution)
        self._http = httpx.AsyncClient(base_url=self.settings.url, timeout=timeout, headers=_http.headers(key),
                                       transport=transport)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> "AsyncTokenWarden":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise _http.unavailable(error) from error

    async def check(self, provider: str, model: str, estimated_input_tokens: int = 0, max_output_tokens: int = 0,
                    attribution: Optional[Mapping[str, str]] = None, estimated_cost: Any = None,
                    currency: Optional[str] = None, priority: Optional[str] = None,
                    approval_id: Optional[str] = None, raise_on_refusal: bool = True,
                    media: Optional[Mapping[str, Any]] = None) -> CheckResult:
        body = _http.check_body(provider, model, estimated_input_tokens, max_output_tokens,
                                _http.merged(self.settings.attribution, attribution), estimated_cost, currency,
                                priority, approval_id, media)
        try:
            response = await self._send("POST", "/v1/check", json=body)
            if response.status_code >= 500:
                raise _http.error_for(response)
        except TokenWardenUnavailable:
            if self.settings.fail_open:
                return CheckResult.failed_open()
            raise
        return _http.check_result(response, raise_on_refusal)

    async def report(self, usage: Union[Usage, Mapping[str, Any]], attribution: Optional[Mapping[str, str]] = None,
                     reservation: Optional[str] = None, event_id: Optional[str] = None,
                     time: Optional[str] = None) -> UsageResult:
        body = _http.usage_body(usage, _http.merged(self.settings.attribution, attribution), reservation,
                                event_id or _http.new_event_id(), time)
        return (await self._post_usage([body]))[0]

    async def report_many(self, events: Iterable[Mapping[str, Any]]) -> List[UsageResult]:
        bodies = [_http.usage_body(e, self.settings.attribution, None, _http.new_event_id(), None) for e in events]
        return await self._post_usage(bodies)

    async def _post_usage(self, bodies: List[Dict[str, Any]]) -> List[UsageResult]:
        payload: Any = bodies[0] if len(bodies) == 1 else bodies
        attempt = 0
        while True:
            try:
                response = await self._send("POST", "/v1/usage", json=payload)
                if response.status_code >= 500 or response.status_code == 429:
                    raise _http.error_for(response)
                return _http.usage_results(response)
            except TokenWardenUnavailable as error:
                if attempt >= self.settings.retries:
                    raise
                await asyncio.sleep(self.settings.delay(attempt, error))
                attempt += 1

    async def release(self, reservation_id: str) -> bool:
        return _http.release_result(await self._send("DELETE", f"/v1/reservations/{reservation_id}"))

    async def budgets(self, name: Optional[str] = None, **labels: str) -> List[BudgetStatus]:
        statuses: List[BudgetStatus] = []
        cursor: Optional[str] = None
        while True:
            params = dict(labels, **({"cursor": cursor} if cursor else {}))
            page, cursor = _http.budget_page(await self._send("GET", _http.budgets_path(name), params=params))
            statuses.extend(page)
            if not cursor:
                return statuses

    def guard(self, provider: str, model: str, estimated_input_tokens: int = 0, max_output_tokens: int = 0,
              attribution: Optional[Mapping[str, str]] = None, estimated_cost: Any = None,
              priority: Optional[str] = None) -> AsyncGuard:
        """``async with warden.guard(...) as call: ...; await call.report(response)``; a cancelled
        task releases the reservation too."""
        return AsyncGuard(self, provider, model, estimated_input_tokens, max_output_tokens, attribution,
                          estimated_cost, priority)
