import WardenCore

extension Decision {
    /// 200 for allow and warn, 429 for throttle, 403 for deny and require_approval.
    var httpStatus: Int {
        switch self {
        case .allow, .warn: 200
        case .throttle: 429
        case .requireApproval, .deny: 403
        }
    }
}
