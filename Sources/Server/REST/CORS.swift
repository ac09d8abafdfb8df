import HTTPTypes
import Hummingbird

/// Cross-origin headers as WCS sends them (any origin may call the API), so browser apps work.
enum CORS {
    static let allowedHeaders = "content-type, x-requested-with, authorization"
    static let allowedMethods = "POST, GET, OPTIONS"

    /// Adds the allow-origin headers to every response.
    static func apply(to response: inout Response, request: Request) {
        // With credentials allowed, browsers need the caller's origin echoed rather than "*".
        let origin = request.headers[.origin] ?? "*"
        response.headers[.accessControlAllowOrigin] = origin
        if origin != "*" { response.headers[.accessControlAllowCredentials] = "true" }
    }

    /// The answer to a preflight OPTIONS request.
    static func preflight(_ request: Request) -> Response {
        var headers = HTTPFields()
        headers[.accessControlAllowMethods] = allowedMethods
        headers[.accessControlAllowHeaders] = allowedHeaders
        headers[.accessControlMaxAge] = "600"
        headers[.allow] = allowedMethods
        return Response(status: .noContent, headers: headers)
    }
}
