"""Canned provider answers, served through httpx.MockTransport to the real SDK clients (their
own parsing builds the response objects), or over a local HTTP server for the docs' examples."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

CHAT = {"id": "chatcmpl-1", "object": "chat.completion", "created": 1_700_000_000, "model": "gpt-4o",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hello."}}],
        "usage": {"prompt_tokens": 2000, "completion_tokens": 300, "total_tokens": 2300,
                  "prompt_tokens_details": {"cached_tokens": 1500, "cache_write_tokens": 0},
                  "completion_tokens_details": {"reasoning_tokens": 0}}}
RESPONSE = {"id": "resp_1", "object": "response", "created_at": 1_700_000_000, "model": "o3-mini", "output": [],
            "parallel_tool_calls": True, "tool_choice": "auto", "tools": [], "status": "completed",
            "usage": {"input_tokens": 3000, "output_tokens": 1200, "total_tokens": 4200,
                      "input_tokens_details": {"cached_tokens": 2048, "cache_write_tokens": 0},
                      "output_tokens_details": {"reasoning_tokens": 1000}}}
MESSAGE = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
           "content": [{"type": "text", "text": "Hello."}], "stop_reason": "end_turn", "stop_sequence": None,
           "usage": {"input_tokens": 3000, "output_tokens": 500, "cache_read_input_tokens": 1000,
                     "cache_creation_input_tokens": 200}}

ANSWERS = {"/chat/completions": CHAT, "/responses": RESPONSE, "/messages": MESSAGE}


def answer(path: str):
    for suffix, body in ANSWERS.items():
        if path.endswith(suffix):
            return body
    return None


def transport(failing: bool = False, module=httpx):
    """A mock transport of ``module`` (httpx, or httpx2 for the Anthropic SDK, which uses that)."""
    def handle(request):
        if failing:
            return module.Response(400, json={"error": {"message": "bad request", "type": "invalid_request_error"}})
        body = answer(request.url.path)
        return module.Response(200, json=body) if body else module.Response(404, json={"error": "no such path"})
    return module.MockTransport(handle)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = answer(self.path)
        data = json.dumps(body or {"error": "no such path"}).encode()
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class FakeProviderServer:
    """OpenAI- and Anthropic-shaped answers on a loopback port (``url``)."""

    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
