import Testing
@testable import SIP

@Suite("RTP port pool")
struct PortPoolTests {
    @Test("pairs start at even ports and go round-robin, so a released pair is not reused at once")
    func roundRobin() throws {
        let pool = PortPool(range: 40_001...40_008)
        #expect(pool.capacity == 3)
        let first = try pool.reserve()
        #expect(first == 40_002)
        pool.release(first)
        #expect(try pool.reserve() == 40_004)
        #expect(try pool.reserve() == 40_006)
        #expect(try pool.reserve() == 40_002)
        #expect(pool.inUse == 3)
        #expect(throws: SIPError.noMediaPorts) { try pool.reserve() }
    }
}
