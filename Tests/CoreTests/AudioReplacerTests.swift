import Core
import NIOCore
import Testing

@Suite("audio replacer")
struct AudioReplacerTests {
    static func audio(_ dts: Int64, config: Bool = false, byte: UInt8 = 1) -> MediaPacket {
        MediaPacket(kind: .audio, codec: .aac, dts: dts, isKeyframe: true, isConfig: config,
                    payload: ByteBuffer(bytes: [byte]))
    }

    static func video(_ dts: Int64) -> MediaPacket {
        MediaPacket(kind: .video, codec: .h264, dts: dts, isKeyframe: false, payload: ByteBuffer(bytes: [0]))
    }

    /// A clip of `count` packets 20 ms apart, payload byte 9, config byte 8.
    static func clip(count: Int, byte: UInt8 = 9) -> AudioClip {
        AudioClip(config: audio(0, config: true, byte: 8),
                  packets: (0..<count).map { audio(Int64($0) * 20, byte: byte) },
                  durationMilliseconds: Int64(count) * 20)
    }

    @Test("without a clip every packet passes unchanged")
    func passesThrough() {
        var r = AudioReplacer()
        #expect(r.process(Self.audio(0, config: true)).count == 1)
        #expect(r.process(Self.video(0)).count == 1)
        #expect(r.process(Self.audio(10)).map(\.dts) == [10])
    }

    @Test("a clip replaces the stream's audio, starts with its config and follows the stream's clock")
    func replaces() {
        var r = AudioReplacer()
        _ = r.process(Self.audio(0, config: true, byte: 7))
        _ = r.process(Self.audio(100))
        r.replace(with: Self.clip(count: 10), loop: true)
        // The stream's audio packet is dropped but still drives the clock (audio-only streams).
        let first = r.process(Self.audio(120))
        #expect(first.first?.isConfig == true && first.first?.payload.getInteger(at: 0, as: UInt8.self) == 8)
        #expect(first.filter { !$0.isConfig }.map(\.dts) == [120])
        #expect(first.allSatisfy { $0.payload.getInteger(at: 0, as: UInt8.self) != 1 })
        let next = r.process(Self.video(140))
        #expect(next.map(\.dts) == [140, 140] && next.last?.kind == .video)
        let later = r.process(Self.video(200)).filter { $0.kind == .audio }
        #expect(later.map(\.dts) == [160, 180, 200])
        #expect(later.allSatisfy { $0.payload.getInteger(at: 0, as: UInt8.self) == 9 })
    }

    @Test("a looping clip starts over after its duration; a non-looping one is followed by the tail")
    func loopsAndTails() {
        var looping = AudioReplacer()
        looping.replace(with: Self.clip(count: 2), loop: true)
        _ = looping.process(Self.video(0))
        let dts = looping.process(Self.video(100)).filter { $0.kind == .audio }.map(\.dts)
        #expect(dts == [20, 40, 60, 80, 100])

        var once = AudioReplacer()
        once.replace(with: Self.clip(count: 2), loop: false, then: Self.clip(count: 1, byte: 5))
        _ = once.process(Self.video(0))
        let out = once.process(Self.video(100)).filter { $0.kind == .audio }
        #expect(out.map(\.dts) == [20, 40, 60, 80, 100])
        #expect(out.dropFirst().allSatisfy { $0.payload.getInteger(at: 0, as: UInt8.self) == 5 })
    }

    @Test("restoring resends the stream's config and keeps audio timestamps monotonic")
    func restores() {
        var r = AudioReplacer()
        _ = r.process(Self.audio(0, config: true, byte: 7))
        r.replace(with: Self.clip(count: 100), loop: false)
        _ = r.process(Self.video(0))
        _ = r.process(Self.video(200))
        r.restore()
        #expect(r.process(Self.audio(190)).isEmpty)  // before the last clip packet: dropped
        let back = r.process(Self.audio(220))
        #expect(back.count == 2 && back[0].isConfig && back[0].payload.getInteger(at: 0, as: UInt8.self) == 7)
        #expect(back[1].dts == 220)
        #expect(!r.isReplacing)
    }

    @Test("an empty clip without a tail never spins")
    func emptyClip() {
        var r = AudioReplacer()
        let empty = AudioClip(config: Self.audio(0, config: true), packets: [], durationMilliseconds: 0)
        r.replace(with: empty, loop: true)
        #expect(r.process(Self.video(10_000)).filter { $0.kind == .audio && !$0.isConfig }.isEmpty)
    }
}
