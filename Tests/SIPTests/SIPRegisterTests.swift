import Core
import Foundation
import Testing
@testable import SIP

/// REGISTER with digest auth against kamailio before the INVITE.
@Suite("SIP registration against kamailio", .serialized,
       .enabled(if: KamailioPeer.isAvailable && SippPeer.isAvailable, "kamailio or sipp is not installed"))
struct SIPRegisterTests {
    typealias Harness = SIPCallsSippTests.Harness

    @Test("with the right password the call registers, reaches ESTABLISHED and terminate sends BYE")
    func registers() async throws {
        let kamailio = try KamailioPeer()
        defer { kamailio.stop() }
        let sipp = try SippPeer(scenario: "switchboard_uas_tone.xml")
        defer { sipp.stop() }
        let h = Harness()
        _ = try await h.calls.start()
        _ = try await h.calls.startup(h.request([
            "callId": "reg-1", "callee": sipp.uri, "sipRegisterRequired": true, "sipLogin": "mediaserver",
            "sipPassword": "ms-secret", "sipDomain": "127.0.0.1", "sipPort": kamailio.port,
        ]))
        let call = await h.wait("reg-1", for: .ESTABLISHED)
        #expect(call?.status == .ESTABLISHED, "info: \(call?.info ?? "none"), sip status \(call?.sipStatus ?? 0)")
        #expect(!"\(String(describing: call))".contains("ms-secret"))
        try await h.calls.terminate(callId: "reg-1")
        // sipp does not always exit after this BYE here, so its log is checked instead.
        let deadline = Date().addingTimeInterval(5)
        while !sipp.messages.contains("BYE sip:"), Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(sipp.messages.contains("BYE sip:"))
        #expect(await h.waitForPortsFreed() == 0)
        await h.calls.shutdown()
    }

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
