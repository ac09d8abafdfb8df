import Core
import Foundation
import NIOCore
import Testing
@testable import Media

@Suite struct TransponderAudioClipsTests {
    @Test("the silence clip is AAC that loops on a frame boundary")
    func silence() async throws {
        let clip = try await TransponderAudioClips(mediaDirectory: "/nonexistent").silence()
        #expect(clip.config.isConfig && clip.config.codec == .aac)
        #expect(clip.durationMilliseconds == Int64(TransponderAudioClips.silenceMilliseconds))
        #expect(!clip.packets.isEmpty && clip.packets.allSatisfy { $0.dts < clip.durationMilliseconds })
    }

    @Test("clips follow the stream's audio format: a 48 kHz stereo WAV for a 44.1 kHz mono stream")
    func clipsFollowTheStreamFormat() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        try Fixtures.run("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                                             "-i", "sine=frequency=440:sample_rate=48000", "-ac", "2", "-t", "1",
                                             "-c:a", "pcm_s16le", fixtures.folder + "/tone.wav"])
        let format = AudioFormat(sampleRate: 44_100, channels: 1)
        let clips = TransponderAudioClips(mediaDirectory: fixtures.folder)
        for clip in [try await clips.sound(file: "tone.wav", format: format), try await clips.silence(format: format)] {
            let config = CodecConfig.Audio(codec: .aac, record: clip.config.payload)
            #expect((config.sampleRate, config.channels) == (44_100, 1))
            #expect(zip(clip.packets, clip.packets.dropFirst()).allSatisfy { $0.dts < $1.dts })
        }
        let silence = try await clips.silence(format: format)
        #expect(silence.packets.count == 41 && silence.durationMilliseconds == 952)   // 41 frames of 1024 at 44.1 kHz
        #expect(AudioFormat(CodecConfig.Audio(codec: .aac, record: clip44kMono)) == format)
    }

    /// AudioSpecificConfig: AAC LC, 44.1 kHz (index 4), 1 channel.
    private var clip44kMono: ByteBuffer { ByteBuffer(bytes: [0x12, 0x08]) }

    @Test("a missing sound file is 404 No such file")
    func missing() async {
        await #expect(throws: ServiceError.notFound("No such file")) {
            _ = try await TransponderAudioClips(mediaDirectory: "/tmp").sound(file: "no-such-sound.wav")
        }
    }
}
