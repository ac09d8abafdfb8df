import Core
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

    @Test("a missing sound file is 404 No such file")
    func missing() async {
        await #expect(throws: ServiceError.notFound("No such file")) {
            _ = try await TransponderAudioClips(mediaDirectory: "/tmp").sound(file: "no-such-sound.wav")
        }
    }
}
