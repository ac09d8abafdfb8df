import Foundation

/// The loopback kamailio registrar configured in Tests/integration/peers/kamailio/kamailio.cfg
/// (users include mediaserver / ms-secret; only REGISTER is challenged), on a free port.
final class KamailioPeer: @unchecked Sendable {
    // Written once in init.
    let port: Int
    private let process: Process
    private let directory: URL

    static let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../integration/peers/kamailio/kamailio.cfg").standardizedFileURL.path

    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/kamailio")
            && FileManager.default.fileExists(atPath: config)
    }

    /// Starts kamailio in the foreground (-DD) and waits until its SIP port is bound.
    init() throws {
        port = try SippPeer.freeUDPPort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("kam-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/kamailio")
        process.arguments = ["-f", Self.config, "-A", "SIP_PORT=\(port)", "-DD", "-E",
                             "-Y", directory.path, "-P", directory.appendingPathComponent("kamailio.pid").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try SippPeer.waitUntilBound(port: port, while: process)
    }

    /// SIGKILL to kamailio's children (found in /proc by parent id), then to its main
    /// process: processes spawned from the test runner do not act on SIGTERM, as with sipp.
    func stop() {
        let pid = process.processIdentifier
        for child in Self.children(of: pid) { kill(child, SIGKILL) }
        kill(pid, SIGKILL)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Process ids whose parent is `pid`.
    static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let child = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid ? child : nil
        }
    }
}
