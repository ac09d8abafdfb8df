import Foundation
import Logging
import Synchronization
import Testing

@testable import SIP

@Suite("Call codecs (G.711 tables, G.722 through FFmpeg, Opus on libopus)")
struct CallCodecTests {
    /// `seconds` of a sine at `frequency`, half scale.
    static func tone(_ frequency: Double, rate: Int, seconds: Double = 1) -> [Int16] {
        (0..<Int(Double(rate) * seconds)).map { Int16(16_000 * sin(2 * .pi * frequency * Double($0) / Double(rate))) }
    }

    /// The share of the signal's energy at `frequency` (Goertzel): about 1 for a pure tone there.
    static func share(of frequency: Double, in samples: [Int16], rate: Int) -> Double {
        let coefficient = 2 * cos(2 * .pi * frequency / Double(rate))
        var (s1, s2) = (0.0, 0.0)
        var energy = 0.0
        for sample in samples {
            let x = Double(sample)
            (s1, s2) = (x + coefficient * s1 - s2, s1)
            energy += x * x
        }
        let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
        return energy > 0 ? 2 * power / (Double(samples.count) * energy) : 0
    }

    /// Encodes `samples` frame by frame and decodes every payload, as a call would.
    static func roundTrip(_ codec: CallCodec, _ samples: [Int16]) throws -> (out: [Int16], bytes: Int) {
        let encoder = try codec.makeEncoder()
        let decoder = try codec.makeDecoder()
        var out: [Int16] = []
        var bytes = 0
        for start in stride(from: 0, to: samples.count - codec.samplesPerFrame + 1, by: codec.samplesPerFrame) {
            let frame = Array(samples[start..<(start + codec.samplesPerFrame)])
            guard let payload = try encoder.encode(frame) else { continue }
            bytes += payload.count
            out += try decoder.decode(payload)
        }
        return (out, bytes)
    }

    @Test("a 440 Hz tone survives encode and decode", arguments: [CallCodec.pcmu, .pcma, .g722, .opus])
    func tone440(codec: CallCodec) throws {
        let input = Self.tone(440, rate: codec.sampleRate)
        let (out, bytes) = try Self.roundTrip(codec, input)
        #expect(out.count >= input.count * 9 / 10, "about a second came back")
        let tail = Array(out.suffix(codec.sampleRate / 2))  // past any codec start-up
        let at440 = Self.share(of: 440, in: tail, rate: codec.sampleRate)
        let at1000 = Self.share(of: 1_000, in: tail, rate: codec.sampleRate)
        #expect(at440 > 0.8, "energy at 440 Hz: \(at440)")
        #expect(at1000 < 0.05, "energy at 1 kHz: \(at1000)")
        if codec.kind == .g722 { #expect(bytes == input.count / 2, "G.722: 64 kbit/s, 4 bits per 16 kHz sample") }
        if codec.kind == .opus { #expect(bytes < input.count, "Opus compresses far below G.711's byte a sample") }
    }

    @Test("the call coder converts a 16 kHz codec to an 8 kHz call and back on its queue")
    func rateConversion() throws {
        let coder = CallAudioCoder(callRate: 8_000, label: "test", logger: .init(label: "test"))
        let input = Self.tone(440, rate: 8_000)
        let frames = stride(from: 0, to: input.count, by: 160).map { Array(input[$0..<($0 + 160)]) }
        let payloads = Mutex<[[UInt8]]>([])
        coder.encode(frames, codec: .g722) { sent in payloads.withLock { $0 += sent } }
        coder.drain()
        let encoded = payloads.withLock { $0 }
        #expect(encoded.count >= 48 && encoded.allSatisfy { $0.count == 160 }, "20 ms G.722 payloads: \(encoded.count)")
        let decoded = Mutex<[Int16]>([])
        coder.decode(encoded.map { .payload($0) } + [.hole(ticks: 160, lost: 1, next: encoded[0])], codec: .g722) { samples in
            decoded.withLock { $0 += samples }
        }
        coder.drain()
        let out = decoded.withLock { $0 }
        #expect(abs(out.count - (encoded.count + 1) * 160) <= 160, "8 kHz samples: \(out.count)")
        // The hole's silence goes through the 16 to 8 kHz resampler too, behind the tone's last few samples.
        #expect(out.suffix(120).allSatisfy { $0 == 0 }, "a G.722 hole is silence")
        #expect(Self.share(of: 440, in: Array(out.dropLast(160).suffix(4_000)), rate: 8_000) > 0.8)
    }
}
