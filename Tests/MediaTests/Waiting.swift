import Core
import Foundation
import Logging
import NIOCore
import NIOPosix
import RTMP
@testable import Media

/// Asks `probe` every `interval` until it gives a value or `timeout` has passed.
/// - Returns: the first value, or nil after the timeout (one last try included).
func waitFor<T>(_ timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(200),
                _ probe: () -> T?) async throws -> T? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let value = probe() { return value }
        try await Task.sleep(for: interval)
    }
    return probe()
}

/// Asks `condition` every `interval` until it holds or `timeout` has passed; whether it held.
func waitUntil(_ timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(200),
               _ condition: () -> Bool) async throws -> Bool {
    try await waitFor(timeout, every: interval) { condition() ? true : nil } ?? false
}

/// A hub with an RTMP server on a free loopback port: what the server builds, minus REST.
struct RTMPTestbed {
    let registry = Registry(bus: EventBus())
    let logger = Logger(label: "test")
    let hub: StreamHub
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let server: RTMPServer
    let port: Int

    init() async throws {
        hub = StreamHub(registry: registry, logger: logger)
        server = RTMPServer(hub: hub, registry: registry, logger: logger, group: group)
        port = try await server.start(host: "127.0.0.1", port: 0)
    }

    /// rtmp://127.0.0.1:<port>/live/<name>
    func url(_ name: String) -> String { "rtmp://127.0.0.1:\(port)/live/\(name)" }

    /// The ffmpeg CLI publishing testsrc2 (H.264) and a 440 Hz sine (`audio`: its codec options)
    /// to `name` for `seconds`, in real time. Terminate it when done.
    func publish(_ name: String, size: String = "320x240", seconds: Int, gop: Int,
                 audio: [String] = ["-c:a", "aac"]) throws -> Process {
        let publisher = Process()
        publisher.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        publisher.arguments = [
            "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", "testsrc2=size=\(size):rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
            "-t", String(seconds), "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-g", String(gop),
            "-pix_fmt", "yuv420p",
        ] + audio + ["-f", "flv", url(name)]
        try publisher.run()
        return publisher
    }

    /// The published stream `name`, once the hub has it (nil after 10 s).
    func published(_ name: String) async throws -> Core.Stream? {
        try await waitFor { registry.all(Core.Stream.self).first { $0.name == name && $0.published } }
    }

    /// A recording service on the hub, writing to `folder`.
    func recordingService(into folder: String) -> RecordingService {
        RecordingService(hub: hub, registry: registry, recordsDirectory: folder, logger: logger)
    }

    func shutdown() async throws {
        await server.shutdown()
        try await group.shutdownGracefully()
    }
}
