import Core
import Foundation
import Testing
@testable import Media

@Suite struct AudioTests {
    @Test("a WAV from the media folder becomes AAC packets covering its length")
    func soundFile() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let media = fixtures.folder + "/media"
        try FileManager.default.createDirectory(atPath: media, withIntermediateDirectories: true)
        try Fixtures.run("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                                             "-i", "sine=frequency=440:sample_rate=44100", "-t", "2",
                                             "-c:a", "pcm_s16le", media + "/beep.wav"])
        let sound = try SoundFile(name: "beep.wav", mediaDirectory: media)
        #expect(sound.configPacket.isConfig && sound.configPacket.codec == .aac)
        #expect(abs(sound.durationMilliseconds - 2000) < 100)
        #expect(sound.packets.count >= 90)   // 2 s of 1024-sample frames at 48 kHz
        #expect(zip(sound.packets, sound.packets.dropFirst()).allSatisfy { $0.dts < $1.dts })
        #expect(throws: ServiceError.notFound("No such file")) {
            _ = try SoundFile(name: "missing.wav", mediaDirectory: media)
        }
        #expect(throws: ServiceError.self) { _ = try SoundFile(name: "../beep.wav", mediaDirectory: media) }
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
