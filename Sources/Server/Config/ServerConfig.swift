import Core
import Foundation
import Logging
import SIP
import TOMLKit

/// Every setting of the server. Defaults are embedded (no external service needed); a TOML file
/// (`--config`) overrides them, and flags override the file. TOML keys are the flag names.
struct ServerConfig: Sendable, Equatable {
    var dataDir = "./var"
    var bind = "127.0.0.1"
    var restPort = 8081
    var wsPort = 8080
    var rtmpPort = 1935
    var sipPort = 5060
    var mediaPorts = PortRange(lower: 31000, upper: 32000)
    /// What an incoming SIP INVITE gets (603 unless the operator opts in).
    var sipIncoming = IncomingCalls.decline
    /// The Request-URI users an accepted INVITE may call; empty: any.
    var sipIncomingUsers: [String] = []
    var logLevel = Logger.Level.info
    /// Size at which `logs/server.log` is rotated, and how many old files are kept.
    var logMaxBytes = 10 << 20
    var logKeep = 5
    /// REST users: name → salted password hash (`switchboard-server hash-password`).
    var users: [String: String] = [:]

    /// Problems in a configuration file or flag.
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// Applies the keys of a TOML document. Unknown keys are errors, so typos do not pass silently.
    mutating func apply(toml text: String, source: String) throws {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch { throw Problem(description: "\(source): \(error)") }
        for (key, value) in table {
            func int() throws -> Int {
                guard let i = value.int else { throw Problem(description: "\(source): '\(key)' must be an integer") }
                return i
            }
            func string() throws -> String {
                guard let s = value.string else { throw Problem(description: "\(source): '\(key)' must be a string") }
                return s
            }
            switch key {
            case "data-dir": dataDir = try string()
            case "bind": bind = try string()
            case "rest-port": restPort = try Self.port(try int(), key)
            case "ws-port": wsPort = try Self.port(try int(), key)
            case "rtmp-port": rtmpPort = try Self.port(try int(), key)
            case "sip-port": sipPort = try Self.port(try int(), key)
            case "media-ports": mediaPorts = try PortRange(parsing: try string())
            case "sip-incoming": sipIncoming = try Self.incoming(try string())
            case "sip-incoming-users":
                if let list = value.array {
                    sipIncomingUsers = try Self.incomingUsers(list.map {
                        guard let user = $0.string else {
                            throw Problem(description: "\(source): 'sip-incoming-users' must list strings")
                        }
                        return user
                    })
                } else {
                    sipIncomingUsers = try Self.incomingUsers(try string().split(separator: ",").map(String.init))
                }
            case "log-level": logLevel = try Self.level(try string())
            case "log-max-bytes": logMaxBytes = max(4096, try int())
            case "log-keep": logKeep = max(1, try int())
            case "users":
                guard let users = value.table else {
                    throw Problem(description: "\(source): 'users' must be a table of name = \"hash\"")
                }
                for (name, hash) in users {
                    guard let h = hash.string else {
                        throw Problem(description: "\(source): users.\(name) must be a password hash string")
                    }
                    self.users[name] = h
                }
            default:
                throw Problem(description: "\(source): unknown setting '\(key)'")
            }
        }
    }

    static func port(_ n: Int, _ name: String) throws -> Int {
        guard (0...65535).contains(n) else { throw Problem(description: "\(name) must be 0...65535, not \(n)") }
        return n
    }

    static func incoming(_ name: String) throws -> IncomingCalls {
        guard let policy = IncomingCalls(rawValue: name) else {
            throw Problem(description: "sip-incoming must be decline or accept, not '\(name)'")
        }
        return policy
    }

    /// The users of `--sip-incoming-users`, trimmed. Each names the stream its calls publish to,
    /// so each must be a valid stream name.
    static func incomingUsers(_ names: [String]) throws -> [String] {
        try names.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map {
            guard StreamName.isValid($0) else {
                throw Problem(description: "sip-incoming-users: '\($0)' is not a valid user (it names a stream)")
            }
            return $0
        }
    }

    static func level(_ name: String) throws -> Logger.Level {
        guard let l = Logger.Level(name: name) else {
            throw Problem(description: "log level must be one of trace, debug, info, notice, warning, error, critical")
        }
        return l
    }

    /// true for addresses only this machine can reach.
    var isLoopbackOnly: Bool {
        bind == "localhost" || bind == "::1" || bind.hasPrefix("127.")
    }
}

/// An inclusive UDP port range, `31000-32000`.
struct PortRange: Sendable, Equatable, CustomStringConvertible {
    let lower: Int
    let upper: Int

    init(lower: Int, upper: Int) {
        self.lower = lower
        self.upper = upper
    }

    init(parsing text: String) throws {
        let parts = text.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let a = parts[0], let b = parts[1], 1...65535 ~= a, 1...65535 ~= b, a <= b else {
            throw ServerConfig.Problem(description: "media ports must look like 31000-32000, not '\(text)'")
        }
        self.init(lower: a, upper: b)
    }

    var description: String { "\(lower)-\(upper)" }
}
