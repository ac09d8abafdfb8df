import Core
import Logging

/// The transcoder's audio path: copies audio by default; with `audioCodec: "AAC"` it
/// re-encodes audio that is not AAC already (G.711, MP3 and Speex from RTMP) to AAC-LC.
struct AudioTranscoding {
    private let isReencoding: Bool
    private let logger: Logger
    private var codec: HubCodec?
    private var decoder: Decoder?
    private var aac: AACEncoding?
    private var failures = 0

    init(settings: EncoderSettings, logger: Logger) {
        isReencoding = settings.audioCodec?.uppercased() == "AAC"
        self.logger = logger
    }

    /// The output packets for one input audio packet (configuration or media).
    mutating func process(_ packet: MediaPacket) -> [MediaPacket] {
        guard isReencoding, packet.codec != .aac else { return [packet] }
        do {
            if decoder == nil {
                let codec = try HubCodec(audio: nil, firstPacket: packet)
                let aac = try AACEncoding()
                decoder = try Decoder(parameters: codec.parameters, timeBase: .milliseconds)
                self.codec = codec
                self.aac = aac
                return [aac.configPacket] + (try encode(packet))
            }
            return try encode(packet)
        } catch {
            failures += 1
            if failures == 1 || failures % 100 == 0 {
                logger.warning("audio packet not transcoded", metadata: ["error": "\(error)", "count": "\(failures)"])
            }
            return []
        }
    }

    private func encode(_ packet: MediaPacket) throws(MediaError) -> [MediaPacket] {
        guard let codec, let decoder, let aac else { return [] }
        var out: [MediaPacket] = []
        for frame in try decoder.decode(try codec.packet(packet)) { out += try aac.encode(frame, timeBase: .milliseconds) }
        return out
    }
}
