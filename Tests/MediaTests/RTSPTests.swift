import Core
import Foundation
import Logging
import Testing
@testable import Media

/// The RTSP puller against GStreamer's RTSP server (Tests/integration/peers/rtsp_camera.py).
@Suite(.serialized, .enabled(if: rtspCameraAvailable(), "needs gir1.2-gst-rtsp-server-1.0"))
struct RTSPTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../integration/peers/rtsp_camera.py").standardized.path


    /// Starts the camera on a free-ish port and waits for "ready".
    static func startCamera(port: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, "--port", String(port), "--duration", "60"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        _ = out.fileHandleForReading.availableData  // the "ready" line
        return process
    }

    /// The camera on `cameraPort`, and a hub with the RTSP service.
    struct World {
        let camera: Process
        let registry = Registry(bus: EventBus())
        let logger = Logger(label: "test")
        let hub: StreamHub
        let rtsp: RTSPService

        init(cameraPort: Int) throws {
            camera = try RTSPTests.startCamera(port: cameraPort)
            hub = StreamHub(registry: registry, logger: logger)
            rtsp = RTSPService(hub: hub, registry: registry, logger: logger)
        }
    }

    @Test("an RTSP pull over TCP and UDP publishes H.264 that snapshots at the camera's size",
          arguments: ["TCP", "UDP"])
    func pulls(transport: String) async throws {
        let port = transport == "TCP" ? 18_554 : 18_555
        let world = try World(cameraPort: port)
        defer { world.camera.terminate() }
        let (registry, logger, hub, rtsp) = (world.registry, world.logger, world.hub, world.rtsp)
        let uri = "rtsp://127.0.0.1:\(port)/cam"
        let agent = try await rtsp.startup(RTSPStartupRequest(uri: uri, localStreamName: "cam", transport: transport))
        #expect(agent.localStreamName == "cam")
        await #expect(throws: ServiceError.conflict("RTSP agent already exists")) {
            _ = try await rtsp.startup(RTSPStartupRequest(uri: uri))
        }
        _ = try await waitUntil(.seconds(15)) {
            hub.codecConfig(of: "cam")?.video != nil && hub.codecConfig(of: "cam")?.audio != nil
        }
        #expect(registry.get(RtspAgent.self, id: uri)?.status == "PLAYING")
        #expect(hub.codecConfig(of: "cam")?.audio?.codec == .aac)
        let png = try await SnapshotService(hub: hub, registry: registry, logger: logger).snapshot(streamName: "cam")
        let size = png[16..<24].reduce(0) { (sum: Int, byte: UInt8) in sum << 8 | Int(byte) }
        #expect(size == 640 << 32 | 360)
        try await rtsp.terminate(uri: uri)
        #expect(!hub.isPublished("cam"))
        #expect(registry.get(RtspAgent.self, id: uri) == nil)
    }

    @Test("RTSP audio arrives as AAC from Opus and as FLV G.711 from PCMU", arguments: ["opus", "pcmu"])
    func pullsOtherAudio(mount: String) async throws {
        let port = mount == "opus" ? 18_556 : 18_557
        let world = try World(cameraPort: port)
        defer { world.camera.terminate() }
        let (hub, rtsp) = (world.hub, world.rtsp)
        let uri = "rtsp://127.0.0.1:\(port)/\(mount)"
        _ = try await rtsp.startup(RTSPStartupRequest(uri: uri))
        #expect(try await Self.waitPublished(hub, mount))
        let subscription = try hub.subscribe(name: mount)
        var audio: MediaPacket?
        let deadline = Date().addingTimeInterval(10)
        while audio == nil, Date() < deadline {
            guard case .packet(let packet) = await subscription.next() else { break }
            if packet.kind == .audio, !packet.isConfig { audio = packet }
        }
        subscription.cancel()
        let codec = try #require(audio?.codec)
        #expect(codec == (mount == "opus" ? MediaCodec.aac : MediaCodec.flv(RTSPSession.muLawTag)))
        if mount == "opus" { #expect(hub.codecConfig(of: mount)?.audio?.sampleRate == 48_000) }
        try await rtsp.terminate(uri: uri)
    }

    static func waitPublished(_ hub: StreamHub, _ name: String) async throws -> Bool {
        try await waitUntil(.seconds(15)) { hub.codecConfig(of: name)?.video != nil }
    }

    @Test("RTSP startup refuses other schemes")
    func refusesOtherSchemes() async throws {
        let registry = Registry(bus: EventBus())
        let hub = StreamHub(registry: registry, logger: Logger(label: "test"))
        let rtsp = RTSPService(hub: hub, registry: registry, logger: Logger(label: "test"))
        for uri in ["file:///etc/passwd", "http://x/y", "rtmp://x/y"] {
            await #expect(throws: ServiceError.invalid("uri must be rtsp://host[:port]/path", field: "uri")) {
                _ = try await rtsp.startup(RTSPStartupRequest(uri: uri))
            }
        }
    }
}

/// true when GStreamer's RTSP server is importable from Debian's python3.
func rtspCameraAvailable() -> Bool {
    let script = "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer"
    return (try? Fixtures.run("/usr/bin/python3", ["-c", script])) != nil
}
