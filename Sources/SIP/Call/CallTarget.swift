import Foundation
import Core

/// The SIP addresses of one `/call/startup`: who to call, who we are, where to register
/// and which proxy to use. Holds no password.
struct CallTarget: Sendable, Equatable {
    /// Request-URI and To of the INVITE.
    var calleeURI: String
    /// From of the INVITE, with visibleName as display name.
    var from: String
    /// Address of record for REGISTER (To and From), nil without a login.
    var addressOfRecord: String?
    /// Registrar URI, nil without a domain.
    var registrar: String?
    /// Outbound proxy URI, nil when requests go straight to the target.
    var proxy: String?
    /// The digest user name (sipAuthenticationName, else sipLogin).
    var authenticationName: String?

    /// Builds the addresses; `localHost` names us when the request has no login or domain.
    /// - Throws: `ServiceError.invalid` when the callee cannot be addressed.
    init(_ request: CallStartupRequest, localHost: String) throws(ServiceError) {
        let callee = request.callee.trimmingCharacters(in: .whitespaces)
        guard !callee.isEmpty else { throw .invalid("callee is empty", field: "callee") }
        let domain = request.sipDomain.flatMap { $0.isEmpty ? nil : $0 }
        let hostPort = domain.map { d in request.sipPort.map { "\(d):\($0)" } ?? d }
        if callee.hasPrefix("sip:") || callee.hasPrefix("sips:") {
            calleeURI = callee
        } else if callee.contains("@") {
            calleeURI = "sip:\(callee)"
        } else {
            guard let hostPort else { throw .invalid("sipDomain is required for a callee without a host", field: "sipDomain") }
            calleeURI = "sip:\(callee)@\(hostPort)"
        }
        let login = request.sipLogin.flatMap { $0.isEmpty ? nil : $0 }
        let user = login ?? "switchboard"
        let fromURI = "sip:\(user)@\(domain ?? localHost)"
        if let name = request.visibleName, !name.isEmpty {
            let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            from = "\"\(quoted)\" <\(fromURI)>"
        } else {
            from = "<\(fromURI)>"
        }
        addressOfRecord = login.flatMap { l in domain.map { "sip:\(l)@\($0)" } }
        registrar = hostPort.map { "sip:\($0)" }
        proxy = request.sipOutboundProxy.flatMap { p -> String? in
            guard !p.isEmpty else { return nil }
            if p.hasPrefix("sip:") || p.hasPrefix("sips:") { return p }
            return p.contains(":") || request.sipPort == nil ? "sip:\(p)" : "sip:\(p):\(request.sipPort ?? 5060)"
        }
        authenticationName = request.sipAuthenticationName.flatMap { $0.isEmpty ? nil : $0 } ?? login
    }
}
