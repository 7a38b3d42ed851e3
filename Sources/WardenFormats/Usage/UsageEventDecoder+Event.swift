import WardenCore

/// The rules for one event: which fields exist, their types and bounds, and how they relate.
///
/// Every rule is checked and every failure recorded, so one response lists everything wrong with
/// the event. Within an event, errors come in the order the fields appear in the body, then
/// missing required fields, then the rules relating two fields (checked only when both fields
/// are themselves valid, so one mistake is not reported twice).
extension UsageEventDecoder.Batch {
    typealias Field = UsageEventDecoder.Field

    /// Validates the value on the tape (root at index 0) as event number ``eventCount`` and, if
    /// the whole batch is still error-free, appends the event.
    mutating func readEvent() {
        let root = nodes[0]
        guard root.kind == .object else {
            report("", "must be a JSON object")
            return
        }
        var seen: UInt32 = 0
        var invalid: UInt32 = 0
        var id: String?, provider: String?, model: String?, reservation: String?
        var time: Timestamp?
        var reusedAttribution: Attribution?
        var attributionNode: Int?
        var input: Int64 = 0, output: Int64 = 0, cacheRead: Int64 = 0, cacheCreation: Int64 = 0, reasoning: Int64 = 0
        var audioInput: Int64 = 0, audioOutput: Int64 = 0
        var media = MediaUsage()
        labels.removeAll(keepingCapacity: true)

        var member = 1
        for _ in 0..<root.count {
            let key = member
            let value = member + 1
            member = Int(nodes[value].next)
            guard let field = field(named: key) else {
                report(nodes[key].string(in: base), "unknown field")
                continue
            }
            guard seen & field.bit == 0 else {
                report(field.name, "duplicate field")
                invalid |= field.bit
                continue
            }
            seen |= field.bit
            var valid = true
            switch field {
            case .id: id = text(value, field.name); valid = id != nil
            case .provider: provider = text(value, field.name); valid = provider != nil
            case .model:
                if let repeated = lastModel.lookup(nodes[value], in: base) {
                    model = repeated
                } else {
                    model = text(value, field.name)
                    if let model { lastModel.remember(model, for: nodes[value]) }
                    valid = model != nil
                }
            case .reservation:
                if nodes[value].kind != .null { reservation = text(value, field.name); valid = reservation != nil }
            case .time:
                if nodes[value].kind != .null { time = timestamp(value); valid = time != nil }
            case .inputTokens: valid = tokenCount(value, field, into: &input)
            case .outputTokens: valid = tokenCount(value, field, into: &output)
            case .cacheReadInputTokens: valid = tokenCount(value, field, into: &cacheRead)
            case .cacheCreationInputTokens: valid = tokenCount(value, field, into: &cacheCreation)
            case .reasoningTokens: valid = tokenCount(value, field, into: &reasoning)
            case .audioInputTokens: valid = tokenCount(value, field, into: &audioInput)
            case .audioOutputTokens: valid = tokenCount(value, field, into: &audioOutput)
            case .images: valid = imageCount(value, into: &media.images)
            case .imageSize:
                if nodes[value].kind != .null { media.imageSize = text(value, field.name); valid = media.imageSize != nil }
            case .imageQuality:
                if nodes[value].kind != .null { media.imageQuality = text(value, field.name); valid = media.imageQuality != nil }
            case .audioInputSeconds: valid = seconds(value, field, into: &media.audioInputSeconds)
            case .audioOutputSeconds: valid = seconds(value, field, into: &media.audioOutputSeconds)
            case .attribution:
                if let repeated = lastAttribution.lookup(nodes[value], in: base) {
                    reusedAttribution = repeated
                } else {
                    attributionNode = value
                    valid = attribution(value)
                }
            }
            if !valid { invalid |= field.bit }
        }

        if seen & Field.requiredBits != Field.requiredBits {
            for field in Field.allCases where Field.requiredBits & field.bit != 0 && seen & field.bit == 0 {
                report(field.name, "is required")
            }
        }
        // A relation is checked only when each count in it is valid, or optional and absent.
        let usableBits = ~invalid & (seen | ~Field.requiredBits)
        let cacheBits = Field.inputTokens.bit | Field.cacheReadInputTokens.bit | Field.cacheCreationInputTokens.bit
        if usableBits & cacheBits == cacheBits, cacheRead + cacheCreation > input {
            report(Field.cacheReadInputTokens.name,
                   "cache_read_input_tokens (\(cacheRead)) + cache_creation_input_tokens (\(cacheCreation)) "
                   + "must not exceed input_tokens (\(input)), which counts cached tokens too")
        }
        let reasoningBits = Field.outputTokens.bit | Field.reasoningTokens.bit
        if usableBits & reasoningBits == reasoningBits, reasoning > output {
            report(Field.reasoningTokens.name,
                   "reasoning_tokens (\(reasoning)) must not exceed output_tokens (\(output)), which counts reasoning tokens too")
        }

        let audioInputBits = cacheBits | Field.audioInputTokens.bit
        // Only once the cache counts fit in the input, so one mistake is not reported twice.
        if usableBits & audioInputBits == audioInputBits, cacheRead + cacheCreation <= input,
           audioInput > input - cacheRead - cacheCreation {
            report(Field.audioInputTokens.name,
                   "audio_input_tokens (\(audioInput)) must not exceed input_tokens (\(input)) minus the cached tokens "
                   + "(\(cacheRead + cacheCreation)): it counts uncached audio tokens, cached ones are cache tokens")
        }
        let audioOutputBits = reasoningBits | Field.audioOutputTokens.bit
        if usableBits & audioOutputBits == audioOutputBits, reasoning <= output, audioOutput > output - reasoning {
            report(Field.audioOutputTokens.name,
                   "audio_output_tokens (\(audioOutput)) must not exceed output_tokens (\(output)) minus reasoning_tokens "
                   + "(\(reasoning)), which counts audio tokens too")
        }

        // Once any event has failed the batch will be rejected: stop building events.
        guard errors.isEmpty, let id, let provider, let model else { return }
        var labelSet = reusedAttribution ?? Attribution()
        if !labels.isEmpty {
            // Key indices follow the schema's sorted key list, so sorting them sorts the labels.
            labels.sort { $0.key < $1.key }
            for label in labels { labelSet[decoder.schema.allowedKeys[label.key]] = label.value }
            // Before the memo: a repeated attribution reuses the pseudonyms made once.
            decoder.pseudonymisation.apply(to: &labelSet)
            if let attributionNode { lastAttribution.remember(labelSet, for: nodes[attributionNode]) }
        }
        events.append(UsageEvent(
            id: id, time: time, provider: provider, model: model,
            tokens: TokenUsage(input: input, output: output, cacheRead: cacheRead,
                               cacheCreation: cacheCreation, reasoning: reasoning,
                               audioInput: audioInput, audioOutput: audioOutput),
            media: media, attribution: labelSet, reservation: reservation))
    }

    /// Records an error of the current event, up to ``UsageEventDecoder/maxReportedErrors``.
    private mutating func report(_ field: String, _ message: String) {
        guard errors.count < UsageEventDecoder.maxReportedErrors else {
            tooManyErrors = true
            return
        }
        errors.append(UsageValidationError(index: eventCount, field: field, message: message))
    }

    private func field(named key: Int) -> Field? {
        let node = nodes[key]
        if node.isEscaped { return Field.named(node.string(in: base)) }
        return Field.named(UnsafeBufferPointer(start: base + Int(node.start), count: node.byteCount))
    }

    /// A text field meeting ``InputBounds/textProblem(_:)-(UnsafeBufferPointer<UInt8>)``.
    private mutating func text(_ value: Int, _ field: @autoclosure () -> String) -> String? {
        let node = nodes[value]
        guard node.kind == .string else {
            report(field(), "must be a string")
            return nil
        }
        // Unescaped text is checked before it is copied; escaped text only once decoded (an
        // escape is the only way a control character can get into a JSON string).
        if !node.isEscaped {
            if let problem = InputBounds.textProblem(UnsafeBufferPointer(start: base + Int(node.start), count: node.byteCount)) {
                report(field(), problem)
                return nil
            }
            return node.string(in: base)
        }
        let decoded = node.string(in: base)
        if let problem = InputBounds.textProblem(decoded) {
            report(field(), problem)
            return nil
        }
        return decoded
    }

    /// A token count (``InputBounds/tokenCount(_:)``). `null` leaves an optional count at its
    /// default of 0 and is a type error for a required one.
    private mutating func tokenCount(_ value: Int, _ field: Field, into count: inout Int64) -> Bool {
        let node = nodes[value]
        if node.kind == .null && Field.requiredBits & field.bit == 0 { return true }
        guard node.kind == .number else {
            report(field.name, InputBounds.TokenCountProblem.notANumber.description)
            return false
        }
        // Fast path for the usual case, plain digits well inside the cap.
        if node.isPlainInteger && node.byteCount <= 12 && base[Int(node.start)] != UInt8(ascii: "-") {
            var number: Int64 = 0
            for offset in Int(node.start)..<Int(node.end) { number = number * 10 + Int64(base[offset] &- UInt8(ascii: "0")) }
            count = number
            return true
        }
        let text = UnsafeBufferPointer(start: base + Int(node.start), count: node.byteCount)
        switch InputBounds.tokenCount(JSONIntegerReading(numberText: text)) {
        case .success(let number):
            count = number
            return true
        case .failure(let problem):
            report(field.name, problem.description)
            return false
        }
    }

    /// A number of images: a whole number within the token-count bounds (``InputBounds``).
    private mutating func imageCount(_ value: Int, into count: inout Int64) -> Bool {
        let node = nodes[value]
        if node.kind == .null { return true }
        guard node.kind == .number else {
            report(Field.images.name, "must be a whole number of images")
            return false
        }
        let text = UnsafeBufferPointer(start: base + Int(node.start), count: node.byteCount)
        switch InputBounds.tokenCount(JSONIntegerReading(numberText: text)) {
        case .success(let number):
            count = number
            return true
        case .failure(let problem):
            report(Field.images.name, MediaUsage.imagesProblem(problem))
            return false
        }
    }

    /// A duration in seconds, a JSON number or a string holding one, read exactly from its
    /// decimal text (never through a float); at most 6 decimals.
    private mutating func seconds(_ value: Int, _ field: Field, into duration: inout MediaSeconds) -> Bool {
        let node = nodes[value]
        if node.kind == .null { return true }
        let result: Result<MediaSeconds, MediaSeconds.ParseProblem>
        switch node.kind {
        case .number: result = MediaSeconds.parse(UnsafeBufferPointer(start: base + Int(node.start), count: node.byteCount))
        case .string: result = MediaSeconds.parse(node.string(in: base))
        default: result = .failure(.notADecimal)
        }
        switch result {
        case .success(let parsed):
            duration = parsed
            return true
        case .failure(let problem):
            report(field.name, problem.description)
            return false
        }
    }

    /// An RFC 3339 time within the years `Timestamp` can hold.
    private mutating func timestamp(_ value: Int) -> Timestamp? {
        let node = nodes[value]
        guard node.kind == .string else {
            report(Field.time.name, "must be a string")
            return nil
        }
        let text = node.string(in: base)
        // Checked before parsing: outside these years nanoseconds since 1970 overflow Int64.
        var year = 0, digits = 0
        for byte in text.utf8 {
            guard digits < 4, JSONParser.isDigit(byte) else { break }
            year = year * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        if digits == 4 && !(1678...2261).contains(year) {
            report(Field.time.name, "must be between the years 1678 and 2261")
            return nil
        }
        do {
            return try Timestamp(rfc3339: text)
        } catch {
            report(Field.time.name, error.description)
            return nil
        }
    }

    /// An object of label values under keys the schema allows; fills ``labels``.
    private mutating func attribution(_ value: Int) -> Bool {
        let object = nodes[value]
        if object.kind == .null { return true }
        guard object.kind == .object else {
            report(Field.attribution.name, "must be an object")
            return false
        }
        let before = errors.count
        var member = value + 1
        var totalBytes = 0
        for _ in 0..<object.count {
            let key = member
            let labelValue = member + 1
            member = Int(nodes[labelValue].next)
            guard let keyIndex = attributionKey(key) else {
                let name = nodes[key].string(in: base)
                report("attribution.\(name)",
                       "unknown attribution key \"\(name)\"; allowed keys: \(decoder.allowedKeyList)")
                continue
            }
            let name = decoder.schema.allowedKeys[keyIndex]
            guard !labels.contains(where: { $0.key == keyIndex }) else {
                report("attribution.\(name)", "duplicate key")
                continue
            }
            if let text = text(labelValue, "attribution.\(name)") {
                labels.append((keyIndex, text))
                totalBytes += name.utf8.count + text.utf8.count
            } else {
                labels.append((keyIndex, ""))  // remembered only so a repeat is still a duplicate
            }
        }
        if totalBytes > decoder.maxAttributionBytes {
            report(Field.attribution.name, InputBounds.attributionSizeProblem(totalBytes, limit: decoder.maxAttributionBytes))
        }
        return errors.count == before
    }

    /// The index in `schema.allowedKeys` of the key at tape index `key`, matched on bytes.
    private func attributionKey(_ key: Int) -> Int? {
        let node = nodes[key]
        if node.isEscaped {
            let name = node.string(in: base)
            return decoder.schema.allowedKeys.firstIndex(of: name)
        }
        let key = base + Int(node.start)
        let count = node.byteCount
        return decoder.attributionKeyBytes.withUnsafeBufferPointer { keys in
            for (index, range) in decoder.attributionKeyRanges.enumerated()
            where range.count == count && JSONBytes.equal(keys.baseAddress! + range.lowerBound, key, count: count) {
                return index
            }
            return nil
        }
    }
}
