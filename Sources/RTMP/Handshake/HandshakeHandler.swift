import NIOCore

/// Runs the handshake at the head of the pipeline, then hands any bytes that followed it to
/// the chunk decoder and removes itself. Fires `HandshakeHandler.Completed` when done. A peer
/// that does not finish the handshake within `timeout` is disconnected, so idle sockets cannot
/// pile up.
final class HandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    /// How long a peer has to complete the handshake (10 s; real peers need milliseconds).
    static let timeout = TimeAmount.seconds(10)

    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// User event fired once the handshake has finished.
    struct Completed: Sendable {}

    private var handshake: Handshake
    private var buffered = ByteBuffer()
    private var isDone = false
    private var deadline: Scheduled<Void>?

    init(role: Handshake.Role) {
        self.handshake = Handshake(role: role)
    }

    func channelActive(context: ChannelHandlerContext) {
        armTimeout(context: context)
        if handshake.role == .client {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: handshake.start())),
                                  promise: nil)
        }
        context.fireChannelActive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armTimeout(context: context) }
        if handshake.role == .client, context.channel.isActive {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: handshake.start())),
                                  promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !isDone else {
            context.fireChannelRead(data)
            return
        }
        var bytes = unwrapInboundIn(data)
        buffered.writeBuffer(&bytes)
        do {
            switch try handshake.feed(&buffered) {
            case .needMoreData:
                break
            case .send(let reply):
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply)), promise: nil)
            case .complete(let reply):
                isDone = true
                deadline?.cancel()
                if !reply.isEmpty {
                    context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply)), promise: nil)
                }
                context.fireUserInboundEventTriggered(Completed())
                if buffered.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(buffered)) }
                buffered = ByteBuffer()
                context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            }
        } catch {
            context.fireErrorCaught(error)
        }
    }
}

extension HandshakeHandler {
    private func armTimeout(context: ChannelHandlerContext) {
        guard deadline == nil else { return }
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: Self.timeout) {
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }
}

@available(*, unavailable)
extension HandshakeHandler: Sendable {}
