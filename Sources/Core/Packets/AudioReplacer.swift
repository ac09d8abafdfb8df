/// Replaces a stream's audio with clips on the stream's own timeline: a value-type state
/// machine that takes each outgoing packet and returns what to send instead. While a clip
/// plays, the stream's audio is dropped and clip packets are emitted as the stream's clock
/// (any media packet's dts) passes their time, so timestamps stay monotonic and continue from
/// the stream's. The receiver sees one audio track throughout; each switch resends the
/// matching AudioSpecificConfig.
public struct AudioReplacer: Sendable {
    private struct Program: Sendable {
        var clip: AudioClip
        var isLooping: Bool
        /// What plays once a non-looping clip ends (silence).
        var tail: AudioClip?
        var index = 0
        /// Stream time of the current pass's packet 0; nil until the clock is first seen.
        var offset: Int64?
    }

    private var program: Program?
    private var streamConfig: MediaPacket?
    private var pendingConfig: MediaPacket?
    private var lastAudioMilliseconds: Int64?

    /// Starts passing the stream's audio through.
    public init() {}

    /// true while a clip replaces the stream's audio.
    public var isReplacing: Bool { program != nil }

    /// Plays `clip` in place of the stream's audio from the next packet on; `loop` repeats it,
    /// otherwise `tail` (silence) loops after its end.
    public mutating func replace(with clip: AudioClip, loop: Bool, then tail: AudioClip? = nil) {
        program = Program(clip: clip, isLooping: loop, tail: tail)
        pendingConfig = clip.config
    }

    /// Returns to the stream's own audio (its configuration is resent first).
    public mutating func restore() {
        guard program != nil else { return }
        program = nil
        pendingConfig = streamConfig
    }

    /// A new output segment (a reconnect or republish): timestamps may start over, and the
    /// receiver needs the configuration again.
    public mutating func startSegment() {
        lastAudioMilliseconds = nil
        program?.offset = nil
        pendingConfig = program?.clip.config
    }

    /// What to send for `packet`: the packet itself, nothing (replaced audio) or clip packets
    /// due by its time followed by the packet.
    public mutating func process(_ packet: MediaPacket) -> [MediaPacket] {
        if packet.kind == .audio, packet.isConfig {
            streamConfig = packet
            guard program == nil else { return [] }
            pendingConfig = nil
            return [packet]
        }
        guard !packet.isEssential else { return [packet] }
        let now = packet.dtsMilliseconds
        guard program != nil else {
            guard packet.kind == .audio else { return [packet] }
            if let last = lastAudioMilliseconds, now <= last { return [] }
            lastAudioMilliseconds = now
            var out: [MediaPacket] = []
            if let config = pendingConfig { out.append(config) }
            pendingConfig = nil
            out.append(packet)
            return out
        }
        var out = clipPackets(until: now)
        if packet.kind != .audio { out.append(packet) }
        return out
    }

    /// The clip packets due at or before stream time `now`.
    private mutating func clipPackets(until now: Int64) -> [MediaPacket] {
        guard var p = program else { return [] }
        defer { program = p }
        let offset = p.offset ?? max(now, (lastAudioMilliseconds ?? now - 1) + 1)
        p.offset = offset
        var out: [MediaPacket] = []
        var passes = 0
        while true {
            if p.index >= p.clip.packets.count {
                p.index = 0
                p.offset = (p.offset ?? offset) + p.clip.durationMilliseconds
                if !p.isLooping {
                    guard let tail = p.tail else { return out }
                    p.clip = tail
                    p.isLooping = true
                }
                passes += 1
                // An empty clip would spin: stop after one empty pass.
                if p.clip.packets.isEmpty || passes > 1_000 { return out }
                continue
            }
            let source = p.clip.packets[p.index]
            let dts = (p.offset ?? offset) + source.dtsMilliseconds
            guard dts <= now else { return out }
            if let config = pendingConfig {
                var c = config
                c = MediaPacket(kind: .audio, codec: c.codec, dts: dts, timebase: 1000, isKeyframe: true,
                                isConfig: true, payload: c.payload)
                out.append(c)
                pendingConfig = nil
            }
            let shift = dts - source.dtsMilliseconds
            out.append(MediaPacket(kind: .audio, codec: source.codec, dts: dts,
                                   pts: source.ptsMilliseconds + shift, timebase: 1000,
                                   isKeyframe: true, payload: source.payload))
            lastAudioMilliseconds = dts
            p.index += 1
        }
    }
}
