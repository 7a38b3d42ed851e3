"""Spans made with the OpenTelemetry Python SDK and sent by its OTLP/HTTP exporter (protobuf).

Used by the end-to-end tests, so that what TokenWarden decodes is what the real exporter sends.

    python3 otlp_spans.py SPEC_JSON --endpoint URL/v1/traces [--key KEY] [--gzip] [--times N]

SPEC_JSON: {"resource": {"service.name": "..."}, "spans": [{"name": "...", "attributes": {...}}]}.
The spans are made in one trace, finished, and exported N times (default once) in one batch
each. Prints {"results": ["SUCCESS", ...], "spans": [{"name", "trace_id", "span_id", "end"}]}.
"""

import argparse
import json

from opentelemetry.exporter.otlp.proto.http import Compression
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("spec")
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--key")
    parser.add_argument("--gzip", action="store_true")
    parser.add_argument("--times", type=int, default=1)
    arguments = parser.parse_args()
    spec = json.loads(arguments.spec)

    memory = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create(spec.get("resource", {})))
    provider.add_span_processor(SimpleSpanProcessor(memory))
    tracer = provider.get_tracer("tokenwarden-tests")
    with tracer.start_as_current_span("agent run"):
        for span in spec["spans"]:
            with tracer.start_as_current_span(span["name"], attributes=span.get("attributes", {})):
                pass
    spans = memory.get_finished_spans()

    exporter = OTLPSpanExporter(
        endpoint=arguments.endpoint,
        headers={"Authorization": f"Bearer {arguments.key}"} if arguments.key else None,
        compression=Compression.Gzip if arguments.gzip else Compression.NoCompression,
        timeout=30,
    )
    results = [exporter.export(spans).name for _ in range(arguments.times)]
    exporter.shutdown()
    print(json.dumps({
        "results": results,
        "spans": [
            {
                "name": span.name,
                "trace_id": format(span.context.trace_id, "032x"),
                "span_id": format(span.context.span_id, "016x"),
                "end": span.end_time,
            }
            for span in spans
        ],
    }))


if __name__ == "__main__":
    main()
