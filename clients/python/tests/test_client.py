"""TokenWarden and AsyncTokenWarden against the real binary: typed answers, refusals as
exceptions, fail closed / fail open, retries with one event id, releases and budgets."""
from __future__ import annotations

import asyncio
import socket
from decimal import Decimal

import httpx
import pytest

import tokenwarden
from tokenwarden import (ApprovalRequired, AsyncTokenWarden, AuthenticationError, Denied, InvalidRequest,
                         PermissionDenied, Throttled, TokenWarden, TokenWardenUnavailable, Usage)

ACME = {"org": "acme", "team": "search"}


def unused_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_an_allowed_check_answers_its_decision_reasons_and_reservation(server):
    with TokenWarden(server.url) as warden:
        result = warden.check("openai", "gpt-4o", estimated_input_tokens=1000, max_output_tokens=100, attribution=ACME)
    assert result.allowed and result.decision == "allow"
    assert result.estimated_cost == Decimal("0.0035")
    assert result.reservation is not None and result.reservation.amount == Decimal("0.0035")
    assert [(r.rule, r.kind, r.decision) for r in result.reasons] == [("team-total", "budget", "allow")]


def test_a_check_estimates_images_at_their_per_image_price(server):
    with TokenWarden(server.url) as warden:
        result = warden.check("openai", "gpt-image-1", attribution=ACME,
                              media={"images": 4, "image_size": "1024x1024", "image_quality": "high"})
    # 4 × 0.167, the catalog's price of a high-quality 1024x1024 gpt-image-1 image.
    assert result.estimated_cost == Decimal("0.668")


def test_a_check_refuses_float_seconds_and_unknown_media_fields():
    with TokenWarden(unused_url()) as warden:
        with pytest.raises(TypeError):
            warden.check("openai", "whisper-1", media={"audio_input_seconds": 12.5})
        with pytest.raises(TypeError):
            warden.check("openai", "gpt-image-1", media={"image": 1})


def test_a_denied_check_raises_denied_with_the_refusing_reason(server):
    with TokenWarden(server.url) as warden, pytest.raises(Denied) as refused:
        warden.check("openai", "gpt-4o", estimated_input_tokens=1000, attribution={"team": "broke"})
    assert refused.value.decision == "deny" and refused.value.status == 403
    assert "broke-team" in [r.rule for r in refused.value.reasons]
    assert refused.value.result.reservation is None


def test_a_throttled_check_raises_throttled_with_retry_after(server):
    with TokenWarden(server.url) as warden:
        warden.check("openai", "gpt-4o", attribution={"agent": "slow", "team": "throttle-test"})
        with pytest.raises(Throttled) as refused:
            warden.check("openai", "gpt-4o", attribution={"agent": "slow", "team": "throttle-test"})
    assert refused.value.decision == "throttle" and refused.value.status == 429
    assert refused.value.retry_after is not None and refused.value.retry_after > 0


def test_a_refusal_is_returned_instead_of_raised_when_asked(server):
    with TokenWarden(server.url) as warden:
        result = warden.check("openai", "gpt-4o", estimated_input_tokens=1000, attribution={"team": "broke"},
                              raise_on_refusal=False)
    assert result.decision == "deny" and not result.allowed


def test_a_check_fails_closed_when_tokenwarden_is_unreachable():
    with TokenWarden(unused_url(), timeout=0.5) as warden, pytest.raises(TokenWardenUnavailable):
        warden.check("openai", "gpt-4o")


def test_fail_open_allows_a_check_when_tokenwarden_is_unreachable():
    with TokenWarden(unused_url(), timeout=0.5, fail_open=True) as warden:
        result = warden.check("openai", "gpt-4o")
    assert result.allowed and result.unavailable and result.reservation is None


def test_fail_open_still_raises_a_real_refusal(server):
    with TokenWarden(server.url, fail_open=True) as warden, pytest.raises(Denied):
        warden.check("openai", "gpt-4o", estimated_input_tokens=1000, attribution={"team": "broke"})


def test_a_report_answers_the_exact_cost_and_commits_the_reservation(server):
    with TokenWarden(server.url) as warden:
        reservation = warden.check("openai", "gpt-4o", estimated_input_tokens=2000, attribution=ACME).reservation_id
        result = warden.report(Usage("openai", "gpt-4o", input_tokens=1000, output_tokens=100), attribution=ACME,
                               reservation=reservation, event_id="client-commit-1")
        assert result.cost == Decimal("0.0035") and result.currency == "USD" and not result.duplicate
        assert server.recorded("client-commit-1")["reservation"] == reservation
        assert warden.release(reservation) is False  # committed: nothing left to release


class FailingAfterSending(httpx.BaseTransport):
    """Sends the first request to the server, then pretends the connection broke before the
    answer arrived: the report was recorded, and the client cannot know."""

    def __init__(self):
        self.inner = httpx.HTTPTransport()
        self.bodies = []

    def handle_request(self, request):
        self.bodies.append(request.read())
        response = self.inner.handle_request(request)
        if len(self.bodies) == 1:
            response.read()
            raise httpx.ReadError("connection reset", request=request)
        return response


def test_a_retried_report_reuses_its_event_id_and_counts_once(server):
    transport = FailingAfterSending()
    with TokenWarden(server.url, backoff=0.01, transport=transport) as warden:
        result = warden.report(Usage("openai", "gpt-4o", input_tokens=1000, output_tokens=100), attribution=ACME)
    assert len(transport.bodies) == 2 and transport.bodies[0] == transport.bodies[1]
    assert result.duplicate and result.cost == Decimal("0.0035")
    server.recorded(result.id)  # exactly once


def test_a_report_that_never_gets_through_raises_unavailable_after_its_retries():
    attempts = []

    def refuse(request):
        attempts.append(request.read())
        return httpx.Response(503, json={"error": "database unavailable"}, headers={"Retry-After": "0"})

    with TokenWarden("http://tokenwarden.invalid", retries=2, backoff=0.001, transport=httpx.MockTransport(refuse)) as warden:
        with pytest.raises(TokenWardenUnavailable) as failed:
            warden.report(Usage("openai", "gpt-4o", 1, 1))
    assert len(attempts) == 3 and len(set(attempts)) == 1
    assert failed.value.status == 503


def test_an_invalid_report_raises_invalid_request_naming_the_field(server):
    with TokenWarden(server.url) as warden, pytest.raises(InvalidRequest) as invalid:
        warden.report({"provider": "openai", "model": "gpt-4o", "input_tokens": 10, "output_tokens": 1,
                       "cache_read_input_tokens": 11})
    assert invalid.value.status == 400 and invalid.value.errors[0]["field"] == "cache_read_input_tokens"


def test_budgets_answer_typed_limits(server):
    with TokenWarden(server.url) as warden:
        warden.report(Usage("openai", "gpt-4o", 1000, 100), attribution={"org": "acme", "team": "budgets-test"})
        statuses = warden.budgets("team-total", team="budgets-test")
    assert [s.budget for s in statuses] == ["team-total"]
    limit = statuses[0].limits[0]
    assert limit.unit == "USD" and limit.base == Decimal("1000") and limit.used == Decimal("0.0035")
    assert statuses[0].scope == {"org": "acme", "team": "budgets-test"}


def test_a_missing_key_raises_authentication_error_and_a_missing_role_permission_denied(keyed_server):
    with TokenWarden(keyed_server.url) as anonymous, pytest.raises(AuthenticationError):
        anonymous.check("openai", "gpt-4o")
    with TokenWarden(keyed_server.url, key=keyed_server.keys["reader"]) as reader, pytest.raises(PermissionDenied) as denied:
        reader.check("openai", "gpt-4o")
    assert denied.value.missing_role == "check"


def test_require_approval_raises_approval_required_with_the_request_id(keyed_server):
    with TokenWarden(keyed_server.url, key=keyed_server.keys["agent"]) as warden, pytest.raises(ApprovalRequired) as refused:
        warden.check("anthropic", "claude-opus-4-5", attribution={"org": "acme", "team": "interns"})
    assert refused.value.approval_id.startswith("apr_")


async def test_the_async_client_checks_reports_and_releases(server):
    async with AsyncTokenWarden(server.url) as warden:
        result = await warden.check("openai", "gpt-4o", estimated_input_tokens=1000, attribution=ACME)
        assert await warden.release(result.reservation_id) is True
        reported = await warden.report(Usage("openai", "gpt-4o", 1000, 100), attribution=ACME)
        assert reported.cost == Decimal("0.0035")
        with pytest.raises(Denied):
            await warden.check("openai", "gpt-4o", estimated_input_tokens=1000, attribution={"team": "broke"})


async def test_the_async_client_fails_closed_and_opens_when_told():
    async with AsyncTokenWarden(unused_url(), timeout=0.5) as closed:
        with pytest.raises(TokenWardenUnavailable):
            await closed.check("openai", "gpt-4o")
    async with AsyncTokenWarden(unused_url(), timeout=0.5, fail_open=True) as open_:
        assert (await open_.check("openai", "gpt-4o")).unavailable


def test_the_package_has_only_httpx_as_dependency():
    from importlib.metadata import PackageNotFoundError, requires
    from pathlib import Path
    text = (Path(tokenwarden.__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert 'dependencies = ["httpx>=0.27,<1"]' in text
