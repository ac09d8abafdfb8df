import HTTPTypes
import Hummingbird

/// Cross-origin headers as WCS sends them, so browser apps written for WCS work unchanged.
///
/// WCS's defaults (`flashphoner.properties`): every response carries
/// `Access-Control-Allow-Origin: *` and `Access-Control-Allow-Credentials: true`; a preflight
/// allows the headers `content-type,x-requested-with` and the method `POST`. With REST
/// authentication on, WCS's documented header set echoes the caller's origin (browsers refuse
/// `*` for requests that carry credentials) and also allows `Authorization`.
/// Switchboard additionally allows `GET`, which it accepts for parameterless methods.
enum CORS {
    static let allowedHeaders = "content-type,x-requested-with"
    static let allowedHeadersWithAuth = "Origin, X-Requested-With, Content-Type, Accept, Authorization"
    static let allowedMethods = "POST, GET, OPTIONS"

    /// Adds the allow-origin headers to every response; `credentialed` when the listener checks credentials.
    static func apply(to response: inout Response, request: Request, credentialed: Bool) {
        if credentialed, let origin = request.headers[.origin] {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.vary] = "Origin"
        } else {
            response.headers[.accessControlAllowOrigin] = "*"
        }
        response.headers[.accessControlAllowCredentials] = "true"
    }

    /// The answer to a preflight OPTIONS request.
    static func preflight(_ request: Request, credentialed: Bool) -> Response {
        var headers = HTTPFields()
        headers[.accessControlAllowMethods] = allowedMethods
        headers[.accessControlAllowHeaders] = credentialed ? allowedHeadersWithAuth : allowedHeaders
        headers[.accessControlMaxAge] = "600"
        headers[.allow] = allowedMethods
        return Response(status: .noContent, headers: headers)
    }
}
