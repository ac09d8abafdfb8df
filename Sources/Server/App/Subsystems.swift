import Core
import Logging
import Media
import NIOCore
import NIOPosix
import RTMP
import SIP
import ServiceLifecycle

/// Builds the media subsystems, hands their controls to the REST layer, and runs their
/// listeners as services. This is the only place that knows every module.
struct Subsystems: Sendable {
    let hub: StreamHub
    let rtmp: RTMPServer
    let push: RTMPPush
    let rtmpPull: RTMPPull
    let recording: RecordingService
    let snapshots: SnapshotService
    let transcoders: TranscoderService
    let vod: VODService
    let rtsp: RTSPService
    let calls: SIPCalls
    let mediaFolder: MediaFolder
    let registry: Registry
    let logger: Logger

    init(registry: Registry, data: DataDirectory, config: ServerConfig, logger: Logger) {
        let group = MultiThreadedEventLoopGroup.singleton
        hub = StreamHub(registry: registry, logger: logger.with(label: "switchboard.hub"))
        rtmp = RTMPServer(hub: hub, registry: registry, logger: logger.with(label: "switchboard.rtmp"), group: group)
        push = RTMPPush(hub: hub, registry: registry, logger: logger.with(label: "switchboard.push"), group: group,
                        audio: TransponderAudioClips(mediaDirectory: data.media))
        rtmpPull = RTMPPull(hub: hub, registry: registry, logger: logger.with(label: "switchboard.pull"), group: group)
        let media = logger.with(label: "switchboard.media")
        recording = RecordingService(hub: hub, registry: registry, recordsDirectory: data.records, logger: media)
        snapshots = SnapshotService(hub: hub, registry: registry, logger: media)
        transcoders = TranscoderService(hub: hub, registry: registry, logger: media)
        vod = VODService(hub: hub, registry: registry, mediaDirectory: data.media, logger: media)
        rtsp = RTSPService(hub: hub, registry: registry, logger: logger.with(label: "switchboard.rtsp"))
        var sipOptions = SIPCallOptions()
        sipOptions.incoming = config.sipIncoming
        sipOptions.incomingUsers = Set(config.sipIncomingUsers)
        calls = SIPCalls(hub: hub, registry: registry, mediaFolder: data.media, bindHost: config.bind,
                         sipPort: config.sipPort, mediaPorts: config.mediaPorts.lower...config.mediaPorts.upper,
                         logger: logger.with(label: "switchboard.sip"), options: sipOptions, push: push)
        mediaFolder = MediaFolder(path: data.media)
        self.registry = registry
        self.logger = logger
    }

    /// Plugs each built control into the REST services.
    func wire(_ services: inout Services) {
        services.streams = hub
        services.push = push
        services.rtmpPull = rtmpPull
        services.recording = recording
        services.snapshots = snapshots
        services.transcoders = transcoders
        services.vod = vod
        services.rtsp = rtsp
        services.calls = calls
        services.media = mediaFolder
    }

    /// The SIP user agent as a service: binds, reports its address; on shutdown ends every call.
    func sipService(bind: String, info: RuntimeInfo, book: ListenerBook) -> some Service {
        LifecycleService(name: "sip") {
            let bound = try await calls.start()
            info.set(.sip, "\(bind):\(bound)")
            book.bound("sip")
        } stop: { [calls] in
            await calls.shutdown()
        }
    }

    /// The RTMP listener as a service: binds, reports its address, and on shutdown stops
    /// transponders and pulls, then closes every connection (publishers end their streams).
    func rtmpService(bind: String, port: Int, info: RuntimeInfo, book: ListenerBook) -> some Service {
        LifecycleService(name: "rtmp") {
            let bound = try await rtmp.start(host: bind, port: port)
            info.set(.rtmp, "\(bind):\(bound)")
            book.bound("rtmp")
        } stop: { [registry, push, rtmpPull, rtmp, hub, recording, transcoders, vod, rtsp] in
            // Sources first (no new media), then recordings are finalized, then network sessions end.
            await vod.stopAll()
            await rtsp.stopAll()
            await transcoders.stopAll()
            await recording.stopAll()
            // At shutdown a transponder or pull that is already gone is fine: the goal is that none is left.
            for t in registry.all(Transponder.self) { try? await push.terminate(mediaSessionId: t.mediaSessionId) }
            for a in registry.all(RtmpAgent.self) { try? await rtmpPull.terminate(uri: a.uri) }
            await rtmp.shutdown()
            let left = registry.all(Stream.self).map(\.mediaSessionId)
            if !left.isEmpty { await hub.terminate(mediaSessionIds: left, reason: "Stopped by server shutdown") }
        }
    }
}

/// A service made of a start and a stop step: starts, waits for graceful shutdown, stops.
struct LifecycleService: Service {
    let name: String
    let start: @Sendable () async throws -> Void
    let stop: @Sendable () async -> Void

    init(name: String, start: @escaping @Sendable () async throws -> Void, stop: @escaping @Sendable () async -> Void) {
        self.name = name
        self.start = start
        self.stop = stop
    }

    func run() async throws {
        try await start()
        try? await gracefulShutdown()  // throws only on cancellation, which also means: stop now
        await stop()
    }
}
