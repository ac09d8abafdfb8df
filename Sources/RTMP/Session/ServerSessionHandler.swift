import Foundation
import Core
import Logging
import NIOCore

/// Carries out `ServerSession` actions on one server connection: publishes into the hub,
/// plays from it, answers with onStatus, and keeps the connection's `Connection` object in
/// the registry. Any error closes this connection only.
final class ServerSessionHandler: ChannelInboundHandler {
    typealias InboundIn = RTMPMessage
    typealias OutboundOut = RTMPMessage

    /// How long a client may take from accepting to `connect` (15 s, handshake included),
    /// so sockets that never speak RTMP do not linger.
    static let connectTimeout = TimeAmount.seconds(15)

    private let hub: StreamHub
    private let registry: Registry
    private var logger: Logger
    private var session = ServerSession()
    private var context: ChannelHandlerContext?
    private var connectionID: String?
    private var tcUrl: String?

    private var publication: Publication?
    private var publishStreamID: UInt32 = 0
    private var players: [UInt32: SubscriptionWriter] = [:]
    private var terminateReason: String?

    init(hub: StreamHub, registry: Registry, logger: Logger) {
        self.hub = hub
        self.registry = registry
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let remote = context.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        let local = context.channel.localAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        connectionID = "/\(remote)/\(local)"
        logger[metadataKey: LogKey.connection] = "\(remote)"
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: Self.connectTimeout) {
            let handler = bound.value
            guard handler.session.app == nil, let context = handler.context else { return }
            handler.logger.info("closing: no connect in time")
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        do {
            for action in try session.handle(message) { try perform(action, context: context) }
        } catch {
            fail(context: context, error)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            for writer in players.values { writer.schedule() }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let reason = terminateReason ?? "connection closed"
        publication?.end(reason: reason)
        publication = nil
        for writer in players.values { writer.cancel() }
        players = [:]
        if let connectionID { registry.remove(Connection.self, id: connectionID) }
        logger.debug("closed")
        self.context = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, error)
    }

    private func fail(context: ChannelHandlerContext, _ error: any Error) {
        logger.info("closing on error", metadata: [LogKey.error: "\(error)"])
        context.close(promise: nil)
    }

    private func perform(_ action: ServerSession.Action, context: ChannelHandlerContext) throws {
        switch action {
        case .send(let message):
            context.writeAndFlush(wrapOutboundOut(message), promise: nil)
        case .connected(let app, let tcUrl):
            self.tcUrl = tcUrl
            if let connectionID {
                registry.upsert(Connection(sessionId: connectionID, appKey: app, mediaProvider: "RTMP",
                                           createDate: Int64(Date().timeIntervalSince1970 * 1000)))
            }
            logger.debug("connected", metadata: ["app": "\(app)"])
        case .publish(let name, let streamID):
            startPublishing(name: name, streamID: streamID, context: context)
        case .play(let name, let streamID):
            startPlaying(name: name, streamID: streamID, context: context)
        case .stop(let streamID):
            if let publication, streamID == nil || streamID == publishStreamID {
                publication.end(reason: "unpublished")
                self.publication = nil
            }
            if let streamID, let writer = players.removeValue(forKey: streamID) { writer.cancel() }
        case .media(let message):
            guard let publication, message.streamID == publishStreamID || message.streamID == 0,
                  let packet = ToHub.packet(from: message) else { return }
            publication.send(packet)
        }
    }

    private func status(_ code: String, _ description: String, level: String = "status", streamID: UInt32) -> NIOAny {
        wrapOutboundOut(Command.onStatus(level: level, code: code, description: description)
            .message(streamID: streamID, chunkStreamID: RTMPMessage.Channel.data))
    }

    /// Sends a final status, then closes once it is written.
    private func refuse(_ status: NIOAny, context: ChannelHandlerContext) {
        let channel = context.channel
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenComplete { _ in channel.close(promise: nil) }
        context.writeAndFlush(status, promise: written)
    }

    private func startPublishing(name: String, streamID: UInt32, context: ChannelHandlerContext) {
        guard publication == nil else {
            context.writeAndFlush(status("NetStream.Publish.BadName", "already publishing", level: "error", streamID: streamID),
                                  promise: nil)
            return
        }
        do {
            let url = tcUrl.map { "\($0)/\(name)" }
            let pub = try hub.publish(name: name, mediaProvider: "RTMP") { stream in
                stream.rtmpUrl = url
                stream.sessionId = self.connectionID
                stream.appKey = self.session.app
                stream.transport = "TCP"
            }
            publication = pub
            publishStreamID = streamID
            let loop = context.eventLoop
            let bound = NIOLoopBound(self, eventLoop: loop)
            pub.setTerminationHandler { reason in
                loop.execute {
                    bound.value.terminateReason = reason
                    bound.value.context?.close(promise: nil)
                }
            }
            context.write(wrapOutboundOut(ControlMessages.userControl(.streamBegin, streamID)), promise: nil)
            context.writeAndFlush(status("NetStream.Publish.Start", "\(name) is now published", streamID: streamID),
                                  promise: nil)
            logger.debug("publish started", metadata: [LogKey.stream: "\(name)"])
        } catch {
            logger.info("publish refused", metadata: [LogKey.stream: "\(name)", LogKey.error: "\(error)"])
            refuse(status("NetStream.Publish.BadName", "\(error)", level: "error", streamID: streamID), context: context)
        }
    }

    private func startPlaying(name: String, streamID: UInt32, context: ChannelHandlerContext) {
        let subscription: Subscription
        do {
            subscription = try hub.subscribe(name: name, player: "RTMP") { stream in
                stream.rtmpUrl = self.tcUrl.map { "\($0)/\(name)" }
                stream.sessionId = self.connectionID
                stream.appKey = self.session.app
                stream.transport = "TCP"
            }
        } catch {
            logger.info("play refused", metadata: [LogKey.stream: "\(name)", LogKey.error: "\(error)"])
            refuse(status("NetStream.Play.StreamNotFound", "\(error)", level: "error", streamID: streamID), context: context)
            return
        }
        context.write(wrapOutboundOut(ControlMessages.userControl(.streamBegin, streamID)), promise: nil)
        context.write(status("NetStream.Play.Reset", "playing \(name)", streamID: streamID), promise: nil)
        context.write(status("NetStream.Play.Start", "started playing \(name)", streamID: streamID), promise: nil)
        var access = ByteBuffer()
        access.writeAMF0(.string("|RtmpSampleAccess"))
        access.writeAMF0(.boolean(true))
        access.writeAMF0(.boolean(true))
        context.writeAndFlush(wrapOutboundOut(RTMPMessage(chunkStreamID: RTMPMessage.Channel.data, type: .dataAMF0,
                                                          streamID: streamID, payload: access)), promise: nil)
        let writer = SubscriptionWriter(subscription: subscription, streamID: streamID, context: context,
                                        sharedChunkSize: ServerSession.outgoingChunkSize) { [weak self] reason in
            guard let self, let context = self.context else { return }
            self.players[streamID] = nil
            context.write(self.wrapOutboundOut(ControlMessages.userControl(.streamEOF, streamID)), promise: nil)
            self.refuse(self.status("NetStream.Play.Stop", reason, streamID: streamID), context: context)
        }
        players[streamID] = writer
        logger.info("play started", metadata: [LogKey.stream: "\(name)"])
    }
}

@available(*, unavailable)
extension ServerSessionHandler: Sendable {}
