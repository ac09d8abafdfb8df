import Core
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The RTMP listener (`--rtmp-port`): publishers and players connect here.
///
/// URLs have the form `rtmp://host:port/<app>/<name>`. The stream name is `<name>` alone,
/// without any query (`cam?token=x` → `cam`) or `mp4:`/`flv:` prefix; the app (normally
/// `live`, but any app is accepted) is kept as the `appKey` of the `Connection` and
/// `Stream` objects and does not take part in the name, so `rtmp://h/live/cam` and
/// `rtmp://h/other/cam` reach the same stream `cam`. Names are checked with `StreamName`
/// before they reach the hub. Garbage, truncated or malformed input closes only the
/// connection it arrived on.
public final class RTMPServer: Sendable {
    /// Write-buffer marks of each connection: a player's socket may hold up to 1 MiB before
    /// the writer pauses and the hub starts counting its drops.
    static let writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(low: 256 << 10, high: 1 << 20)

    private let hub: StreamHub
    private let registry: Registry
    private let logger: Logger
    private let group: any EventLoopGroup
    private let listener = Mutex<(any Channel)?>(nil)
    private let connections = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// Makes a server.
    /// - Parameters:
    ///   - hub: where publishers publish and players subscribe.
    ///   - registry: where `Connection` objects (mediaProvider "RTMP") appear.
    ///   - logger: parent logger.
    ///   - group: event loops for the listener and its connections.
    public init(hub: StreamHub, registry: Registry, logger: Logger, group: any EventLoopGroup) {
        self.hub = hub
        self.registry = registry
        self.logger = logger.tagged([LogKey.listener: "rtmp"])
        self.group = group
    }

    /// Binds the listener.
    /// - Parameters:
    ///   - host: address to bind ("127.0.0.1").
    ///   - port: port to bind; 0 picks a free one.
    /// - Returns: the bound port.
    /// - Throws: the socket error when the address cannot be bound.
    public func start(host: String, port: Int) async throws -> Int {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: Self.writeBufferWaterMark)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.configure(channel)
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        listener.withLock { $0 = channel }
        let bound = channel.localAddress?.port ?? port
        logger.info("listening", metadata: [LogKey.address: "\(host):\(bound)"])
        return bound
    }

    /// Stops listening and closes every connection (publishers end their streams).
    public func shutdown() async {
        let channel = listener.withLock { l -> (any Channel)? in
            defer { l = nil }
            return l
        }
        // Already-closed channels fail the close; nothing is left to do for them.
        try? await channel?.close()
        let open = connections.withLock { Array($0.values) }
        // Connections that closed meanwhile fail the close: they are already where we want them.
        for connection in open { try? await connection.close() }
    }

    private func configure(_ channel: any Channel) throws {
        let id = ObjectIdentifier(channel)
        connections.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.connections.withLock { _ = $0.removeValue(forKey: id) }
        }
        try channel.pipeline.syncOperations.addHandlers([
            HandshakeHandler(role: .server),
            ByteToMessageHandler(ChunkDecoder()),
            ChunkEncodingHandler(),
            ServerSessionHandler(hub: hub, registry: registry, logger: logger),
        ])
    }
}
