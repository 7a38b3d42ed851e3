import WardenCore
import Yams

extension NotificationSettings {
    /// Reads the `notifications:` mapping strictly: every problem is reported at its `file:line:col`.
    static func parse(_ object: YAMLObject) -> NotificationSettings {
        let diagnostics = object.diagnostics
        var settings = NotificationSettings()
        settings.outboxLimit = object.integer("outbox_limit", in: 1...10_000_000) ?? settings.outboxLimit
        settings.maxBackoff = object.duration("max_backoff", from: "1s", to: "1h", example: "5m") ?? settings.maxBackoff
        var names: Set<String> = []
        for receiver in object.objectList("receivers") ?? [] {
            let parsed = parseReceiver(receiver)
            if let name = receiver.node.mapping?["name"]?.string, !names.insert(name).inserted {
                diagnostics.error("\(receiver.path).name \"\(name)\" is used by an earlier receiver; names must be unique",
                                  at: receiver.value("name"))
                continue
            }
            if let parsed { settings.receivers.append(parsed) }
        }
        object.rejectUnknownKeys()
        return settings
    }

    private static func parseReceiver(_ object: YAMLObject) -> NotificationReceiver? {
        let diagnostics = object.diagnostics
        let name = object.string("name", required: true)
        if let name, !isValidName(name) {
            diagnostics.error("\(object.child("name")) must be letters, digits, '-', '_' or '.', not \"\(name)\"", at: object.value("name"))
        }
        var targets: [NotificationReceiver.Target] = []
        if let webhook = object.object("webhook") {
            let url = parseURL(webhook)
            let inline = webhook.string("secret")
            let file = webhook.string("secret_file")
            var secret: NotificationReceiver.Secret?
            switch (inline, file) {
            case (let text?, nil):
                if text.isEmpty { diagnostics.error("\(webhook.child("secret")) must not be empty", at: webhook.value("secret")) }
                secret = .inline(text)
            case (nil, let path?):
                if path.isEmpty { diagnostics.error("\(webhook.child("secret_file")) must not be empty", at: webhook.value("secret_file")) }
                secret = .file(path)
            case (.some, .some):
                diagnostics.error("\(webhook.path) has both secret and secret_file; give one", at: webhook.value("secret_file"))
            case (nil, nil):
                diagnostics.error("\(webhook.path) needs a secret or a secret_file: every delivery is signed", at: webhook.node)
            }
            webhook.rejectUnknownKeys()
            if let url, let secret { targets.append(.webhook(url: url, secret: secret)) }
        }
        if let alertmanager = object.object("alertmanager") {
            let url = parseURL(alertmanager)
            alertmanager.rejectUnknownKeys()
            if let url { targets.append(.alertmanager(url: url)) }
        }
        let toAlertmanager = object.node.mapping?["alertmanager"] != nil
        var events = toAlertmanager ? NotificationSettings.alertmanagerDefaultEvents : NotificationSettings.defaultEvents
        if let sequence = object.list("events") {
            var chosen: Set<String> = []
            for (index, item) in sequence.enumerated() {
                guard case .scalar(let scalar) = item else {
                    diagnostics.error(YAMLMessage.wrongType("\(object.child("events"))[\(index)]", "a single value", found: item), at: item)
                    continue
                }
                if toAlertmanager && NotificationSettings.stateEvents.contains(scalar.string) {
                    diagnostics.error("\(object.child("events"))[\(index)] \"\(scalar.string)\" is not sent to Alertmanager: Prometheus's "
                                      + "budget alerts (Dashboards/prometheus/tokenwarden-alerts.yml) own budget steps; a webhook can take it", at: item)
                } else if NotificationSettings.knownEvents.contains(scalar.string) {
                    chosen.insert(scalar.string)
                } else {
                    let known = NotificationSettings.knownEvents.joined(separator: ", ")
                    diagnostics.error("\(object.child("events"))[\(index)] \"\(scalar.string)\" is not an event (known: \(known))", at: item)
                }
            }
            if sequence.isEmpty {
                diagnostics.error("\(object.child("events")) must not be empty (leave it out for every event)", at: object.value("events"))
            }
            events = NotificationSettings.knownEvents.filter(chosen.contains)
        }
        object.rejectUnknownKeys()
        let hasWebhook = object.node.mapping?["webhook"] != nil
        let hasAlertmanager = object.node.mapping?["alertmanager"] != nil
        if hasWebhook == hasAlertmanager {
            diagnostics.error("\(object.path) needs exactly one of webhook or alertmanager", at: object.node)
            return nil
        }
        guard let name, isValidName(name), let target = targets.first else { return nil }
        return NotificationReceiver(name: name, target: target, events: events)
    }

    /// `http://` or `https://` with a host; anything else is a typo worth stopping for.
    private static func parseURL(_ object: YAMLObject) -> String? {
        guard let url = object.string("url", required: true), let node = object.value("url") else { return nil }
        for scheme in ["http://", "https://"] where url.hasPrefix(scheme) {
            let rest = url.dropFirst(scheme.count)
            let host = rest.prefix { $0 != "/" && $0 != ":" && $0 != "?" }
            if !host.isEmpty && !url.contains(" ") { return url }
        }
        object.diagnostics.error("\(object.child("url")) must be an http:// or https:// URL with a host, not \"\(url)\"", at: node)
        return nil
    }

    private static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "-_.".unicodeScalars.contains($0) }
    }
}
