import COpus
import Testing

@Suite("libopus links and works")
struct OpusTests {
    @Test("libopus encodes 20 ms of silence with in-band FEC on and decodes it back to 960 samples")
    func roundTrip() throws {
        #expect(String(cString: opus_get_version_string()).hasPrefix("libopus"))
        var error: Int32 = 0
        let encoder = try #require(opus_encoder_create(48_000, 1, OPUS_APPLICATION_VOIP, &error))
        defer { opus_encoder_destroy(encoder) }
        #expect(copus_set_inband_fec(encoder, 1) == OPUS_OK)
        let decoder = try #require(opus_decoder_create(48_000, 1, &error))
        defer { opus_decoder_destroy(decoder) }
        let pcm = [Int16](repeating: 0, count: 960)
        var packet = [UInt8](repeating: 0, count: 1_500)
        let length = opus_encode(encoder, pcm, 960, &packet, Int32(packet.count))
        #expect(length > 0)
        var out = [Int16](repeating: 1, count: 960)
        #expect(opus_decode(decoder, packet, length, &out, 960, 0) == 960)
    }
}
