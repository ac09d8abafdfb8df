import Core
import Foundation
import Logging
import Synchronization

/// JSON lines in `logs/server.log`, rotated by size (`server.log.1` … `.N`).
final class JSONLogFile: Sendable {
    private struct State {
        var handle: FileHandle?
        var size: Int
    }

    let path: String
    let maxBytes: Int
    let keep: Int
    private let state: Mutex<State>

    init(path: String, maxBytes: Int, keep: Int) {
        self.path = path
        self.maxBytes = maxBytes
        self.keep = keep
        // A missing file has size 0.
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        state = Mutex(State(handle: Self.open(path), size: size))
    }

    func append(_ record: LogRecord) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(record) else { return }  // LogRecord always encodes
        line.append(0x0a)
        state.withLock { s in
            if s.size + line.count > maxBytes { rotate(&s) }
            s.handle?.write(line)
            s.size += line.count
        }
    }

    func close() {
        state.withLock { s in
            try? s.handle?.close()  // closing at exit; nothing to do on failure
            s.handle = nil
        }
    }

    private func rotate(_ s: inout State) {
        try? s.handle?.close()  // the file is being replaced either way
        let fm = FileManager.default
        try? fm.removeItem(atPath: "\(path).\(keep)")  // may not exist
        for i in stride(from: keep - 1, through: 1, by: -1) {
            try? fm.moveItem(atPath: "\(path).\(i)", toPath: "\(path).\(i + 1)")  // gaps are fine
        }
        try? fm.moveItem(atPath: path, toPath: "\(path).1")  // may not exist yet
        s.handle = Self.open(path)
        s.size = 0
    }

    private static func open(_ path: String) -> FileHandle? {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o640])
        }
        let h = FileHandle(forWritingAtPath: path)
        _ = try? h?.seekToEnd()  // appending after a restart; a failed seek only risks overwriting
        return h
    }
}

/// Feeds the JSON log file.
struct JSONFileLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let label: String
    let file: JSONLogFile

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        file.append(LogRecord.make(event: event, label: label, handlerMetadata: metadata))
    }
}
