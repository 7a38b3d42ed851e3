/// Request bodies the in-process route tests send. Prices are ``InProcessWarden/pricing``:
/// gpt-4o at 2.50/M input and 10.00/M output, so 1000 in + 100 out cost 0.0035 USD.

/// One usage event as JSON.
func usageEvent(_ id: String, model: String = "gpt-4o", input: Int = 1000, output: Int = 100, team: String = "search",
                reservation: String? = nil) -> String {
    let reservationField = reservation.map { #","reservation":"\#($0)""# } ?? ""
    return """
        {"id":"\(id)","provider":"openai","model":"\(model)","input_tokens":\(input),"output_tokens":\(output),\
        "attribution":{"org":"acme","team":"\(team)"}\(reservationField)}
        """
}

/// A `/v1/check` body; 1000 in + 1000 out of gpt-4o are estimated at 0.0125 USD.
func checkRequest(team: String = "search", model: String = "gpt-4o", input: Int = 1000, output: Int = 1000,
                  extra: String = "") -> String {
    """
    {"provider":"openai","model":"\(model)","estimated_input_tokens":\(input),"max_output_tokens":\(output),\
    "attribution":{"org":"acme","team":"\(team)"}\(extra)}
    """
}
