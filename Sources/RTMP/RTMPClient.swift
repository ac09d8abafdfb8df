import Core
import Logging
import NIOCore
import NIOPosix

/// One outgoing RTMP connection on the same handshake and chunk codec as the server: it
/// publishes a hub subscription to a far end (transponders) or plays a far-end stream into a
/// callback (pulls).
public final class RTMPClient: Sendable {
    /// How long connecting, handshaking and starting may take.
    static let startTimeout = TimeAmount.seconds(10)

    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects and starts publishing `subscription` as `url.streamName`.
    /// - Throws: `RTMPError` (refused, closed, timeout) or the socket error.
    /// `audio`, when set, replaces the stream's audio (transponder mute and sound_on).
    static func publish(url: RTMPURL, subscription: Subscription, timestamps: TimestampStore, audio: AudioSwitch? = nil,
                        group: any EventLoopGroup, logger: Logger) async throws -> RTMPClient {
        try await open(url: url, mode: .publish(url.streamName ?? ""), subscription: subscription,
                       timestamps: timestamps, audio: audio, onPacket: nil, group: group, logger: logger)
    }

    /// Connects and starts playing `url.streamName`.
    /// - Parameters:
    ///   - url: the far end, with app and stream name.
    ///   - group: where the connection's event loop comes from.
    ///   - logger: parent logger.
    ///   - onPacket: receives each packet on the connection's event loop; it must not block.
    /// - Returns: the connection, once the far end said NetStream.Play.Start.
    /// - Throws: `RTMPError` (refused, closed, timeout) or the socket error.
    public static func play(url: RTMPURL, group: any EventLoopGroup, logger: Logger,
                     onPacket: @escaping @Sendable (MediaPacket) -> Void) async throws -> RTMPClient {
        try await open(url: url, mode: .play(url.streamName ?? ""), subscription: nil, timestamps: nil, audio: nil,
                       onPacket: onPacket, group: group, logger: logger)
    }

    private static func open(url: RTMPURL, mode: ClientSession.Mode, subscription: Subscription?,
                             timestamps: TimestampStore?, audio: AudioSwitch?,
                             onPacket: (@Sendable (MediaPacket) -> Void)?, group: any EventLoopGroup, logger: Logger) async throws -> RTMPClient {
        let loop = group.next()
        let started = loop.makePromise(of: UInt32.self)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(startTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.writeBufferWaterMark, value: RTMPServer.writeBufferWaterMark)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        HandshakeHandler(role: .client),
                        ByteToMessageHandler(ChunkDecoder()),
                        ChunkEncodingHandler(),
                        ClientSessionHandler(url: url, mode: mode, started: started, subscription: subscription,
                                             timestamps: timestamps, audio: audio, onPacket: onPacket,
                                             logger: logger),
                    ])
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: url.host, port: url.port).get()
        } catch {
            subscription?.cancel()
            started.fail(error)
            throw error
        }
        let timeout = loop.scheduleTask(in: startTimeout) {
            started.fail(RTMPError.timeout)
            channel.close(promise: nil)
        }
        do {
            _ = try await started.futureResult.get()
            timeout.cancel()
        } catch {
            timeout.cancel()
            channel.close(promise: nil)
            throw error
        }
        return RTMPClient(channel: channel)
    }

    /// Completes when the connection is closed, for whatever reason.
    public func waitUntilClosed() async {
        // The close future only ever succeeds; a failure would mean the same thing.
        try? await channel.closeFuture.get()
    }

    /// Says goodbye and closes the connection.
    public func close() {
        let channel = self.channel
        channel.eventLoop.execute {
            // Without the session handler (already removed on close) a plain close is all there is to do.
            if let handler = try? channel.pipeline.syncOperations.handler(type: ClientSessionHandler.self),
               let context = try? channel.pipeline.syncOperations.context(handlerType: ClientSessionHandler.self) {
                handler.close(context: context)
            } else {
                channel.close(promise: nil)
            }
        }
    }
}
