import COpenSSL
import Foundation

/// Salted password hashes for REST users: `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`.
/// PBKDF2 comes from OpenSSL, which the server links for DTLS anyway.
struct PasswordHash: Sendable, Equatable {
    /// Iterations for new hashes (OWASP's 2023 figure for PBKDF2-HMAC-SHA256 is 600,000; verified
    /// credentials are cached per process, so the cost is paid once per client).
    static let defaultIterations = 600_000

    let iterations: Int
    let salt: [UInt8]
    let hash: [UInt8]

    /// A new hash of `password` with a random 16-byte salt.
    static func make(password: String, iterations: Int = defaultIterations) throws -> PasswordHash {
        var salt = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&salt, Int32(salt.count)) == 1 else { throw HashError.randomFailed }
        return PasswordHash(iterations: iterations, salt: salt,
                            hash: try derive(password, salt: salt, iterations: iterations))
    }

    /// Parses the stored form.
    init(parsing text: String) throws {
        let parts = text.split(separator: "$").map(String.init)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let n = Int(parts[1]), n > 0,
              let salt = Data(base64Encoded: parts[2]), let hash = Data(base64Encoded: parts[3]), !hash.isEmpty
        else { throw HashError.malformed }
        self.init(iterations: n, salt: [UInt8](salt), hash: [UInt8](hash))
    }

    init(iterations: Int, salt: [UInt8], hash: [UInt8]) {
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
    }

    /// The stored form.
    var encoded: String {
        "pbkdf2-sha256$\(iterations)$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
    }

    /// true when `password` produces this hash (compared in constant time).
    func verify(_ password: String) -> Bool {
        guard let candidate = try? Self.derive(password, salt: salt, iterations: iterations, length: hash.count)
        else { return false }  // derivation only fails on allocation failure: treat as a mismatch
        return CRYPTO_memcmp(candidate, hash, hash.count) == 0
    }

    enum HashError: Error, CustomStringConvertible {
        case malformed, randomFailed, deriveFailed
        var description: String {
            switch self {
            case .malformed: "not a password hash (expected pbkdf2-sha256$iterations$salt$hash)"
            case .randomFailed: "no random bytes for a salt"
            case .deriveFailed: "PBKDF2 failed"
            }
        }
    }

    private static func derive(_ password: String, salt: [UInt8], iterations: Int, length: Int = 32) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        let pw = Array(password.utf8)
        let ok = pw.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { cp in
                PKCS5_PBKDF2_HMAC(cp.baseAddress, Int32(pw.count), salt, Int32(salt.count), Int32(iterations),
                                  EVP_sha256(), Int32(length), &out)
            }
        }
        guard ok == 1 else { throw HashError.deriveFailed }
        return out
    }
}
