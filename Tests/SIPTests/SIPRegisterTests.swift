import Core
import Foundation
import Testing
@testable import SIP

/// REGISTER with digest auth against kamailio before the INVITE.
@Suite("SIP registration against kamailio", .serialized,
       .enabled(if: KamailioPeer.isAvailable && SippPeer.isAvailable, "kamailio or sipp is not installed"))
struct SIPRegisterTests {
    typealias Harness = SIPCallsSippTests.Harness

    @Test("a wrong password ends the call FAILED with 401 in sipStatus and info")
    func wrongPassword() async throws {
        let kamailio = try KamailioPeer()
        defer { kamailio.stop() }
        let h = Harness()
        _ = try await h.calls.start()
        _ = try await h.calls.startup(h.request([
            "callId": "reg-bad", "callee": "1000", "sipRegisterRequired": true, "sipLogin": "mediaserver",
            "sipPassword": "wrong", "sipDomain": "127.0.0.1", "sipPort": kamailio.port,
        ]))
        let call = await h.wait("reg-bad", for: .FAILED)
        #expect(call?.status == .FAILED)
        #expect(call?.sipStatus == 401)
        #expect(call?.info?.contains("401") == true)
        #expect(await h.waitForPortsFreed() == 0)
        let started = ContinuousClock.now
        await h.calls.shutdown()
        #expect(ContinuousClock.now - started < .seconds(10), "the failed registration's handles are gone")
    }
}
