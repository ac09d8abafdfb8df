import Foundation

/// `run/server.json`: how scripts, tests and the console find a running server.
enum RunFile {
    struct Content: Codable, Equatable {
        var pid: Int
        var version: String
        var rest: String?
        var ws: String?
        var rtmp: String?
        var sip: String?
        var socket: String?
    }

    static func write(_ info: RuntimeInfo.Body, to path: String) throws {
        let content = Content(pid: info.pid, version: info.version, rest: info.rest, ws: info.ws, rtmp: info.rtmp,
                              sip: info.sip, socket: info.socket)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Write then rename, so a reader never sees half a file.
        let tmp = path + ".tmp"
        try encoder.encode(content).write(to: URL(fileURLWithPath: tmp))
        _ = rename(tmp, path)
    }

    static func remove(_ path: String) {
        unlink(path)
    }
}
