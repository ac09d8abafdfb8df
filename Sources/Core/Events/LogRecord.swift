import Foundation
import Logging

/// One log line as the event stream and the log file carry it.
public struct LogRecord: Codable, Sendable, Equatable {
    /// ISO 8601 time with milliseconds.
    public var time: String
    /// swift-log level name: trace, debug, info, notice, warning, error, critical.
    public var level: String
    /// The logger label ("switchboard.rtmp").
    public var label: String
    public var message: String
    public var metadata: [String: String]

    public init(time: String, level: String, label: String, message: String, metadata: [String: String]) {
        self.time = time
        self.level = level
        self.label = label
        self.message = message
        self.metadata = metadata
    }

    /// The level as swift-log's enum (unknown names count as info).
    public var logLevel: Logger.Level { Logger.Level(rawValue: level) ?? .info }
}

extension Logger.Level {
    /// Parses a level name, also accepting WCS/log4j spellings ("warn", "fatal").
    public init?(name: String) {
        switch name.lowercased() {
        case "warn": self = .warning
        case "fatal": self = .critical
        default: self.init(rawValue: name.lowercased())
        }
    }
}
