"""LiteLLM calls in mock-response mode, logged by LiteLLM's own code to TokenWarden.

Used by the end-to-end tests: the payloads TokenWarden receives are the standard logging objects
that the installed `litellm` builds and that its generic API logger (the proxy's `generic_api`
callback) posts, not hand-written JSON. No provider is called: each call's response, usage
included, is given as LiteLLM's `mock_response`.

    python3 litellm_calls.py CALLS_JSON --endpoint URL [--key KEY] [--format json_array|ndjson|single]
    python3 litellm_calls.py CALLS_JSON --capture

CALLS_JSON is a list of calls: {"model": "gpt-4o" | "anthropic/claude-sonnet-4-5", "usage": {...},
"metadata": {...}, "fail": false}. `usage` is OpenAI's usage object for OpenAI models and Anthropic's
raw usage object for Anthropic models (turned into LiteLLM's usage by LiteLLM's own Anthropic code).
Prints one JSON line per POST the logger made ({"status": ..., "body": ...}), or with --capture the
standard logging objects themselves, one per line.
"""

import argparse
import asyncio
import json
import os
import sys

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"

import litellm  # noqa: E402
from litellm.integrations.custom_logger import CustomLogger  # noqa: E402
from litellm.integrations.generic_api.generic_api_callback import GenericAPILogger  # noqa: E402
from litellm.llms.anthropic.chat.transformation import AnthropicConfig  # noqa: E402
from litellm.types.utils import ModelResponse, Usage  # noqa: E402


class RecordingLogger(GenericAPILogger):
    """The generic API logger, remembering what TokenWarden answered to each POST."""

    answers = []

    async def _post_with_retries(self, data):
        try:
            response = await super()._post_with_retries(data)
            RecordingLogger.answers.append({"status": response.status_code, "body": response.text})
            return response
        except Exception as error:  # httpx raises for 4xx/5xx answers
            response = getattr(error, "response", None)
            RecordingLogger.answers.append(
                {"status": getattr(response, "status_code", None), "body": getattr(response, "text", str(error))}
            )
            raise


class Capture(CustomLogger):
    payloads = []

    async def async_log_success_event(self, kwargs, response_obj, start_time, end_time):
        Capture.payloads.append(kwargs["standard_logging_object"])

    async def async_log_failure_event(self, kwargs, response_obj, start_time, end_time):
        Capture.payloads.append(kwargs["standard_logging_object"])


def mock_response(call):
    model = call["model"]
    if model.startswith("anthropic/"):
        usage = AnthropicConfig().calculate_usage(call["usage"], None)
    else:
        usage = Usage(**call["usage"])
    return ModelResponse(
        choices=[{"message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
        usage=usage,
        model=model.split("/", 1)[-1],
    )


async def run(calls, logger, expected):
    for call in calls:
        response = Exception("provider unavailable") if call.get("fail") else mock_response(call)
        try:
            await litellm.acompletion(
                model=call["model"],
                messages=[{"role": "user", "content": "hello"}],
                mock_response=response,
                metadata=call.get("metadata", {}),
            )
        except Exception:
            if not call.get("fail"):
                raise
    # LiteLLM logs in the background: wait until every call has been logged.
    queue = logger.log_queue if isinstance(logger, GenericAPILogger) else Capture.payloads
    for _ in range(200):
        if len(queue) >= expected:
            break
        await asyncio.sleep(0.05)
    if len(queue) < expected:
        sys.exit(f"LiteLLM logged {len(queue)} of {expected} calls")
    if isinstance(logger, GenericAPILogger):
        await logger.flush_queue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("calls")
    parser.add_argument("--endpoint")
    parser.add_argument("--key")
    parser.add_argument("--format", default="json_array")
    parser.add_argument("--capture", action="store_true")
    arguments = parser.parse_args()
    calls = json.loads(arguments.calls)

    async def start():
        if arguments.capture:
            logger = Capture()
        else:
            headers = {"Authorization": f"Bearer {arguments.key}"} if arguments.key else {}
            logger = RecordingLogger(endpoint=arguments.endpoint, headers=headers, log_format=arguments.format)
        litellm.callbacks = [logger]
        await run(calls, logger, expected=len(calls))

    asyncio.run(start())
    lines = Capture.payloads if arguments.capture else RecordingLogger.answers
    for line in lines:
        print(json.dumps(line, default=str))


if __name__ == "__main__":
    main()
