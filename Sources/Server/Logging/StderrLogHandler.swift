import Core
import Foundation
import Logging

/// Readable log lines on stderr: `07:01:02.345 info  [rest] listening address=127.0.0.1:8081`.
struct StderrLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let meta = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let time = LogTime.now().split(separator: "T").last.map { String($0.dropLast()) } ?? ""
        let level = event.level.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
        let short = label.replacingOccurrences(of: "switchboard.", with: "")
        FileHandle.standardError.write(Data("\(time) \(level)[\(short)] \(event.message)\(meta)\n".utf8))
    }
}
