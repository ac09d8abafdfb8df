import Foundation
import NIOCore
import NIOPosix
@testable import SIP

/// A sipp process playing one of the scenarios in Tests/integration/peers/sip, run from a
/// fresh directory that holds the 440 Hz µ-law tone the scenarios stream.
final class SippPeer: @unchecked Sendable {
    // Written once in init; the Process is only waited on and read after it exits.
    let port: Int
    let mediaPort: Int
    let directory: URL
    let messageFile: URL
    private let process: Process

    static var scenarioFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("integration/peers/sip")
    }

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/sipp") }

    /// Starts sipp as a UAS for one call. sipp exits at once when one of its ports is taken
    /// (by another peer on this shared machine), so a start that dies is retried on new ports.
    init(scenario: String, timeoutSeconds: Int = 30) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sipp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(Self.tone()).write(to: directory.appendingPathComponent("tone440_8k.ulaw"))
        messageFile = directory.appendingPathComponent("messages.log")
        var attempt = 0
        while true {
            attempt += 1
            let port = try Self.freeUDPPort()
            let mediaPort = Self.freeMediaPort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sipp")
            process.currentDirectoryURL = directory
            process.arguments = [
                "-sf", Self.scenarioFolder.appendingPathComponent(scenario).path,
                "-i", "127.0.0.1", "-p", "\(port)", "-mi", "127.0.0.1", "-mp", "\(mediaPort)",
                "-m", "1", "-nostdin", "-timeout", "\(timeoutSeconds)s", "-timeout_error",
                "-trace_msg", "-message_file", messageFile.path,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // sipp binds its SIP socket, then its media sockets, and gives up when one is taken.
            try Self.waitUntilBound(port: port, while: process)
            try Self.waitUntilBound(port: mediaPort, while: process)
            if process.isRunning || attempt == 3 {
                self.port = port
                self.mediaPort = mediaPort
                self.process = process
                return
            }
        }
    }

    /// The URI to call.
    var uri: String { "sip:1000@127.0.0.1:\(port)" }

    /// Waits for sipp to exit; returns its status, or nil when it is still running after `seconds`.
    func exitStatus(within seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(100)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// What sipp logged of the SIP messages.
    var messages: String { (try? String(contentsOf: messageFile, encoding: .utf8)) ?? "" }

    func stop() {
        // sipp ignores SIGTERM, so it gets SIGKILL.
        // Polling, not waitUntilExit: that was seen to hang once sipp had been killed.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// 5 s of 440 Hz at 8 kHz, µ-law.
    static func tone() -> [UInt8] {
        (0..<40_000).map { n in
            G711.encode(Int16(12_000 * sin(2 * Double.pi * 440 * Double(n) / 8_000)), law: .mu)
        }
    }

    static func freeUDPPort() throws -> Int {
        let channel = try DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).wait()
        defer { try? channel.close().wait() }
        return channel.localAddress?.port ?? 0
    }

    /// An even port below the ephemeral range (where other programs' sockets come and go)
    /// whose RTP/RTCP ports and the pair above (sipp's video echo) are free now.
    static func freeMediaPort() -> Int {
        for _ in 0..<50 {
            let candidate = 20_000 + Int.random(in: 0..<6_000) * 2
            if (candidate..<(candidate + 4)).allSatisfy(isFree) { return candidate }
        }
        return 20_000 + Int.random(in: 0..<6_000) * 2
    }

    /// Whether a UDP port on 127.0.0.1 can be bound now.
    static func isFree(_ port: Int) -> Bool {
        guard let channel = try? DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: port).wait() else { return false }
        try? channel.close().wait() // only probing
        return true
    }

    /// A peer is up once its port can no longer be bound; gives up early when `process` exits.
    static func waitUntilBound(port: Int, while process: Process? = nil) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, process?.isRunning ?? true, isFree(port) {
            Thread.sleep(forTimeInterval: 0.05)
        }
    }
}
