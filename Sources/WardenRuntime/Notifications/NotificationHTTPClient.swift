import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// POSTs a body and reports the status. Each receiver's dispatcher delivers one request at a
/// time, and a shutdown cancels the request in flight (the item stays queued and is sent again).
struct NotificationHTTPClient: Sendable {
    let session: URLSession
    let timeout: TimeInterval

    init(timeout: TimeInterval = 10) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpMaximumConnectionsPerHost = 2
        session = URLSession(configuration: configuration)
        self.timeout = timeout
    }

    enum Outcome: Sendable, Equatable {
        case status(Int)
        case failed(String)

        var isSuccess: Bool { if case .status(let code) = self { (200..<300).contains(code) } else { false } }

        var description: String {
            switch self {
            case .status(let code): "HTTP \(code)"
            case .failed(let message): message
            }
        }
    }

    func post(_ url: URL, body: [UInt8], headers: [(String, String)]) async -> Outcome {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.timeoutInterval = timeout
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        do {
            let (_, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else { return .failed("not an HTTP answer") }
            return .status(http.statusCode)
        } catch {
            return .failed(error.localizedDescription)
        }
    }
}
