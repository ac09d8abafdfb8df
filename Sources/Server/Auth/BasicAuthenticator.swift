import Foundation
import Synchronization

/// Checks HTTP Basic credentials against the configured users.
final class BasicAuthenticator: Sendable {
    private let users: [String: PasswordHash]
    /// Authorization header values already verified, so PBKDF2 runs once per client, not per request.
    private let verified = Mutex<Set<String>>([])
    private static let cacheLimit = 1024

    init(users: [String: PasswordHash]) {
        self.users = users
    }

    /// true when `header` carries a configured user's correct password.
    func isAuthorized(_ header: String?) -> Bool {
        guard let header, header.lowercased().hasPrefix("basic ") else { return false }
        if verified.withLock({ $0.contains(header) }) { return true }
        guard let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return false }
        let user = String(text[..<colon]), password = String(text[text.index(after: colon)...])
        guard let hash = users[user], hash.verify(password) else { return false }
        verified.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll() }
            cache.insert(header)
        }
        return true
    }
}
