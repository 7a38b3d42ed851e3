#!/usr/bin/env python3
"""Writes media-prices.json: the embedding, image and audio entries listed below, copied byte for
byte (in catalog order) from a LiteLLM model_prices_and_context_window.json, as trim.py does.

    python3 trim-media.py path/to/model_prices_and_context_window.json > media-prices.json
"""
from importlib.machinery import SourceFileLoader
from pathlib import Path

trim = SourceFileLoader("trim", str(Path(__file__).with_name("trim.py"))).load_module()

# Why each entry is here: what the importer and the cost rule do with it.
SELECTED = [
    "text-embedding-3-small",                  # embedding: input tokens, output 0
    "whisper-1",                               # per second of audio in and out, no token prices
    "gpt-4o-mini-transcribe",                  # audio-token and per-second input prices
    "gpt-4o-audio-preview-2024-12-17",         # chat with audio-token prices
    "gpt-realtime",                            # realtime: audio tokens; cached-audio prices ignored
    "tts-1",                                   # per character: skipped
    "gpt-image-1",                             # image tokens; its per-image prices come from the keys below
    "low/1024-x-1024/gpt-image-1",             # per image by quality and size
    "medium/1024-x-1024/gpt-image-1",
    "high/1024-x-1024/gpt-image-1",
    "high/1024-x-1536/gpt-image-1",
    "azure/hd/1024-x-1024/dall-e-3",           # per pixel only; no azure/dall-e-3 entry of its own
    "azure/standard/1024-x-1024/dall-e-3",
    "gemini/imagen-3.0-generate-001",          # one per-image price for any size and quality
]


def main():
    trim.write_selection(SELECTED, __doc__)


if __name__ == "__main__":
    main()
