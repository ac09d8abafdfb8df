import COpenSSL
import CSRTP

/// The OpenSSL and libsrtp2 libraries this build runs on.
public enum CryptoLibraries {
    /// "OpenSSL 3.0.x ..., libsrtp2 2.5.0".
    public static var versions: String {
        let ssl = OpenSSL_version(OPENSSL_VERSION).map { String(cString: $0) } ?? "OpenSSL ?"
        let srtp = srtp_get_version_string().map { String(cString: $0) } ?? "libsrtp ?"
        return "\(ssl), \(srtp)"
    }
}
