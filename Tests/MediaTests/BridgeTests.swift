import Core
import NIOCore
import Testing
@testable import Media

@Suite struct BridgeTests {
    static let sps: [UInt8] = [0x67, 0x64, 0x00, 0x1F, 0xAC]
    static let pps: [UInt8] = [0x68, 0xEF, 0x8F]
    static let idr: [UInt8] = [0x65, 0x88, 0x84, 0x00]

    @Test("Annex B access units become AVCC with the parameter sets turned into a record")
    func annexBToAVCC() {
        let annexB = [0, 0, 0, 1, 0x09, 0xF0] + [0, 0, 0, 1] + Self.sps + [0, 0, 1] + Self.pps + [0, 0, 0, 1] + Self.idr
        var packager = H264Packager(extradata: [])
        let (record, payload, isKeyframe) = packager.package(annexB)
        #expect(record == AVCFormat.decoderConfigurationRecord(sps: Self.sps[...], pps: Self.pps[...]))
        #expect(isKeyframe)
        let units = AVCFormat.splitAVCC(payload).map(Array.init)
        #expect(units == [Self.sps, Self.pps, Self.idr])   // the access unit delimiter is dropped
        #expect(packager.package(annexB).record == nil)    // same parameter sets: no new record
    }

    @Test("a length-prefixed unit of 256-511 bytes is not taken for Annex B (its length starts 00 00 01)")
    func lengthPrefixedThatLooksLikeAStartCode() {
        let slice = [0x41] + [UInt8](repeating: 0x9A, count: 299)   // a 300-byte non-IDR slice
        let avcc = AVCFormat.joinAVCC([slice[...]])
        #expect(Array(avcc.prefix(3)) == [0, 0, 1])
        var packager = H264Packager(extradata: [])
        #expect(packager.package(avcc).payload == avcc)
        #expect(AVCFormat.units([0, 0, 0, 1] + Self.sps + [0, 0, 1] + Self.pps).map(Array.init) == [Self.sps, Self.pps])
    }

    @Test("parameter sets are found in avcC and Annex B extradata alike")
    func parameterSets() throws {
        let record = AVCFormat.decoderConfigurationRecord(sps: Self.sps[...], pps: Self.pps[...])
        let fromRecord = try #require(AVCFormat.parameterSets(extradata: record))
        #expect(Array(fromRecord.sps) == Self.sps && Array(fromRecord.pps) == Self.pps)
        let fromAnnexB = try #require(AVCFormat.parameterSets(extradata: [0, 0, 0, 1] + Self.sps + [0, 0, 0, 1] + Self.pps))
        #expect(Array(fromAnnexB.sps) == Self.sps && Array(fromAnnexB.pps) == Self.pps)
        #expect(AVCFormat.parameterSets(extradata: [1, 2, 3]) == nil)
    }

    @Test("recording names fill every placeholder; {endTime} waits for the end")
    func recordingNames() {
        let running = RecordingName.render("{streamName}-{mediaSessionId}-{startTime}-{endTime}",
                                           streamName: "cam", mediaSessionId: "abc", startTime: 5, endTime: nil)
        #expect(running == "cam-abc-5-recording")
        #expect(RecordingName.render("{streamName}-{endTime}", streamName: "cam", mediaSessionId: "abc",
                                     startTime: 5, endTime: 9) == "cam-9")
    }

    @Test("a transcoder size of 0 keeps the aspect and sizes round to even")
    func transcoderSizes() {
        #expect(TranscoderSize.scaleArguments(width: 640, height: 0) == "640:-2")
        #expect(TranscoderSize.scaleArguments(width: nil, height: 361) == "-2:360")
        #expect(TranscoderSize.scaleArguments(width: 321, height: 240) == "320:240")
        #expect(TranscoderSize.scaleArguments(width: 0, height: nil) == "trunc(iw/2)*2:trunc(ih/2)*2")
    }
}

@Suite struct HEVCBridgeTests {
    /// x265 output of `size` in `container` ("mkv": hvcC extradata; "hevc": Annex B, parameter sets in-band).
    static func encode(_ fixtures: Fixtures, size: String, container: String) throws -> String {
        try fixtures.make("clip.\(container)", seconds: 1, size: size, audio: false, arguments: [
            "-c:v", "libx265", "-x265-params", "log-level=none:keyint=10", "-pix_fmt", "yuv420p"])
    }

    @Test("H.265 from Annex B becomes an hvcC record and length-prefixed units that FFmpeg decodes at the cropped size")
    func annexBToHVCC() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let path = try Self.encode(fixtures, size: "424x238", container: "hevc")   // coded 424x240, cropped
        let demuxer = try Demuxer(url: ProtocolWhitelist.fileURL(path), whitelist: .file)
        let track = try #require(demuxer.bestStream(.video))
        var packager = H265Packager(extradata: [])
        var decoder: Decoder?
        var codec: HubCodec?
        var sizes: Set<[Int]> = []
        var keyframes = 0
        while let packet = try demuxer.read() {
            let (record, payload, isKeyframe) = packager.package(packet.bytes)
            if let record {
                let config = CodecConfig.Video(codec: .h265, record: ByteBuffer(bytes: record))
                #expect((config.width, config.height) == (424, 238))
                let hub = try HubCodec(video: config)
                codec = hub
                decoder = try Decoder(parameters: hub.parameters, timeBase: track.timeBase)
            }
            keyframes += isKeyframe ? 1 : 0
            #expect(AVCFormat.joinAVCC(AVCFormat.splitAVCC(payload)) == payload)   // length-prefixed throughout
            let hubPacket = MediaPacket(kind: .video, codec: .h265, dts: 0, timebase: 1000, isKeyframe: isKeyframe,
                                        payload: ByteBuffer(bytes: payload))
            guard let decoder, let codec else { continue }
            for frame in try decoder.decode(try codec.packet(hubPacket)) { sizes.insert([frame.width, frame.height]) }
        }
        #expect(packager.record != nil && keyframes >= 2)   // keyint 10 at 25 fps over 1 s
        #expect(sizes == [[424, 238]])
    }

    @Test("hvcC extradata (MKV) gives the same parameter sets and size")
    func hvcCExtradata() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let path = try Self.encode(fixtures, size: "320x240", container: "mkv")
        let demuxer = try Demuxer(url: ProtocolWhitelist.fileURL(path), whitelist: .file)
        let extradata = try #require(demuxer.bestStream(.video)).parameters.extradata
        let sets = try #require(HEVCFormat.parameterSets(extradata: extradata))
        let record = try #require(HEVCFormat.decoderConfigurationRecord(vps: sets.vps, sps: sets.sps, pps: sets.pps))
        #expect(H265SPS.pictureSize(hvcRecord: ByteBuffer(bytes: record)).map { [$0.width, $0.height] } == [320, 240])
        #expect(H265SPS.pictureSize(hvcRecord: ByteBuffer(bytes: extradata)).map { [$0.width, $0.height] } == [320, 240])
        #expect(HEVCFormat.parameterSets(extradata: [1, 2, 3]) == nil)
    }
}
