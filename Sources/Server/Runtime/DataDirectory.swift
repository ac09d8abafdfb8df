import Foundation

/// The folders under the data directory; every file the server writes lives here.
struct DataDirectory: Sendable {
    let root: String

    init(_ path: String) {
        root = URL(fileURLWithPath: path).standardizedFileURL.path
    }

    var records: String { root + "/records" }
    var media: String { root + "/media" }
    var logs: String { root + "/logs" }
    var run: String { root + "/run" }
    var socket: String { run + "/switchboard.sock" }
    var runFile: String { run + "/server.json" }
    var lockFile: String { run + "/server.lock" }

    /// Creates the folders (run/ is private to the user: it holds the control socket).
    func prepare() throws {
        let fm = FileManager.default
        for folder in [root, records, media, logs] {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try fm.createDirectory(atPath: run, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
}
