"""Real answers of the real binary, for every described route and its errors, validate against
docs/openapi.json with openapi-core (request and response)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, List, Optional

import httpx
import pytest
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from server import REPO

DOCUMENT = REPO / "docs" / "openapi.json"
# The document's server: every request is matched against it, whatever port the test server has.
DESCRIBED_HOST = "http://127.0.0.1:9473"


class RecordedRequest:
    def __init__(self, request: httpx.Request):
        self.host_url = DESCRIBED_HOST
        self.path = request.url.path
        self.method = request.method.lower()
        self.body = request.content or None
        self.content_type = request.headers.get("content-type", "")
        self.parameters = RequestParameters(query=ImmutableMultiDict(list(request.url.params.multi_items())),
                                            header=Headers(list(request.headers.items())), cookie=ImmutableMultiDict(),
                                            path={})


class RecordedResponse:
    def __init__(self, response: httpx.Response):
        self.status_code = response.status_code
        self.content_type = response.headers.get("content-type", "")
        self.headers = Headers(list(response.headers.items()))
        self.data = response.content


@pytest.fixture(scope="module")
def openapi():
    return OpenAPI.from_file_path(str(DOCUMENT))


class Recorder:
    """Sends requests to the real server and keeps every exchange for validation."""

    def __init__(self, url: str, key: Optional[str] = None):
        self.client = httpx.Client(base_url=url, timeout=10,
                                   headers={"Authorization": f"Bearer {key}"} if key else {})
        self.exchanges: List[tuple] = []

    def __call__(self, method: str, path: str, expect: int, key: Any = "default", **kwargs: Any) -> httpx.Response:
        if key != "default":
            headers = kwargs.pop("headers", {})
            if key is None:
                response = httpx.request(method, str(self.client.base_url).rstrip("/") + path, timeout=10,
                                         headers=headers, **kwargs)
            else:
                headers["Authorization"] = f"Bearer {key}"
                response = self.client.request(method, path, headers=headers, **kwargs)
        else:
            response = self.client.request(method, path, **kwargs)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text[:300]}"
        self.exchanges.append((response.request, response))
        return response


def validate_all(openapi: OpenAPI, exchanges: List[tuple]) -> None:
    failures = []
    for request, response in exchanges:
        recorded = RecordedRequest(request)
        checks = [("response", lambda: openapi.validate_response(recorded, RecordedResponse(response)))]
        if response.status_code < 400:
            # A refused request was meant to break the description; an accepted one must not.
            checks.append(("request", lambda: openapi.validate_request(recorded)))
        for what, run in checks:
            try:
                run()
            except Exception as error:  # every mismatch, not only the first
                detail = getattr(error, "__cause__", None) or error
                failures.append(f"{request.method} {request.url.path} -> {response.status_code} ({what}): "
                                f"{type(error).__name__}: {error} {detail} | {response.text[:200]}")
    assert not failures, "\n".join(failures)


def event(event_id: str, **extra: Any) -> dict:
    body = {"id": event_id, "provider": "openai", "model": "gpt-4o", "input_tokens": 1000, "output_tokens": 100,
            "attribution": {"org": "acme", "team": "search"}}
    body.update(extra)
    return body


def check(**extra: Any) -> dict:
    body = {"provider": "openai", "model": "gpt-4o", "estimated_input_tokens": 1000, "max_output_tokens": 100,
            "attribution": {"org": "acme", "team": "search"}}
    body.update(extra)
    return body


def test_answers_without_keys_validate_against_the_description(server, openapi):
    send = Recorder(server.url)
    send("GET", "/openapi.json", 200)
    send("GET", "/-/healthy", 200)
    send("GET", "/-/ready", 200)
    send("GET", "/", 200)
    send("GET", "/metrics", 200)
    send("POST", "/v1/usage", 200, json=event("oa-1"))
    send("POST", "/v1/usage", 200, json=[event("oa-2"), event("oa-1")])
    send("POST", "/v1/usage", 200, content=json.dumps(event("oa-3")) + "\n", headers={"Content-Type": "application/x-ndjson"})
    send("POST", "/v1/usage", 400, json=event("oa-4", colour="blue"))
    send("POST", "/v1/usage", 400, content=b'{"id": ', headers={"Content-Type": "application/json"})
    send("POST", "/v1/usage", 422, json=event("oa-5", model="no-such-model"))
    send("POST", "/v1/usage", 415, content=b"x", headers={"Content-Type": "text/plain"})
    send("GET", "/v1/usage", 200, params={"team": "search", "limit": "2"})
    send("GET", "/v1/usage", 400, params={"colour": "blue"})
    send("GET", "/v1/usage.csv", 200)
    allowed = send("POST", "/v1/check", 200, json=check()).json()
    send("DELETE", f"/v1/reservations/{allowed['reservation']['id']}", 204)
    send("DELETE", f"/v1/reservations/{allowed['reservation']['id']}", 404)
    send("POST", "/v1/check", 403, json=check(attribution={"org": "acme", "team": "broke"}))
    send("POST", "/v1/check", 200, json=check(attribution={"agent": "slow", "team": "openapi"}))
    send("POST", "/v1/check", 429, json=check(attribution={"agent": "slow", "team": "openapi"}))
    send("POST", "/v1/check", 400, json=check(max_output_tokens=1.5))
    send("POST", "/v1/check", 422, json=check(model="no-such-model"))
    send("GET", "/v1/audit", 200)
    send("GET", "/v1/audit.csv", 200)
    send("GET", "/v1/budgets", 200)
    send("GET", "/v1/budgets/team-total", 200, params={"team": "search"})
    send("GET", "/v1/budgets/no-such-budget", 404)
    send("POST", "/-/reload", 200)
    send("GET", "/v1/overrides", 409)
    send("GET", "/v1/approvals", 409)
    validate_all(openapi, send.exchanges)


def test_answers_with_keys_validate_against_the_description(keyed_server, openapi):
    keys = keyed_server.keys
    send = Recorder(keyed_server.url, keys["ops"])
    send("GET", "/v1/usage", 401, key=None)
    send("POST", "/v1/usage", 403, key=keys["reader"], json=event("oa-k1"))
    created = send("POST", "/v1/keys", 201, json={"name": "temp", "roles": ["ingest"], "expires": "1d"}).json()
    assert created["secret"].startswith("tw_")
    send("POST", "/v1/keys", 400, json={"name": "", "roles": ["superuser"]})
    send("POST", "/v1/keys", 409, json={"name": "temp", "roles": ["ingest"]})
    send("GET", "/v1/keys", 200)
    send("POST", "/v1/keys/temp/rotate", 201, json={"grace": "0s"})
    send("POST", "/v1/keys/temp/revoke", 200)
    send("POST", "/v1/keys/nobody/revoke", 404)
    override = send("POST", "/v1/overrides", 201, key=keys["agent"],
                    json={"budget": "team-total", "instance": {"team": "search"}, "change": "+5.00 USD",
                          "for": "1h", "reason": "launch"}).json()
    send("GET", "/v1/overrides", 200, params={"status": "pending"})
    send("POST", f"/v1/overrides/{override['id']}/approve", 200)
    send("POST", f"/v1/overrides/{override['id']}/approve", 409)
    send("POST", f"/v1/overrides/{override['id']}/revoke", 200)
    send("POST", "/v1/overrides/ovr_0000000000000000/reject", 404)
    refused = send("POST", "/v1/check", 403, key=keys["agent"],
                   json=check(model="claude-opus-4-5", provider="anthropic", attribution={"org": "acme", "team": "interns"})).json()
    approval = refused["approval"]["id"]
    send("GET", "/v1/approvals", 200, params={"status": "pending"})
    send("POST", f"/v1/approvals/{approval}/approve", 200, json={"uses": 1, "for": "1h"})
    send("POST", f"/v1/approvals/{approval}/reject", 409)
    send("POST", "/v1/check", 200, key=keys["agent"],
         json=check(model="claude-opus-4-5", provider="anthropic", attribution={"org": "acme", "team": "interns"},
                    approval_id=approval))
    send("POST", "/-/reload", 403, key=keys["agent"])
    validate_all(openapi, send.exchanges)


def test_a_field_the_description_does_not_allow_fails_validation(openapi):
    # The check itself must be able to fail: an answer with an undescribed member is refused.
    request = httpx.Request("POST", DESCRIBED_HOST + "/v1/usage", json=event("x"))
    response = httpx.Response(200, json={"results": [{"id": "x", "cost": "0.0035", "currency": "USD",
                                                      "duplicate": False, "colour": "blue"}]}, request=request)
    with pytest.raises(Exception):
        openapi.validate_response(RecordedRequest(request), RecordedResponse(response))
