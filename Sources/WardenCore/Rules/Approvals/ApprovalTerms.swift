/// The rules of approvals apart from storage and identities: what an approver grants, who may
/// approve, which retry an approval lets through, and when a repeated check reuses a request.
public enum ApprovalTerms {
    /// Most uses one approval may grant.
    public static let maximumUses: Int64 = 1000

    /// What `{"uses": N, "for": "24h"}` grants when approving at `now`: `uses` (default 1, from 1
    /// to ``maximumUses``) retries until `for` from now (default `governance.approval_ttl`, from
    /// 1s to `governance.override_max_duration`).
    public static func grant(uses: Int64?, for duration: String?, at now: Timestamp,
                             settings: GovernanceSettings) -> Result<(uses: Int64, expiresAt: Timestamp), OverrideTerms.Problem> {
        let count = uses ?? 1
        guard count >= 1, count <= maximumUses else {
            return .failure(.init(field: "uses", message: "must be a whole number from 1 to \(maximumUses), not \(count)"))
        }
        var lifetime = settings.approvalTTL
        if let duration {
            guard let parsed = try? RuleDuration(parsing: duration), parsed.nanoseconds >= 1_000_000_000 else {
                return .failure(.init(field: "for", message: "must be a duration of at least 1s such as 24h, not \"\(duration)\""))
            }
            guard parsed <= settings.overrideMaxDuration else {
                return .failure(.init(field: "for", message: "\(duration) is longer than governance.override_max_duration (\(OverrideTerms.days(settings.overrideMaxDuration)))"))
            }
            lifetime = parsed
        }
        return .success((count, Timestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch.addingSaturating(lifetime.nanoseconds))))
    }

    /// Why `approverKey` may not approve `record`, or nil when it may: four eyes need a key (an
    /// offline action has none), and a key other than the one whose check asked.
    public static func approvalProblem(_ record: ApprovalRecord, approverKey: String?) -> String? {
        guard let approverKey else {
            return "an approval needs a second person's API key: approve it over the API (--url) with an approver key"
        }
        if record.requesterKey == approverKey {
            return "key \"\(approverKey)\" made the check behind approval \(record.id) and cannot approve it too: four eyes need another approver's key"
        }
        return nil
    }

    /// Why `record` does not let the check `request` of key `keyName` pass at `now`, or nil when
    /// it does: it must be approved, unexpired, with a use left, asked for by the same key, for
    /// the same model and attribution, and the retry's estimate must not exceed the approved one.
    public static func useProblem(_ record: ApprovalRecord, keyName: String, request: CheckRequest, at now: Timestamp) -> String? {
        let id = record.id
        guard record.requesterKey == keyName else {
            return "approval \(id) was requested by another key; only that key's checks may use it"
        }
        switch record.status {
        case .pending where record.isDue(at: now), .approved where record.isDue(at: now), .expired:
            return "approval \(id) has expired"
        case .pending: return "approval \(id) is still pending: another key with the approver role must approve it first"
        case .rejected: return "approval \(id) was rejected"
        case .used: return "approval \(id) is used up (\(record.used) of \(record.uses) uses taken)"
        case .approved: break
        }
        guard record.remainingUses > 0 else {
            return "approval \(id) is used up (\(record.used) of \(record.uses) uses taken)"
        }
        guard request.model == record.model, request.provider == record.provider else {
            return "approval \(id) was given for \(record.provider)/\(record.model), not \(request.provider)/\(request.model)"
        }
        guard labels(request.attribution) == record.attribution else {
            return "approval \(id) was given for attribution \(record.attributionText), not \(text(labels(request.attribution)))"
        }
        guard request.currency == record.currency else {
            return "approval \(id) was given for an estimate in \(record.currency), not \(request.currency)"
        }
        if request.estimatedCost > record.estimatedCost {
            return "the estimated cost \(request.estimatedCost.exactDecimal) \(request.currency) exceeds the \(record.estimatedCost.exactDecimal) \(record.currency) approval \(id) was given for"
        }
        if request.estimatedTokens > record.estimatedTokens {
            return "the estimated \(request.estimatedTokens) tokens exceed the \(record.estimatedTokens) tokens approval \(id) was given for"
        }
        return nil
    }

    /// Whether a check of key `keyName` that the `policies` refused repeats the pending request
    /// `record` (same key, policies, model and attribution, still within its window), so it is
    /// reused instead of a new request made for every retry.
    public static func repeats(_ record: ApprovalRecord, keyName: String, policies: [String], request: CheckRequest, at now: Timestamp) -> Bool {
        record.status == .pending && !record.isDue(at: now) && record.requesterKey == keyName && record.policies == policies
            && record.provider == request.provider && record.model == request.model && record.attribution == labels(request.attribution)
    }

    /// The `require_approval` policies that refused a check, in rule order.
    public static func refusingPolicies(_ outcome: CheckOutcome) -> [String] {
        outcome.reasons.compactMap { $0.kind == .policy && $0.decision == .requireApproval ? $0.rule : nil }
    }

    static func labels(_ attribution: Attribution) -> [AuditLabel] {
        attribution.labels.map { AuditLabel(key: $0.key, value: $0.value) }.sorted()
    }

    static func text(_ labels: [AuditLabel]) -> String {
        labels.isEmpty ? "(none)" : labels.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
