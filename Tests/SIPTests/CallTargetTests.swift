import Core
import Foundation
import Testing
@testable import SIP

@Suite("call addresses")
struct CallTargetTests {
    func request(callee: String, domain: String? = "example.org", port: Int? = nil, login: String? = "alice",
                 proxy: String? = nil, visibleName: String? = nil) throws -> CallStartupRequest {
        var fields: [String: Any] = ["callId": "c1", "callee": callee, "sipPassword": "secret"]
        fields["sipDomain"] = domain
        fields["sipPort"] = port
        fields["sipLogin"] = login
        fields["sipOutboundProxy"] = proxy
        fields["visibleName"] = visibleName
        let data = try JSONSerialization.data(withJSONObject: fields)
        return try JSONDecoder().decode(CallStartupRequest.self, from: data)
    }

    @Test("a user callee goes to the domain and port")
    func userAtDomain() throws {
        let target = try CallTarget(try request(callee: "1000", port: 5070), localHost: "127.0.0.1")
        #expect(target.calleeURI == "sip:1000@example.org:5070")
        #expect(target.registrar == "sip:example.org:5070")
        #expect(target.addressOfRecord == "sip:alice@example.org")
        #expect(target.authenticationName == "alice")
    }

    @Test("a full URI is used as it is and visibleName is quoted in From")
    func fullURI() throws {
        let target = try CallTarget(try request(callee: "sip:bob@10.0.0.1:5062", visibleName: "Say \"hi\""),
                                    localHost: "127.0.0.1")
        #expect(target.calleeURI == "sip:bob@10.0.0.1:5062")
        #expect(target.from == "\"Say \\\"hi\\\"\" <sip:alice@example.org>")
    }

    @Test("an outbound proxy without a port takes sipPort")
    func proxy() throws {
        let target = try CallTarget(try request(callee: "1000", port: 5070, proxy: "127.0.0.1"), localHost: "127.0.0.1")
        #expect(target.proxy == "sip:127.0.0.1:5070")
    }

    @Test("a bare user without a domain is rejected")
    func noDomain() {
        #expect(throws: ServiceError.self) {
            try CallTarget(try request(callee: "1000", domain: nil), localHost: "127.0.0.1")
        }
    }
}
