import Testing

@testable import SIP

@Suite("H264Depacketizer")
struct H264DepacketizerTests {
    static let sps: [UInt8] = [0x67, 0x42, 0xE0, 0x1F, 0xDA]
    static let pps: [UInt8] = [0x68, 0xCE, 0x3C, 0x80]
    /// An IDR slice of `count` bytes (header 0x65, then a counting pattern).
    static func idr(_ count: Int) -> [UInt8] { [0x65] + (1..<count).map { UInt8(truncatingIfNeeded: $0) } }

    /// The FU-A payloads of one NAL unit cut into `size`-byte fragments (RFC 6184 §5.8).
    static func fuA(_ unit: [UInt8], size: Int) -> [[UInt8]] {
        let body = Array(unit.dropFirst())
        let chunks = stride(from: 0, to: body.count, by: size).map { Array(body[$0..<min($0 + size, body.count)]) }
        return chunks.enumerated().map { index, chunk in
            let start: UInt8 = index == 0 ? 0x80 : 0
            let end: UInt8 = index == chunks.count - 1 ? 0x40 : 0
            return [unit[0] & 0xE0 | 28, start | end | unit[0] & 0x1F] + chunk
        }
    }

    /// A STAP-A payload holding `units` (RFC 6184 §5.7.1).
    static func stapA(_ units: [[UInt8]]) -> [UInt8] {
        units.reduce([0x78]) { $0 + [UInt8($1.count >> 8), UInt8($1.count & 0xFF)] + $1 }
    }

    /// Pushes payloads as consecutive packets of one timestamp, the marker on the last.
    static func push(_ payloads: [[UInt8]], into d: inout H264Depacketizer, timestamp: UInt32 = 9_000,
                     gapBefore: Set<Int> = []) -> [H264Depacketizer.Output] {
        payloads.enumerated().flatMap { index, payload in
            d.push(payload: payload[...], timestamp: timestamp, marker: index == payloads.count - 1,
                   followsGap: gapBefore.contains(index))
        }
    }

    @Test("a STAP-A with SPS and PPS and a single-NAL IDR make one access unit")
    func stapAndSingle() {
        var d = H264Depacketizer()
        let out = Self.push([Self.stapA([Self.sps, Self.pps]), Self.idr(50)], into: &d)
        #expect(out == [.accessUnit(.init(timestamp: 9_000, units: [Self.sps, Self.pps, Self.idr(50)]))])
    }

    @Test("an IDR split into FU-A fragments is joined with its NAL header restored")
    func fuAReassembly() {
        var d = H264Depacketizer()
        let unit = Self.idr(3_000)
        let fragments = Self.fuA(unit, size: 1_000)
        #expect(fragments.count == 3)
        #expect(Self.push(fragments, into: &d) == [.accessUnit(.init(timestamp: 9_000, units: [unit]))])
    }

    @Test("a lost middle fragment drops the picture, and the next picture comes through")
    func lossDropsPicture() {
        var d = H264Depacketizer()
        var fragments = Self.fuA(Self.idr(3_000), size: 1_000)
        fragments.remove(at: 1)
        #expect(Self.push(fragments, into: &d, gapBefore: [1]) == [.dropped(timestamp: 9_000)])
        let next = [UInt8(0x41), 1, 2, 3]
        let out = Self.push([next], into: &d, timestamp: 12_600)
        #expect(out == [.accessUnit(.init(timestamp: 12_600, units: [next]))])
        #expect(d.dropped == 1 && d.completed == 1)
    }

    @Test("fragments without their start are not taken for a picture, even without a reported gap")
    func missingStart() {
        var d = H264Depacketizer()
        let fragments = Self.fuA(Self.idr(3_000), size: 1_000)
        #expect(Self.push(Array(fragments.dropFirst()), into: &d) == [.dropped(timestamp: 9_000)])
    }

    @Test("a lost marker packet ends the picture at the next timestamp")
    func lostMarker() {
        var d = H264Depacketizer()
        let first = [UInt8(0x41), 9]
        #expect(d.push(payload: first[...], timestamp: 1, marker: false, followsGap: false).isEmpty)
        let second = [UInt8(0x41), 8]
        let out = d.push(payload: second[...], timestamp: 3_601, marker: true, followsGap: false)
        #expect(out == [.accessUnit(.init(timestamp: 1, units: [first])),
                        .accessUnit(.init(timestamp: 3_601, units: [second]))])
    }

    @Test("a gap before a new timestamp drops both the unfinished picture and the new one")
    func gapAcrossPictures() {
        var d = H264Depacketizer()
        _ = d.push(payload: [0x41, 1][...], timestamp: 1, marker: false, followsGap: false)
        let out = d.push(payload: [0x41, 2][...], timestamp: 3_601, marker: true, followsGap: true)
        #expect(out == [.dropped(timestamp: 1), .dropped(timestamp: 3_601)])
    }

    @Test("a truncated STAP-A or an interleaved-mode packet drops the picture")
    func malformed() {
        var d = H264Depacketizer()
        #expect(Self.push([[0x78, 0x00, 0x09, 0x67]], into: &d) == [.dropped(timestamp: 9_000)])
        #expect(Self.push([[0x7A, 0, 0, 1, 2]], into: &d, timestamp: 9_001) == [.dropped(timestamp: 9_001)])
    }
}
