import Core
import Logging
import NIOCore
import Synchronization

/// What the call receives: RTP into the jitter buffer and on to the coder, with the buffer's timer.
extension RTPSession {
    /// Takes one RTP datagram (on the channel's event loop).
    func receive(_ envelope: AddressedEnvelope<ByteBuffer>) {
        let header: RTPHeader
        let payload: ByteBuffer
        do {
            (header, payload) = try RTPHeader.parse(envelope.data)
        } catch {
            let count = state.withLock { s -> Int in
                s.malformed += 1
                return s.malformed
            }
            if count == 1 { logger.debug("malformed rtp dropped", metadata: [LogKey.error: "\(error)"]) }
            return
        }
        let now = NIODeadline.now()
        let (delivery, timer) = state.withLock { s -> (Delivery?, NIODeadline?) in
            s.lastReceived = .now
            s.received += 1
            let clockRate = Int64(s.answer?.codec.clockRate ?? 8_000)
            s.stats.update(ssrc: header.ssrc, sequence: header.sequenceNumber, timestamp: header.timestamp,
                           arrival: Int64(now.uptimeNanoseconds / 1_000) * clockRate / 1_000_000)
            s.latch(onto: envelope.remoteAddress)
            guard let codec = s.answer?.codec, header.payloadType == codec.payloadType else { return (nil, nil) }
            let bytes = Array(payload.readableBytesView)
            let ready = s.jitter.insert(.init(sequence: header.sequenceNumber, timestamp: header.timestamp,
                                              payload: bytes, ticks: codec.ticks(inPayload: bytes)), at: now)
            return (Delivery(s, ready, codec), s.claimJitterTimer())
        }
        delivery?.send()
        if let timer { scheduleJitterTimer(at: timer) }
    }

    /// What the jitter buffer released, with where it goes.
    private struct Delivery: Sendable {
        let coder: CallAudioCoder
        let handler: AudioHandler
        let items: [JitterBuffer.Output]
        let codec: CallCodec

        /// `borrowing`: an initializer's parameters are owned by default, and copying the whole
        /// session state per packet (retaining all it holds) showed in profiles.
        init?(_ s: borrowing State, _ items: [JitterBuffer.Output], _ codec: CallCodec) {
            guard !items.isEmpty, let coder = s.coder, let handler = s.onAudio else { return nil }
            (self.coder, self.handler, self.items, self.codec) = (coder, handler, items, codec)
        }

        func send() { coder.decode(items, codec: codec, deliver: handler) }
    }

    /// Schedules the release of packets held behind a gap (claimed with `State.claimJitterTimer`).
    private func scheduleJitterTimer(at deadline: NIODeadline) {
        rtp.eventLoop.scheduleTask(deadline: deadline) { [weak self] in self?.releaseHeldAudio() }
    }

    /// The jitter timer: gives up on a gap nothing filled in time (the end of a talkspurt).
    private func releaseHeldAudio() {
        let (delivery, timer) = state.withLock { s -> (Delivery?, NIODeadline?) in
            s.isJitterTimerArmed = false
            guard let codec = s.answer?.codec else { return (nil, s.claimJitterTimer()) }
            return (Delivery(s, s.jitter.releaseExpired(at: .now()), codec), s.claimJitterTimer())
        }
        delivery?.send()
        if let timer { scheduleJitterTimer(at: timer) }
    }
}

extension RTPSession.State {
    /// The deadline for a jitter timer to schedule when packets wait behind a gap and no timer
    /// is set yet; marks it set. Taken under the same lock as the packet's insert, so a packet
    /// costs one lock, not two.
    mutating func claimJitterTimer() -> NIODeadline? {
        guard !isJitterTimerArmed, let deadline = jitter.releaseDeadline else { return nil }
        isJitterTimerArmed = true
        return deadline
    }
}
