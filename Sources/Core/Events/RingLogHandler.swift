import Foundation
import Logging

/// A swift-log handler that feeds the log ring (and so the event stream).
public struct RingLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let ring: LogRing

    public init(label: String, ring: LogRing, level: Logger.Level) {
        self.label = label
        self.ring = ring
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        ring.append(LogRecord.make(event: event, label: label, handlerMetadata: metadata))
    }
}

extension LogRecord {
    /// Builds a record from a swift-log event, merging handler and call-site metadata.
    public static func make(event: LogEvent, label: String, handlerMetadata: Logger.Metadata) -> LogRecord {
        var merged = handlerMetadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        return LogRecord(
            time: LogTime.now(), level: event.level.rawValue, label: label, message: "\(event.message)",
            metadata: merged.mapValues { "\($0)" })
    }
}

/// ISO 8601 timestamps with milliseconds, in UTC.
public enum LogTime {
    /// The current time formatted for a log record.
    public static func now() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
