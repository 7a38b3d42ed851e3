import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// POSTs a body and reports the status, synchronously: each receiver's dispatcher runs on its
/// own thread and delivers one request at a time, so blocking is the simple, correct shape here.
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

    func post(_ url: URL, body: [UInt8], headers: [(String, String)]) -> Outcome {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.timeoutInterval = timeout
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let result = Mutex<Outcome>(.failed("no answer"))
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { _, response, error in
            if let error {
                result.withLock { $0 = .failed("\(error.localizedDescription)") }
            } else if let http = response as? HTTPURLResponse {
                result.withLock { $0 = .status(http.statusCode) }
            }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout + 5) == .timedOut {
            task.cancel()
            return .failed("no answer within \(Int(timeout)) s")
        }
        return result.withLock { $0 }
    }
}
