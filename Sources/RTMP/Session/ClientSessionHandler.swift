import Core
import Logging
import NIOCore

/// Carries out `ClientSession` actions on one outgoing connection: after the handshake it
/// connects and starts publishing (writing a hub subscription) or playing (handing packets to
/// a callback). Any error or refusal closes the connection.
final class ClientSessionHandler: ChannelInboundHandler {
    typealias InboundIn = RTMPMessage
    typealias OutboundOut = RTMPMessage

    private var session: ClientSession
    private let started: EventLoopPromise<UInt32>
    private let subscription: Subscription?
    private let timestamps: TimestampStore?
    private let audio: AudioSwitch?
    private let onPacket: (@Sendable (MediaPacket) -> Void)?
    private let logger: Logger
    private var writer: SubscriptionWriter?
    private var isStarted = false

    init(url: RTMPURL, mode: ClientSession.Mode, started: EventLoopPromise<UInt32>, subscription: Subscription?,
         timestamps: TimestampStore?, audio: AudioSwitch? = nil, onPacket: (@Sendable (MediaPacket) -> Void)?,
         logger: Logger) {
        self.audio = audio
        self.session = ClientSession(url: url, mode: mode)
        self.started = started
        self.subscription = subscription
        self.timestamps = timestamps
        self.onPacket = onPacket
        self.logger = logger
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is HandshakeHandler.Completed {
            perform(session.start(), context: context)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            perform(try session.handle(unwrapInboundIn(data)), context: context)
        } catch {
            fail(context: context, error)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { writer?.schedule() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let writer {
            timestamps?.save(writer.timestamps)
            writer.cancel()
        } else {
            subscription?.cancel()
        }
        writer = nil
        if !isStarted { started.fail(RTMPError.connectionClosed) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, error)
    }

    /// Says goodbye (FCUnpublish, deleteStream) and closes.
    func close(context: ChannelHandlerContext) {
        for message in session.goodbye() { context.write(wrapOutboundOut(message), promise: nil) }
        context.flush()
        context.close(promise: nil)
    }

    private func fail(context: ChannelHandlerContext, _ error: any Error) {
        logger.info("closing on error", metadata: [LogKey.error: "\(error)"])
        if !isStarted {
            isStarted = true
            started.fail(error)
        }
        context.close(promise: nil)
    }

    private func perform(_ actions: [ClientSession.Action], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .send(let message):
                context.writeAndFlush(wrapOutboundOut(message), promise: nil)
            case .started(let streamID):
                isStarted = true
                started.succeed(streamID)
                if let subscription {
                    let rebaser = timestamps?.nextSegment() ?? TimestampRebaser()
                    audio?.startSegment()
                    writer = SubscriptionWriter(subscription: subscription, streamID: streamID, context: context,
                                                rebaser: rebaser, audio: audio) { [weak self] reason in
                        guard let self else { return }
                        if let writer = self.writer { self.timestamps?.save(writer.timestamps) }
                        self.logger.info("source ended", metadata: ["reason": "\(reason)"])
                        self.close(context: context)
                    }
                }
            case .media(let message):
                if let packet = ToHub.packet(from: message) { onPacket?(packet) }
            case .failed(let code):
                fail(context: context, RTMPError.rejected(code))
            }
        }
    }
}

@available(*, unavailable)
extension ClientSessionHandler: Sendable {}
