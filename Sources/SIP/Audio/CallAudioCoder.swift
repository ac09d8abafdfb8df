import Core
import Dispatch
import Logging
import Synchronization

/// Encodes what one call sends and decodes what it receives, on a serial queue of its own, so
/// FFmpeg (G.722) and libopus never run on an event loop (DESIGN.md, Concurrency).
///
/// G.711 at the call's rate is a table lookup per sample: it is coded at once on the calling
/// thread (the event loop), as long as nothing is queued, which keeps the order. Hopping to the
/// queue for it twice per 20 ms per call cost 50-70 % more CPU per call (bench/sip-calls).
///
/// Each request names the codec it was planned with; a new codec (after a re-INVITE) gets a
/// new encoder or decoder on the queue, so no request is coded with the wrong one. The call's
/// PCM rate (`callRate`, the first answer's codec) stays for the whole call, since its AAC
/// stream and injected audio use it; a later codec with another rate is converted to and from it.
/// Invariant for `@unchecked Sendable`: `encoding`, `decoding` and `failures` are touched only on
/// `queue`; `queued` has its own lock.
final class CallAudioCoder: @unchecked Sendable {
    /// The call's PCM rate: of what `encode` takes and `decode` gives.
    let callRate: Int
    private let queue: DispatchQueue
    private let logger: Logger
    private var encoding: Encoding?
    private var decoding: Decoding?
    private var failures = 0
    /// Jobs on `queue` not finished yet; inline coding waits for zero.
    private let queued = Mutex(0)

    private struct Encoding {
        let codec: CallCodec
        let encoder: any CallAudioEncoder
        let converter: PCMRateConverter?
        /// Converted samples not yet encoded (the resampler's output does not fall on frames).
        var buffered: [Int16] = []
    }

    private struct Decoding {
        let codec: CallCodec
        let decoder: any CallAudioDecoder
        let converter: PCMRateConverter?
    }

    /// - Parameters:
    ///   - callRate: the call's PCM rate (its first codec's).
    ///   - label: names the queue (the call id).
    init(callRate: Int, label: String, logger: Logger) {
        self.callRate = callRate
        self.logger = logger
        queue = DispatchQueue(label: "sip-codec-\(label)")
    }

    /// PCM samples per 20 ms frame at the call's rate.
    var frameSamples: Int { callRate / 50 }

    /// Encodes 20 ms frames at `callRate` with `codec`; `send` gets their payloads in order,
    /// on the queue (a frame that failed or gave nothing yet has no payload).
    func encode(_ frames: [[Int16]], codec: CallCodec, send: @escaping @Sendable (_ payloads: [[UInt8]]) -> Void) {
        if let g711 = inlineCoder(for: codec) {
            send(frames.compactMap { g711.encode($0) })
            return
        }
        enqueue { [self] in
            do {
                var state = try encodingState(for: codec)
                var payloads: [[UInt8]] = []
                for frame in frames {
                    let samples = try state.converter?.convert(frame) ?? frame
                    state.buffered += samples
                    guard state.buffered.count >= codec.samplesPerFrame else { continue }
                    let chunk = Array(state.buffered.prefix(codec.samplesPerFrame))
                    state.buffered.removeFirst(codec.samplesPerFrame)
                    if let payload = try state.encoder.encode(chunk) { payloads.append(payload) }
                }
                encoding = state
                if !payloads.isEmpty { send(payloads) }
            } catch {
                countFailure("encode", error)
            }
        }
    }

    /// Decodes what the jitter buffer released, in order; `deliver` gets the samples at
    /// `callRate` on the queue, with the decoder's concealment (Opus) or silence for holes.
    func decode(_ items: [JitterBuffer.Output], codec: CallCodec,
                deliver: @escaping @Sendable (_ samples: [Int16]) -> Void) {
        if let g711 = inlineCoder(for: codec) {
            let out = items.flatMap { item -> [Int16] in
                switch item {
                case .hole(let ticks, _, _): g711.conceal(samples: ticks, before: nil)
                case .payload(let payload): g711.decode(payload)
                }
            }
            if !out.isEmpty { deliver(out) }
            return
        }
        enqueue { [self] in
            var out: [Int16] = []
            for item in items {
                do {
                    let state = try decodingState(for: codec)
                    let samples: [Int16]
                    switch item {
                    case .hole(let ticks, let lost, let next):
                        // The next payload's FEC data covers a lost packet, not a sender's pause.
                        samples = try state.decoder.conceal(samples: ticks * codec.sampleRate / codec.clockRate,
                                                            before: lost > 0 ? next : nil)
                    case .payload(let payload):
                        samples = try state.decoder.decode(payload)
                    }
                    out += try state.converter?.convert(samples) ?? samples
                } catch {
                    countFailure("decode", error)
                }
            }
            if !out.isEmpty { deliver(out) }
        }
    }

    /// Waits until what was queued so far is done (for tests).
    func drain() { queue.sync {} }

    /// The G.711 coder to use on the calling thread, nil when the work must go to the queue
    /// (another codec, a rate conversion, or queued jobs that must finish first).
    private func inlineCoder(for codec: CallCodec) -> G711Coder? {
        guard codec.sampleRate == callRate, queued.withLock({ $0 == 0 }) else { return nil }
        switch codec.kind {
        case .pcmu: return G711Coder(law: .mu)
        case .pcma: return G711Coder(law: .a)
        case .g722, .opus: return nil
        }
    }

    /// Runs `job` on the queue, counted in `queued`.
    private func enqueue(_ job: @escaping @Sendable () -> Void) {
        queued.withLock { $0 += 1 }
        queue.async { [self] in
            job()
            queued.withLock { $0 -= 1 }
        }
    }

    private func encodingState(for codec: CallCodec) throws -> Encoding {
        if let encoding, encoding.codec == codec { return encoding }
        let converter = codec.sampleRate == callRate ? nil : try PCMRateConverter(from: callRate, to: codec.sampleRate)
        return Encoding(codec: codec, encoder: try codec.makeEncoder(), converter: converter)
    }

    private func decodingState(for codec: CallCodec) throws -> Decoding {
        if let decoding, decoding.codec == codec { return decoding }
        let converter = codec.sampleRate == callRate ? nil : try PCMRateConverter(from: codec.sampleRate, to: callRate)
        let state = Decoding(codec: codec, decoder: try codec.makeDecoder(), converter: converter)
        decoding = state
        return state
    }

    /// Logs the first failure and every hundredth: a bad packet should not flood the log.
    private func countFailure(_ step: String, _ error: any Error) {
        failures += 1
        if failures == 1 || failures % 100 == 0 {
            logger.warning("audio \(step) failed", metadata: [LogKey.error: "\(error)", "count": "\(failures)"])
        }
    }
}
