"""What the synchronous and asynchronous clients share: request bodies, and reading answers into
typed results or exceptions. Only the sending differs between them."""
from __future__ import annotations

import uuid
from urllib.parse import quote
from typing import Any, Dict, List, Mapping, Optional, Union

import httpx

from .errors import (ApprovalRequired, AuthenticationError, CheckRefused, Denied, InvalidRequest, NotFound,
                     PermissionDenied, Throttled, TokenWardenError, TokenWardenUnavailable)
from .models import BudgetStatus, CheckResult, Usage, UsageResult

USER_AGENT = "tokenwarden-python/0.1.0"
REFUSALS = {"deny": Denied, "throttle": Throttled, "require_approval": ApprovalRequired}


def new_event_id() -> str:
    return f"tw-{uuid.uuid4().hex}"


def headers(key: Optional[str]) -> Dict[str, str]:
    result = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if key:
        result["Authorization"] = f"Bearer {key}"
    return result


def merged(default: Optional[Mapping[str, str]], given: Optional[Mapping[str, str]]) -> Dict[str, str]:
    result = dict(default or {})
    result.update(given or {})
    return result


CHECK_MEDIA_FIELDS = ("audio_input_tokens", "audio_output_tokens", "images", "image_size", "image_quality",
                      "audio_input_seconds", "audio_output_seconds")


def check_body(provider: str, model: str, estimated_input_tokens: int, max_output_tokens: int,
               attribution: Mapping[str, str], estimated_cost: Any, currency: Optional[str],
               priority: Optional[str], approval_id: Optional[str],
               media: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    body: Dict[str, Any] = {"provider": provider, "model": model,
                            "estimated_input_tokens": int(estimated_input_tokens),
                            "max_output_tokens": int(max_output_tokens)}
    for name, value in (media or {}).items():
        if name not in CHECK_MEDIA_FIELDS:
            raise TypeError(f"unknown media field {name!r}; allowed: {', '.join(CHECK_MEDIA_FIELDS)}")
        if name.endswith("_seconds"):
            if isinstance(value, float):
                raise TypeError(f"{name} must be a Decimal, str or int, not a float")
            value = str(value)  # exact: the server reads seconds from their decimal text
        body[name] = value
    if attribution:
        body["attribution"] = dict(attribution)
    if estimated_cost is not None:
        # A string keeps every digit: the server reads amounts exactly.
        body["estimated_cost"] = str(estimated_cost)
    for name, value in (("currency", currency), ("priority", priority), ("approval_id", approval_id)):
        if value is not None:
            body[name] = value
    return body


def usage_body(usage: Union[Usage, Mapping[str, Any]], attribution: Mapping[str, str], reservation: Optional[str],
               event_id: str, time: Optional[str]) -> Dict[str, Any]:
    if isinstance(usage, Usage):
        return usage.event(event_id, attribution, reservation, time)
    body = dict(usage)
    body.setdefault("id", event_id)
    if attribution:
        body["attribution"] = merged(attribution, body.get("attribution"))
    if reservation:
        body["reservation"] = reservation
    if time:
        body["time"] = time
    return body


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _message(body: Any, response: httpx.Response) -> str:
    if isinstance(body, dict):
        if isinstance(body.get("error"), str):
            return body["error"]
        if isinstance(body.get("errors"), list):
            return "; ".join(f"{e.get('field')}: {e.get('message')}" if isinstance(e, dict) else str(e) for e in body["errors"])
    return f"HTTP {response.status_code}: {response.text[:200]}"


def _retry_after(response: httpx.Response, body: Any) -> Optional[float]:
    value = response.headers.get("Retry-After")
    if value and value.strip().isdigit():
        return float(value)
    if isinstance(body, dict) and isinstance(body.get("retry_after_seconds"), int):
        return float(body["retry_after_seconds"])
    return None


def error_for(response: httpx.Response) -> TokenWardenError:
    """The exception for an answer that is not a success (nor a check's decision)."""
    body = _json(response)
    status = response.status_code
    message = _message(body, response)
    errors = body.get("errors", []) if isinstance(body, dict) else []
    if status >= 500:
        return TokenWardenUnavailable(message, status, body, _retry_after(response, body))
    if status == 401:
        return AuthenticationError(message, status, body)
    if status == 403:
        missing = body.get("missing_role") if isinstance(body, dict) else None
        return PermissionDenied(message, status, body, missing_role=missing, errors=errors)
    if status == 404:
        return NotFound(message, status, body)
    if status == 429:
        return TokenWardenUnavailable(message, status, body, _retry_after(response, body))
    return InvalidRequest(message, status, body, errors=errors)


def check_result(response: httpx.Response, raise_on_refusal: bool) -> CheckResult:
    body = _json(response)
    if response.status_code in (200, 403, 429) and isinstance(body, dict) and "decision" in body:
        result = CheckResult.parse(body, response.headers.get("Retry-After"))
        if raise_on_refusal and not result.allowed:
            raise REFUSALS.get(result.decision, CheckRefused)(result, response.status_code, body)
        return result
    raise error_for(response)


def usage_results(response: httpx.Response) -> List[UsageResult]:
    if response.status_code == 200:
        return [UsageResult.parse(r) for r in response.json()["results"]]
    raise error_for(response)


def release_result(response: httpx.Response) -> bool:
    if response.status_code == 204:
        return True
    if response.status_code == 404:
        return False
    raise error_for(response)


def budget_page(response: httpx.Response) -> "tuple[List[BudgetStatus], Optional[str]]":
    if response.status_code != 200:
        raise error_for(response)
    body = response.json()
    return [BudgetStatus.parse(b) for b in body["budgets"]], body.get("next_cursor")


def budgets_path(name: Optional[str]) -> str:
    return "/v1/budgets" if name is None else "/v1/budgets/" + quote(name, safe="")


def unavailable(error: Exception) -> TokenWardenUnavailable:
    return TokenWardenUnavailable(f"TokenWarden is unreachable: {type(error).__name__}: {error}")
