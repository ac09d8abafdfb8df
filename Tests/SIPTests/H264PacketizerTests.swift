import Core
import NIOCore
import Testing

@testable import SIP

@Suite("H264Packetizer and HubVideoReader")
struct H264PacketizerTests {
    typealias D = H264DepacketizerTests

    @Test("small NAL units go alone, a large one as FU-A; the depacketizer gets the same units back")
    func roundTrip() {
        let units = [D.sps, D.pps, D.idr(3_000)]
        let payloads = H264Packetizer.payloads(units.map { $0[...] }, maxPayload: 1_200)
        #expect(payloads.map(\.count) == [5, 4, 1_200, 1_200, 605])
        #expect(payloads[2][0] == 0x7C && payloads[2][1] == 0x85, "FU-A, NRI of the IDR; start bit, type 5")
        #expect(payloads[4][1] == 0x45, "end bit, type 5")
        var d = H264Depacketizer()
        #expect(D.push(payloads, into: &d) == [.accessUnit(.init(timestamp: 9_000, units: units))])
    }

    @Test("the reader starts at a keyframe, puts SPS and PPS before it, and times pictures at 90 kHz")
    func reader() throws {
        var reader = HubVideoReader()
        let record = [1, 0x42, 0xE0, 0x1F, 0xFF, 0xE1, 0, 5] + D.sps + [1, 0, 4] + D.pps
        let config = MediaPacket(kind: .video, codec: .h264, dts: 0, isKeyframe: true, isConfig: true,
                                 payload: ByteBuffer(bytes: record))
        func picture(_ unit: [UInt8], ms: Int64, key: Bool) -> MediaPacket {
            MediaPacket(kind: .video, codec: .h264, dts: ms, isKeyframe: key,
                        payload: ByteBuffer(bytes: [0, 0, 0, UInt8(unit.count)] + unit))
        }
        let beforeKeyframe = [reader.picture(config), reader.picture(picture([0x41, 1], ms: 0, key: false))]
        #expect(beforeKeyframe.allSatisfy { $0 == nil }, "configuration, then no keyframe yet")
        let keyPicture = reader.picture(picture([0x65, 2], ms: 40, key: true))
        let nextPicture = reader.picture(picture([0x41, 3], ms: 80, key: false))
        let key = try #require(keyPicture)
        let next = try #require(nextPicture)
        #expect(key.units.map(Array.init) == [D.sps, D.pps, [0x65, 2]])
        #expect(next.units.map(Array.init) == [[0x41, 3]])
        #expect(next.timestamp &- key.timestamp == 3_600)
    }
}
