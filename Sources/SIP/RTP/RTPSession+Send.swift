import NIOCore
import Synchronization

/// What the call sends: audio frames on the send clock, RFC 4733 events.
extension RTPSession {
    /// Sends `digits` as RFC 4733 events, 200 ms tone and 50 ms gap each; unknown characters
    /// are skipped. Returns when the last packet is out.
    func sendDTMF(_ digits: String) async {
        for digit in digits {
            guard let code = DTMFEvent.code(for: digit) else { continue }
            // The event starts at the audio clock's current frame; audio pauses while it lasts
            // (RFC 4733 §2.5.1.1: one timestamp for the whole event).
            let (start, clockRate) = state.withLock { s -> (UInt32, Int) in
                s.isSendingEvent = true
                let frame = max(s.frames, s.dueFrames(at: .now()))
                s.frames = frame
                // Durations count the timestamp's units: the audio codec's clock, even when the far
                // end only knows telephone-event/8000 next to Opus.
                return (s.timestamp(frame: frame), s.answer?.codec.clockRate ?? 8_000)
            }
            for (index, event) in DTMFEvent.packets(for: code, clockRate: clockRate).enumerated() {
                sendEvent(event, timestamp: start, marker: index == 0)
                if !event.isEnd { try? await Task.sleep(for: .milliseconds(50)) } // cancellation ends the digit early
            }
            state.withLock { $0.isSendingEvent = false }
            try? await Task.sleep(for: .milliseconds(50)) // gap between digits; cancellation only shortens it
        }
    }

    /// Takes the frames of the send clock that are due from the feed (on the channel's event
    /// loop) and has the coder encode and send them.
    func sendDueFrames() {
        let work = state.withLock { s -> (CallAudioCoder, CallCodec, CallAudioFeed, [UInt32])? in
            guard s.remote != nil, let codec = s.answer?.codec, let feed = s.feed, let coder = s.coder else {
                return nil
            }
            let due = s.dueFrames(at: .now())
            if due - s.frames > Self.maxCatchUpFrames { s.frames = due - Self.maxCatchUpFrames }
            var timestamps: [UInt32] = []
            while s.frames < due {
                defer { s.frames += 1 }
                if s.isSendingEvent || s.isPaused { continue }
                timestamps.append(s.timestamp(frame: s.frames))
            }
            return timestamps.isEmpty ? nil : (coder, codec, feed, timestamps)
        }
        guard let (coder, codec, feed, timestamps) = work else { return }
        let frames = timestamps.map { _ in feed.nextFrame(count: coder.frameSamples) }
        coder.encode(frames, codec: codec) { [weak self] payloads in
            // An encoder that has not caught up yet gave fewer payloads: they are the latest frames.
            self?.sendAudio(payloads, timestamps: Array(timestamps.suffix(payloads.count)), codec: codec)
        }
    }

    /// Writes encoded frames (on the coder's queue: `Channel.write` is thread-safe).
    private func sendAudio(_ payloads: [[UInt8]], timestamps: [UInt32], codec: CallCodec) {
        let plan = state.withLock { s -> (SocketAddress, [RTPHeader])? in
            guard let remote = s.remote, !s.isSendingEvent else { return nil }
            var headers: [RTPHeader] = []
            for (timestamp, payload) in zip(timestamps, payloads) {
                s.sequence &+= 1
                headers.append(RTPHeader(marker: s.sentAudio == 0, payloadType: codec.payloadType,
                                         sequenceNumber: s.sequence, timestamp: timestamp, ssrc: s.ssrc))
                s.sentAudio += 1
                s.sendCounts.sent(octets: payload.count)
            }
            return (remote, headers)
        }
        guard let (remote, headers) = plan else { return }
        sockets.sendRTP(headers, payloads: payloads, to: remote)
    }

    private func sendEvent(_ event: DTMFEvent, timestamp: UInt32, marker: Bool) {
        let target = state.withLock { s -> (SocketAddress, RTPHeader)? in
            guard let remote = s.remote else { return nil }
            s.sequence &+= 1
            s.sendCounts.sent(octets: 4)
            let pt = s.answer?.telephoneEvent?.payloadType ?? SDPOffer.telephoneEventPayloadType
            return (remote, RTPHeader(marker: marker, payloadType: pt, sequenceNumber: s.sequence,
                                      timestamp: timestamp, ssrc: s.ssrc))
        }
        guard let (remote, header) = target else { return }
        var buffer = rtp.allocator.buffer(capacity: RTPHeader.size + 4)
        header.write(to: &buffer)
        event.write(to: &buffer)
        rtp.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
    }
}
