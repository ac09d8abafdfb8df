import Core
import Foundation
import Testing
@testable import Media

@Suite struct AudioTests {
    /// A media folder in `fixtures` holding beep.wav: 2 s of a 440 Hz sine at 44.1 kHz.
    static func mediaFolderWithBeep(_ fixtures: Fixtures, channels: Int = 1) throws -> String {
        let media = fixtures.folder + "/media"
        try FileManager.default.createDirectory(atPath: media, withIntermediateDirectories: true)
        try Fixtures.run("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                                             "-i", "sine=frequency=440:sample_rate=44100", "-t", "2",
                                             "-ac", String(channels), "-c:a", "pcm_s16le", media + "/beep.wav"])
        return media
    }

    @Test("a WAV from the media folder becomes AAC packets covering its length")
    func soundFile() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let media = try Self.mediaFolderWithBeep(fixtures)
        let sound = try SoundFile(name: "beep.wav", mediaDirectory: media)
        #expect(sound.configPacket.isConfig && sound.configPacket.codec == .aac)
        #expect(abs(sound.durationMilliseconds - 2000) < 100)
        #expect(sound.packets.count >= 90)   // 2 s of 1024-sample frames at 48 kHz
        #expect(zip(sound.packets, sound.packets.dropFirst()).allSatisfy { $0.dts < $1.dts })
        #expect(sound.packets.first?.dts ?? -1 <= 0)  // the first packet was stamped 0
        #expect(throws: ServiceError.notFound("No such file")) {
            _ = try SoundFile(name: "missing.wav", mediaDirectory: media)
        }
        #expect(throws: ServiceError.self) { _ = try SoundFile(name: "../beep.wav", mediaDirectory: media) }
    }

    @Test("a sound file decodes to mono 16-bit PCM at the rate asked for, as SIP calls play it")
    func pcmSound() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let media = try Self.mediaFolderWithBeep(fixtures, channels: 2)
        let sound = try PCMSound(name: "beep.wav", mediaDirectory: media, sampleRate: 8000)
        #expect(sound.sampleRate == 8000)
        #expect(abs(sound.samples.count - 16_000) < 200)  // 2 s, the resampler's tail flushed too
        let peak = sound.samples.map { abs(Int($0)) }.max() ?? 0
        #expect((2_000...8_000).contains(peak))  // lavfi's sine is 1/8 of full scale
        #expect(throws: ServiceError.notFound("No such file")) {
            _ = try PCMSound(name: "missing.wav", mediaDirectory: media, sampleRate: 8000)
        }
        try Data("this is no sound".utf8).write(to: URL(fileURLWithPath: media + "/text.wav"))
        do {
            _ = try PCMSound(name: "text.wav", mediaDirectory: media, sampleRate: 8000)
            Issue.record("a text file decoded as sound")
        } catch ServiceError.invalid(let message, let field) {
            #expect(message.hasPrefix("text.wav is not a readable sound file"))
            #expect(field == "fileName")
        }
    }

    @Test("silence comes as AAC packets that decode to zero samples, with continuous timestamps")
    func silence() throws {
        let source = try SilenceSource(startMilliseconds: 1000)
        let packets = try source.packets(until: 2000) + (try source.packets(until: 3000))
        #expect(packets.count >= 40)
        #expect(packets.first.map { $0.dts >= 1000 } == true)
        #expect(zip(packets, packets.dropFirst()).allSatisfy { $0.dts < $1.dts })
        let config = CodecConfig.Audio(codec: .aac, record: source.configPacket.payload)
        let codec = try HubCodec(audio: config, firstPacket: nil)
        let decoder = try Decoder(parameters: codec.parameters, timeBase: .milliseconds)
        var peak: Float = 0
        for packet in packets {
            for frame in try decoder.decode(try codec.packet(packet)) {
                frame.withPlane(0) { data, _ in
                    guard let samples = data?.assumingMemoryBound(to: Float.self) else { return }
                    for index in 0..<frame.sampleCount { peak = max(peak, abs(samples[index])) }
                }
            }
        }
        #expect(peak < 1e-4)   // below -80 dBFS
    }
}
