/// LiteLLM standard logging payloads for the in-process route tests, shaped as LiteLLM 1.110 sends
/// them: the fields TokenWarden reads among many it does not, including a slice of the model's
/// cost-map entry (`model_map_information`) with every kind of JSON value. Prices are
/// ``InProcessWarden/pricing``: 1000 prompt + 100 completion tokens of gpt-4o cost 0.0035 USD.
func litellmPayload(_ id: String, model: String = "gpt-4o", prompt: String = "1000", completion: String = "100",
                    cachedTokens: Int? = nil, team: String = "search", status: String = "success",
                    extra: String = "") -> String {
    let cached = cachedTokens.map { #","prompt_tokens_details":{"audio_tokens":null,"cached_tokens":\#($0)}"# } ?? ""
    return #"{"id":"\#(id)","litellm_call_id":"267d8452-c041-4648-a1fe-4485b9fe2a07","call_type":"acompletion","#
        + #""cache_hit":null,"stream":false,"status":"\#(status)","custom_llm_provider":"openai","saved_cache_cost":0.0,"#
        + #""startTime":1796533135.820083,"endTime":1796533136.016801,"model":"\#(model)","#
        + #""metadata":{"user_api_key_hash":null,"user_api_key_alias":"support-bot","user_api_key_team_alias":"\#(team)","#
        + #""applied_guardrails":[],"usage_object":{"completion_tokens":\#(completion),"prompt_tokens":\#(prompt),"#
        + #""completion_tokens_details":{"reasoning_tokens":0}\#(cached)}},"#
        + #""response_cost":0.0035,"total_tokens":1100,"prompt_tokens":\#(prompt),"completion_tokens":\#(completion),"#
        + #""end_user":"u-42","messages":[{"role":"user","content":"h\u00e9llo \"quoted\" \ud83d\ude00 caf\#u{e9}"}],"#
        + #""model_map_information":{"model_map_key":"gpt-4o","model_map_value":{"key":"gpt-4o","max_tokens":16384,"#
        + #""input_cost_per_token":2.5e-06,"output_cost_per_token":1E-5,"fedramp_uplift_multiplier":-1.1,"#
        + #""supports_vision":true,"supports_audio_input":false,"tiered_pricing":null,"#
        + #""supported_openai_params":["frequency_penalty","logit_bias",["nested",{"deep":[[]]}],{}]}}"#
        + extra + "}"
}

/// A JSON array of payloads, as LiteLLM's generic logger sends a batch by default.
func litellmBatch(_ payloads: String...) -> String { "[" + payloads.joined(separator: ",") + "]" }
