import Core
import Logging
import NIOCore
import NIOPosix
import RTMP
import ServiceLifecycle

/// Builds the media subsystems, hands their controls to the REST layer, and runs their
/// listeners as services. This is the only place that knows every module.
struct Subsystems: Sendable {
    let hub: StreamHub
    let rtmp: RTMPServer
    let push: RTMPPush
    let rtmpPull: RTMPPull
    let registry: Registry
    let logger: Logger

    init(registry: Registry, data: DataDirectory, logger: Logger) {
        let group = MultiThreadedEventLoopGroup.singleton
        hub = StreamHub(registry: registry, logger: logger.with(label: "switchboard.hub"))
        rtmp = RTMPServer(hub: hub, registry: registry, logger: logger.with(label: "switchboard.rtmp"), group: group)
        push = RTMPPush(hub: hub, registry: registry, logger: logger.with(label: "switchboard.push"), group: group)
        rtmpPull = RTMPPull(hub: hub, registry: registry, logger: logger.with(label: "switchboard.pull"), group: group)
        self.registry = registry
        self.logger = logger
    }

    /// Plugs each built control into the REST services.
    func wire(_ services: inout Services) {
        services.streams = hub
        services.push = push
        services.rtmpPull = rtmpPull
    }

    /// The RTMP listener as a service: binds, reports its address, and on shutdown stops
    /// transponders and pulls, then closes every connection (publishers end their streams).
    func rtmpService(bind: String, port: Int, info: RuntimeInfo, book: ListenerBook) -> some Service {
        LifecycleService(name: "rtmp") {
            let bound = try await rtmp.start(host: bind, port: port)
            info.set(.rtmp, "\(bind):\(bound)")
            book.bound("rtmp")
        } stop: { [registry, push, rtmpPull, rtmp, hub] in
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
