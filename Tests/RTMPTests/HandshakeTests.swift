import Foundation
import NIOCore
import Testing

@testable import RTMP

@Suite("handshake")
struct HandshakeTests {
    @Test("SHA-256 and HMAC match the FIPS and RFC 4231 vectors")
    func sha() {
        let hex = { (b: [UInt8]) in b.map { String(format: "%02x", $0) }.joined() }
        #expect(hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256.hmac(key: Array(repeating: 0x0B, count: 20), Array("Hi There".utf8)))
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test("simple form: S2 echoes C1 and the server completes after C2")
    func simple() throws {
        var server = Handshake(role: .server)
        var client = Handshake(role: .client)
        var c0c1 = ByteBuffer(bytes: client.start())
        guard case .send(let s0s1s2) = try server.feed(&c0c1) else { Issue.record("no reply"); return }
        #expect(s0s1s2.count == 1 + 2 * 1536)
        var reply = ByteBuffer(bytes: s0s1s2)
        guard case .complete(let c2) = try client.feed(&reply) else { Issue.record("client not done"); return }
        var c2buf = ByteBuffer(bytes: c2 + [0xAA])
        #expect(try server.feed(&c2buf) == .complete(send: []))
        #expect(c2buf.readableBytes == 1)
        #expect(!server.isDigest)
    }

    @Test("digest form: the server's S1 and S2 carry valid digests")
    func digest() throws {
        var c1 = Handshake.randomPacket(time: 0)
        c1.replaceSubrange(4..<8, with: [0x80, 0x00, 0x07, 0x02])
        let offset = Handshake.digestOffset(in: c1, scheme: 1)
        let rest = Array(c1[0..<offset]) + Array(c1[(offset + 32)...])
        let clientDigest = SHA256.hmac(key: Array(Handshake.clientKey.prefix(30)), rest)
        c1.replaceSubrange(offset..<offset + 32, with: clientDigest)
        var server = Handshake(role: .server)
        var input = ByteBuffer(bytes: [3] + c1)
        guard case .send(let reply) = try server.feed(&input) else { Issue.record("no reply"); return }
        #expect(server.isDigest)
        let s1 = Array(reply[1...1536]), s2 = Array(reply[1537...])
        #expect(Handshake.findDigest(in: s1, key: Array(Handshake.serverKey.prefix(36))) != nil)
        let key = SHA256.hmac(key: Handshake.serverKey, clientDigest)
        #expect(SHA256.hmac(key: key, Array(s2[0..<1504])) == Array(s2[1504...]))
    }

    @Test("a wrong version byte is refused")
    func badVersion() {
        var server = Handshake(role: .server)
        var input = ByteBuffer(bytes: [6] + Array(repeating: 0, count: 1536))
        #expect(throws: RTMPError.unsupportedVersion(6)) { try server.feed(&input) }
    }
}
