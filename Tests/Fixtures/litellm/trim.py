#!/usr/bin/env python3
"""Writes model-prices-trimmed.json: the entries listed below, copied byte for byte (in catalog
order) from a LiteLLM model_prices_and_context_window.json given as the only argument.

    python3 trim.py path/to/model_prices_and_context_window.json > model-prices-trimmed.json

Entries are copied as their JSON text, never re-serialised, so every price keeps the digits the
catalog wrote (float artefacts included). A listed entry missing from the catalog is an error.
"""
import json
import sys
from json.decoder import scanstring

# Why each entry is here: what the importer does with it.
SELECTED = [
    # Skipped before prices are read.
    "sample_spec",                                  # the catalog's own documentation entry
    "fallback_generalizations",                     # an object without litellm_provider
    "fireworks-ai-default",                         # no mode
    "text-embedding-3-small",                       # mode embedding
    "mistral/mistral-embed",                        # mode embedding, a provider that also has chat entries
    "gpt-image-1",                                  # mode image_generation
    "azure/low/1024-x-1536/gpt-image-1-mini",       # image_generation with a float artefact: never rounded, never reported
    "fal_ai/fal-ai/flux/dev",                       # image_generation priced per pixel
    "whisper-1",                                    # mode audio_transcription
    "tts-1",                                        # mode audio_speech
    "gpt-realtime",                                 # mode realtime
    "omni-moderation-latest",                       # mode moderation
    "mistral/mistral-moderation-2603",              # mode moderation
    "cohere.rerank-v3-5:0",                         # mode rerank
    # Chat entries skipped for their prices.
    "deepseek-v4-flash",                            # off_peak_pricing
    "deepseek/deepseek-v4-flash",                   # off_peak_pricing
    "dashscope/qwen-flash",                         # tiered_pricing (a size-range table)
    "dashscope/qwen-plus-latest",                   # tiered_pricing
    "perplexity/pplx-70b-online",                   # a per-request price
    "bedrock/*/1-month-commitment/cohere.command-text-v14",  # per-second prices
    "vertex_ai/gemini-2.0-flash",                   # a per-character price
    "medlm-large",                                  # a per-character price
    "twelvelabs.pegasus-1-2-v1:0",                  # chat without input_cost_per_token
    "dashscope/qwen3-30b-a3b",                      # chat without input_cost_per_token
    # Imported: plain prices, cache prices, reasoning.
    "gpt-4o",                                       # cache read; service-tier prices ignored
    "gpt-4o-mini",                                  # a built-in tool charge ignored
    "o3",
    "gpt-3.5-turbo-instruct",                       # mode completion
    "o1-pro",                                       # mode responses
    "gpt-5-codex",                                  # mode responses
    "azure/gpt-4o",
    "azure/gpt-audio",                              # audio prices ignored
    "claude-sonnet-4-5",                            # cache creation; 1-hour cache writes ignored
    "claude-opus-4-6",                              # a regional uplift multiplier ignored
    "anthropic.claude-3-5-haiku-20241022-v1:0",     # bedrock
    "deepseek/deepseek-chat",                       # input_cost_per_token_cache_hit as the cache-read price
    "dashscope/qwen-turbo",                         # output_cost_per_reasoning_token
    "dashscope/qwen3.7-max",                        # explicit-cache read price ignored
    "gemini/gemini-2.5-flash",                      # reasoning price, media prices ignored
    "mistral/mistral-large-latest",
    "mistral/mistral-medium-latest",
    "mistral/mistral-small-latest",
    "mistral/codestral-latest",
    "mistral/magistral-medium-latest",
    # Imported with tiers (*_above_<N>[k]_tokens).
    "claude-haiku-5-5",                             # above 100k, cache read and creation tiers
    "gemini/gemma-3-27b-it",                        # above 128k; a zero per-character price does not skip it
    "gemini/gemini-2.5-pro",                        # above 200k, cache read tier
    "gemini-2.5-pro",                               # vertex_ai-language-models, above 200k with a cache-creation tier
    "vertex_ai/claude-sonnet-4-5",                  # vertex_ai-anthropic_models, above 200k
    "anthropic.claude-sonnet-4-20250514-v1:0",      # bedrock_converse, above 200k
    "azure_ai/gpt-5.5",                             # above 272k
    "kyma/qwen3.7-flash",                           # two tiers: above 32k and above 256k
    "minimax/MiniMax-M3",                           # above 512k
    # Imported with a price of more than 18 decimals (rounded and reported).
    "databricks/databricks-claude-sonnet-4-1",      # 2.9999900000000002e-06; Databricks DBU prices ignored
    "databricks/databricks-gemini-2-5-flash",       # 3.0001999999999996e-07
    "bigmodel/glm-5.3",                             # 1.1428571428571428e-06 (8/7 USD per million)
    "novita/deepseek/deepseek-v4-pro",              # 1.6000000000000001e-06
]


def entries(text):
    """(key, raw JSON text of the value) for each member of the top-level object."""
    decoder = json.JSONDecoder()
    space = " \t\r\n"
    index = text.index("{") + 1
    while True:
        while text[index] in space:
            index += 1
        if text[index] == "}":
            return
        key, index = scanstring(text, index + 1)
        while text[index] in space:
            index += 1
        assert text[index] == ":", f"expected ':' at offset {index}"
        index += 1
        while text[index] in space:
            index += 1
        _, end = decoder.raw_decode(text, index)
        yield key, text[index:end]
        index = end
        while text[index] in space:
            index += 1
        if text[index] == ",":
            index += 1


def write_selection(selected, usage):
    """Writes the catalog entries named in `selected` (the catalog's path is the one argument)."""
    if len(sys.argv) != 2:
        sys.exit(usage)
    with open(sys.argv[1], encoding="utf-8") as catalog:
        text = catalog.read()
    wanted = set(selected)
    assert len(wanted) == len(selected), "an entry is listed twice"
    kept = [(key, raw) for key, raw in entries(text) if key in wanted]
    missing = wanted - {key for key, _ in kept}
    if missing:
        sys.exit(f"not in the catalog: {', '.join(sorted(missing))}")
    members = [f"    {json.dumps(key, ensure_ascii=False)}: {raw}" for key, raw in kept]
    sys.stdout.write("{\n" + ",\n".join(members) + "\n}\n")


def main():
    write_selection(SELECTED, __doc__)


if __name__ == "__main__":
    main()
