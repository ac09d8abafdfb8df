import COpenSSL
import CSRTP
import Foundation
import Testing

@Suite("OpenSSL and libsrtp2 link and work")
struct CryptoTests {
    @Test("libsrtp2 protects and unprotects an RTP packet with a fresh random key")
    func srtpRoundTrip() throws {
        #expect(srtp_init() == srtp_err_status_ok)
        var key = [UInt8](repeating: 0, count: Int(SRTP_AES_ICM_128_KEY_LEN_WSALT))
        #expect(RAND_bytes(&key, Int32(key.count)) == 1)

        func session(_ direction: srtp_ssrc_type_t) -> srtp_t? {
            var policy = srtp_policy_t()
            srtp_crypto_policy_set_rtp_default(&policy.rtp)
            srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
            policy.ssrc.type = direction
            policy.window_size = 128
            var s: srtp_t?
            key.withUnsafeMutableBufferPointer { k in
                policy.key = k.baseAddress
                #expect(srtp_create(&s, &policy) == srtp_err_status_ok)
            }
            return s
        }
        let tx = try #require(session(ssrc_any_outbound))
        let rx = try #require(session(ssrc_any_inbound))
        defer { srtp_dealloc(tx); srtp_dealloc(rx) }

        let payload = Array("hello-srtp".utf8)
        var packet: [UInt8] = [0x80, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef] + payload
        let plainLength = packet.count
        packet += [UInt8](repeating: 0, count: Int(SRTP_MAX_TRAILER_LEN))
        var length = Int32(plainLength)
        #expect(srtp_protect(tx, &packet, &length) == srtp_err_status_ok)
        #expect(Int(length) > plainLength)
        #expect(Array(packet[12..<plainLength]) != payload)
        #expect(srtp_unprotect(rx, &packet, &length) == srtp_err_status_ok)
        #expect(Int(length) == plainLength)
        #expect(Array(packet[12..<plainLength]) == payload)
    }

    @Test("OpenSSL makes a DTLS context with a fresh P-256 certificate and its SHA-256 fingerprint")
    func dtlsContextAndFingerprint() throws {
        let ctx = try #require(SSL_CTX_new(DTLS_method()))
        defer { SSL_CTX_free(ctx) }
        let keyCtx = try #require(EVP_PKEY_CTX_new_from_name(nil, "EC", nil))
        defer { EVP_PKEY_CTX_free(keyCtx) }
        #expect(EVP_PKEY_keygen_init(keyCtx) == 1)
        #expect(EVP_PKEY_CTX_set_group_name(keyCtx, "P-256") == 1)
        var pkey: OpaquePointer?
        #expect(EVP_PKEY_generate(keyCtx, &pkey) == 1)
        defer { EVP_PKEY_free(pkey) }

        let cert = try #require(X509_new())
        defer { X509_free(cert) }
        X509_set_version(cert, 2)
        ASN1_INTEGER_set(X509_get_serialNumber(cert), 1)
        X509_gmtime_adj(X509_getm_notBefore(cert), -3600)
        X509_gmtime_adj(X509_getm_notAfter(cert), 30 * 24 * 3600)
        X509_set_pubkey(cert, pkey)
        let name = X509_get_subject_name(cert)
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, "switchboard", -1, -1, 0)
        X509_set_issuer_name(cert, name)
        #expect(X509_sign(cert, pkey, EVP_sha256()) > 0)
        #expect(SSL_CTX_use_certificate(ctx, cert) == 1)
        #expect(SSL_CTX_use_PrivateKey(ctx, pkey) == 1)
        #expect(SSL_CTX_check_private_key(ctx) == 1)
        #expect(SSL_CTX_set_tlsext_use_srtp(ctx, "SRTP_AES128_CM_SHA1_80") == 0)

        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        #expect(X509_digest(cert, EVP_sha256(), &digest, &length) == 1)
        #expect(length == 32)

        // The same fingerprint as the openssl CLI computes from the PEM.
        let dir = try TempDir()
        let pemPath = dir.path + "/cert.pem"
        let file = try #require(fopen(pemPath, "w"))
        PEM_write_X509(file, cert)
        fclose(file)
        let out = try capture("/usr/bin/openssl", ["x509", "-in", pemPath, "-noout", "-fingerprint", "-sha256"])
        let ours = digest.map { String(format: "%02X", $0) }.joined(separator: ":")
        #expect(out.contains(ours))
    }
}

func capture(_ program: String, _ arguments: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: program)
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}
