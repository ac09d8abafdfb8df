import NIOCore

/// The RTMP handshake (RTMP §5.2) as a state machine for either side. The server answers
/// both forms: the simple one (§5.2.3, S2 echoes C1) and the digest form that Flash Player
/// 9+ and FFmpeg send (C1 carries an HMAC-SHA256 digest; the server proves itself with
/// digests in S1 and S2), so clients that verify the server accept it.
struct Handshake {
    /// Which side this machine plays.
    enum Role { case server, client }

    /// What the handler must do after feeding bytes.
    enum Action: Equatable {
        /// Wait for more bytes.
        case needMoreData
        /// Send these bytes and keep waiting.
        case send([UInt8])
        /// Send these bytes (possibly none); the handshake is over.
        case complete(send: [UInt8])
    }

    /// Size of C1/S1/C2/S2 (§5.2.3).
    static let packetSize = 1536
    /// RTMP version in C0/S0.
    static let version: UInt8 = 3

    /// "Genuine Adobe Flash Media Server 001" plus 32 fixed bytes: the server's key.
    static let serverKey: [UInt8] = Array("Genuine Adobe Flash Media Server 001".utf8) + keyTail
    /// "Genuine Adobe Flash Player 001" plus the same 32 bytes: the client's key.
    static let clientKey: [UInt8] = Array("Genuine Adobe Flash Player 001".utf8) + keyTail
    private static let keyTail: [UInt8] = [
        0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57,
        0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE,
    ]

    private enum State { case awaitingFirst, awaitingLast, done }

    let role: Role
    private var state = State.awaitingFirst
    private var mine: [UInt8] = []
    /// true when the peer's C1 carried a valid digest (server side).
    private(set) var isDigest = false

    init(role: Role) { self.role = role }

    /// The bytes a client sends first: C0 and C1 (simple form, zero version, so servers answer plainly).
    mutating func start() -> [UInt8] {
        precondition(role == .client, "only the client speaks first")
        mine = Self.randomPacket(time: 0)
        return [Self.version] + mine
    }

    /// Feeds received bytes (consuming what it uses) and returns what to do next.
    /// - Throws: `RTMPError.unsupportedVersion` when C0/S0 is not 3.
    mutating func feed(_ buffer: inout ByteBuffer) throws(RTMPError) -> Action {
        switch (role, state) {
        case (_, .done):
            return .complete(send: [])
        case (.server, .awaitingFirst):
            guard let c0c1 = buffer.getBytes(at: buffer.readerIndex, length: 1 + Self.packetSize) else { return .needMoreData }
            guard c0c1[0] == Self.version else { throw .unsupportedVersion(c0c1[0]) }
            buffer.moveReaderIndex(forwardBy: c0c1.count)
            state = .awaitingLast
            return .send([Self.version] + serverResponse(c1: Array(c0c1[1...])))
        case (.server, .awaitingLast):
            guard buffer.readSlice(length: Self.packetSize) != nil else { return .needMoreData }
            state = .done
            return .complete(send: [])
        case (.client, .awaitingFirst):
            guard let s0s1s2 = buffer.getBytes(at: buffer.readerIndex, length: 1 + 2 * Self.packetSize) else {
                return .needMoreData
            }
            guard s0s1s2[0] == Self.version else { throw .unsupportedVersion(s0s1s2[0]) }
            buffer.moveReaderIndex(forwardBy: s0s1s2.count)
            state = .done
            return .complete(send: Array(s0s1s2[1...Self.packetSize]))  // C2 echoes S1
        case (.client, .awaitingLast):
            state = .done
            return .complete(send: [])
        }
    }

    /// S1 + S2 for a C1: digest form when C1 has a valid client digest, else simple.
    private mutating func serverResponse(c1: [UInt8]) -> [UInt8] {
        guard let clientDigest = Self.findDigest(in: c1, key: Array(Self.clientKey.prefix(30))) else {
            return Self.randomPacket(time: 0) + c1
        }
        isDigest = true
        var s1 = Self.randomPacket(time: 0)
        s1.replaceSubrange(4..<8, with: [0x04, 0x05, 0x00, 0x01])
        let offset = Self.digestOffset(in: s1, scheme: 0)
        var joined = Array(s1[0..<offset]) + Array(s1[(offset + 32)...])
        s1.replaceSubrange(offset..<offset + 32, with: SHA256.hmac(key: Array(Self.serverKey.prefix(36)), joined))
        var s2 = Self.randomPacket(time: 0)
        let s2Key = SHA256.hmac(key: Self.serverKey, clientDigest)
        joined = Array(s2[0..<(Self.packetSize - 32)])
        s2.replaceSubrange((Self.packetSize - 32)..., with: SHA256.hmac(key: s2Key, joined))
        return s1 + s2
    }

    /// Where the digest sits in a 1536-byte packet: scheme 0 counts from byte 8, scheme 1 from byte 772.
    static func digestOffset(in packet: [UInt8], scheme: Int) -> Int {
        let base = scheme == 0 ? 8 : 772
        let sum = packet[base..<base + 4].reduce(0) { $0 + Int($1) }
        return sum % 728 + base + 4
    }

    /// The digest of a packet when either scheme validates under `key`, else nil.
    static func findDigest(in packet: [UInt8], key: [UInt8]) -> [UInt8]? {
        guard packet.count == packetSize else { return nil }
        for scheme in 0...1 {
            let offset = digestOffset(in: packet, scheme: scheme)
            let digest = Array(packet[offset..<offset + 32])
            let rest = Array(packet[0..<offset]) + Array(packet[(offset + 32)...])
            if SHA256.hmac(key: key, rest) == digest { return digest }
        }
        return nil
    }

    /// A handshake packet: time, zero version, random filler.
    static func randomPacket(time: UInt32) -> [UInt8] {
        var packet = [UInt8](repeating: 0, count: packetSize)
        packet[0] = UInt8(time >> 24 & 0xFF)
        packet[1] = UInt8(time >> 16 & 0xFF)
        packet[2] = UInt8(time >> 8 & 0xFF)
        packet[3] = UInt8(time & 0xFF)
        var generator = SystemRandomNumberGenerator()
        for i in 8..<packetSize { packet[i] = UInt8.random(in: 0...255, using: &generator) }
        return packet
    }
}
