"""The guard: check before the call, report its real usage (committing the reservation),
release the reservation on error or cancellation."""
from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from tokenwarden import AsyncTokenWarden, Denied, TokenWarden, Usage

ACME = {"org": "acme", "team": "guard"}


def test_the_guard_commits_the_reservation_with_the_real_usage(server):
    with TokenWarden(server.url) as warden:
        with warden.guard("openai", "gpt-4o", estimated_input_tokens=5000, max_output_tokens=500, attribution=ACME) as call:
            reservation = call.reservation_id
            result = call.report(Usage("openai", "gpt-4o", input_tokens=1000, output_tokens=100))
        assert reservation and result.cost == Decimal("0.0035")
        assert server.recorded(result.id)["reservation"] == reservation
        assert warden.release(reservation) is False


def test_the_guard_releases_the_reservation_when_the_call_fails(server):
    with TokenWarden(server.url) as warden:
        with pytest.raises(RuntimeError):
            with warden.guard("openai", "gpt-4o", estimated_input_tokens=5000, attribution=ACME) as call:
                reservation = call.reservation_id
                raise RuntimeError("provider timed out")
        assert call.released
        assert warden.release(reservation) is False  # already released


def test_a_refused_guard_never_runs_its_block(server):
    ran = []
    with TokenWarden(server.url) as warden, pytest.raises(Denied):
        with warden.guard("openai", "gpt-4o", estimated_input_tokens=5000, attribution={"team": "broke"}):
            ran.append(True)
    assert ran == []


async def test_a_cancelled_call_releases_its_reservation(server):
    async with AsyncTokenWarden(server.url) as warden:
        entered = asyncio.Event()
        guard = warden.guard("openai", "gpt-4o", estimated_input_tokens=5000, attribution=ACME)

        async def call():
            async with guard:
                entered.set()
                await asyncio.sleep(60)

        task = asyncio.create_task(call())
        await entered.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert guard.released and guard.reservation_id
        assert await warden.release(guard.reservation_id) is False
