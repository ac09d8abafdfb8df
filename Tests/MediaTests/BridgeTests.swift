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
