import Core
import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing
@testable import SIP

/// SIPCalls against sipp as the far end, on 127.0.0.1.
@Suite("SIP calls against sipp", .serialized, .enabled(if: SippPeer.isAvailable, "sipp is not installed"))
struct SIPCallsSippTests {
    struct Harness {
        let registry = Registry(bus: EventBus())
        let hub: StreamHub
        let calls: SIPCalls
        let mediaPorts: ClosedRange<Int>

        init(options: SIPCallOptions = SIPCallOptions()) {
            let logger = Logger(label: "sip-test")
            hub = StreamHub(registry: registry, logger: logger)
            let base = 10_000 + Int.random(in: 0..<500) * 20 // below the ephemeral range
            mediaPorts = base...(base + 19)
            calls = SIPCalls(hub: hub, registry: registry, mediaFolder: NSTemporaryDirectory(),
                             bindHost: "127.0.0.1", sipPort: 0, mediaPorts: mediaPorts,
                             logger: logger, options: options)
        }

        func request(_ fields: [String: Any]) throws -> CallStartupRequest {
            try JSONDecoder().decode(CallStartupRequest.self, from: JSONSerialization.data(withJSONObject: fields))
        }

        /// Polls the registry until the call has `status`; returns the call as last seen.
        func wait(_ callId: String, for status: Call.Status, seconds: Double = 15) async -> Call? {
            let deadline = Date().addingTimeInterval(seconds)
            var call = registry.get(Call.self, id: callId)
            while call?.status != status, Date() < deadline {
                try? await Task.sleep(for: .milliseconds(50))
                call = registry.get(Call.self, id: callId)
            }
            return call
        }

        func waitForPortsFreed(seconds: Double = 5) async -> Int {
            let deadline = Date().addingTimeInterval(seconds)
            while calls.mediaPortsInUse > 0, Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            return calls.mediaPortsInUse
        }
    }

    @Test("a call is answered, its tone arrives as AAC on toStream, DTMF goes out and terminate sends BYE")
    func establishedCall() async throws {
        let sipp = try SippPeer(scenario: "switchboard_uas_tone.xml")
        defer { sipp.stop() }
        let h = Harness()
        let port = try await h.calls.start()
        #expect(port > 0)
        let call = try await h.calls.startup(h.request(["callId": "tone-1", "callee": sipp.uri, "toStream": "call-tone"]))
        #expect(call.toStream == "call-tone")
        let established = await h.wait("tone-1", for: .ESTABLISHED)
        #expect(established?.status == .ESTABLISHED)
        #expect(established?.sipStatus == 200)

        try await h.hub.waitUntilPublished("call-tone")
        let subscription = try h.hub.subscribe(name: "call-tone")
        var config = 0
        var media = 0
        while media < 10, let item = await subscription.next() {
            guard case .packet(let packet) = item else { break }
            #expect(packet.codec == .aac)
            if packet.isConfig { config += 1 } else { media += 1 }
        }
        subscription.cancel()
        #expect(config == 1)
        #expect(media == 10)

        try await h.calls.sendDTMF(callId: "tone-1", dtmf: "12", type: "RFC2833")
        try await h.calls.sendDTMF(callId: "tone-1", dtmf: "7", type: "INFO")
        try await Task.sleep(for: .milliseconds(500))
        #expect(sipp.messages.contains("Signal=7"))

        try await h.calls.terminate(callId: "tone-1")
        #expect(h.registry.get(Call.self, id: "tone-1")?.status == .FINISH)
        #expect(await sipp.exitStatus(within: 10) == 0)
        #expect(sipp.messages.contains("BYE sip:"))
        #expect(await h.waitForPortsFreed() == 0)
        #expect(!h.hub.isPublished("call-tone"))
        await h.calls.shutdown()
    }

    @Test("486 Busy Here makes the call BUSY and frees its ports")
    func busy() async throws {
        let sipp = try SippPeer(scenario: "switchboard_uas_busy.xml")
        defer { sipp.stop() }
        let h = Harness()
        _ = try await h.calls.start()
        _ = try await h.calls.startup(h.request(["callId": "busy-1", "callee": sipp.uri]))
        let call = await h.wait("busy-1", for: .BUSY)
        #expect(call?.status == .BUSY)
        #expect(call?.sipStatus == 486)
        #expect(await sipp.exitStatus(within: 10) == 0)
        #expect(await h.waitForPortsFreed() == 0)
        await h.calls.shutdown()
    }

    @Test("a media port another program holds is skipped and the call still goes out")
    func heldMediaPortSkipped() async throws {
        let sipp = try SippPeer(scenario: "switchboard_uas_busy.xml")
        defer { sipp.stop() }
        let h = Harness()
        let squatter = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: h.mediaPorts.lowerBound).get()
        defer { squatter.close(promise: nil) }
        _ = try await h.calls.start()
        _ = try await h.calls.startup(h.request(["callId": "held-1", "callee": sipp.uri]))
        let call = await h.wait("held-1", for: .BUSY)
        #expect(call?.status == .BUSY)
        #expect(await h.waitForPortsFreed() == 0)
        await h.calls.shutdown()
    }

    @Test("an unanswered call is cancelled after the timeout and FAILED; a second startup with its callId is 409")
    func noAnswer() async throws {
        let sipp = try SippPeer(scenario: "switchboard_uas_noanswer.xml")
        defer { sipp.stop() }
        var options = SIPCallOptions()
        options.noAnswerTimeout = .seconds(2)
        let h = Harness(options: options)
        _ = try await h.calls.start()
        let request = try h.request(["callId": "ring-1", "callee": sipp.uri])
        _ = try await h.calls.startup(request)
        let ringing = await h.wait("ring-1", for: .RING)
        #expect(ringing?.status == .RING)
        await #expect(throws: ServiceError.self) { _ = try await h.calls.startup(request) }
        let call = await h.wait("ring-1", for: .FAILED)
        #expect(call?.status == .FAILED)
        #expect(call?.info == "no answer")
        #expect(await sipp.exitStatus(within: 10) == 0)
        #expect(sipp.messages.contains("CANCEL sip:"))
        #expect(await h.waitForPortsFreed() == 0)
        await h.calls.shutdown()
    }

    @Test("an answered call that receives no RTP is hung up with BYE and FAILED after the RTP timeout")
    func rtpSilence() async throws {
        let sipp = try SippPeer(scenario: "switchboard_uas_silent.xml")
        defer { sipp.stop() }
        var options = SIPCallOptions()
        options.rtpTimeout = .seconds(2)
        let h = Harness(options: options)
        _ = try await h.calls.start()
        _ = try await h.calls.startup(h.request(["callId": "silent-1", "callee": sipp.uri]))
        let established = await h.wait("silent-1", for: .ESTABLISHED)
        #expect(established?.status == .ESTABLISHED)
        let call = await h.wait("silent-1", for: .FAILED)
        #expect(call?.status == .FAILED)
        #expect(call?.info?.hasPrefix("no RTP") == true)
        #expect(await sipp.exitStatus(within: 10) == 0)
        #expect(sipp.messages.contains("BYE sip:"))
        #expect(await h.waitForPortsFreed() == 0)
        await h.calls.shutdown()
    }

    @Test("startup rejects a registration without a password and terminate of an unknown call is 404")
    func badRequests() async throws {
        let h = Harness()
        _ = try await h.calls.start()
        await #expect(throws: ServiceError.invalid("sipPassword is required to register", field: "sipPassword")) {
            _ = try await h.calls.startup(h.request([
                "callId": "x", "callee": "1000", "sipDomain": "127.0.0.1", "sipLogin": "alice",
                "sipRegisterRequired": true,
            ]))
        }
        await #expect(throws: ServiceError.notFound("Call not found")) { try await h.calls.terminate(callId: "nope") }
        await h.calls.shutdown()
    }
}
