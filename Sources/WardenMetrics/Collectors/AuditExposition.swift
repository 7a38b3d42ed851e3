
/// `tokenwarden_audit_head_sequence`: the newest audit row's sequence number. Only the number:
/// a hash is no label value (every append would make a new series); the hash goes to the log
/// with the head, and `tokenwarden audit verify --expect-head` checks it.
public struct AuditExposition: MetricsCollector {
    let headSequence: @Sendable () -> Int64

    public init(headSequence: @escaping @Sendable () -> Int64) { self.headSequence = headSequence }

    public func write(into writer: inout ExpositionWriter) {
        writer.family("tokenwarden_audit_head_sequence", type: .gauge,
                      help: "Sequence number of the newest row of the audit hash chain (its hash is logged with it every audit.publish_head_every rows).")
        writer.sample("tokenwarden_audit_head_sequence", .empty, headSequence())
    }
}
