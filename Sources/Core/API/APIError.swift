/// The only error shape the REST API renders: `{status, error, message, field}`.
///
/// Modules throw their own errors; the Server module maps them to an `APIError` in one place.
public struct APIError: Error, Sendable, Equatable, Codable {
    /// The HTTP status code.
    public var status: Int
    /// The HTTP reason phrase for `status` ("Not Found").
    public var error: String
    /// What went wrong, for a person ("Stream not found").
    public var message: String
    /// The request field at fault, when there is one.
    public var field: String?

    public init(status: Int, message: String, field: String? = nil) {
        self.status = status
        self.error = APIError.reasonPhrase(status)
        self.message = message
        self.field = field
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(error, forKey: .error)
        try c.encode(message, forKey: .message)
        try c.encode(field, forKey: .field)  // always present, null when there is none
    }

    /// 400: malformed input; `field` names the offending request field.
    public static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(status: 400, message: message, field: field)
    }
    /// 404: the object (or method) does not exist.
    public static func notFound(_ message: String, field: String? = nil) -> APIError {
        APIError(status: 404, message: message, field: field)
    }
    /// 409: the object already exists.
    public static func conflict(_ message: String, field: String? = nil) -> APIError {
        APIError(status: 409, message: message, field: field)
    }
    /// 500: the server failed.
    public static func `internal`(_ message: String) -> APIError {
        APIError(status: 500, message: message)
    }
    /// 501: the subsystem behind the method is not built yet. Never a fake success.
    public static func notImplemented(_ capability: String) -> APIError {
        APIError(status: 501, message: "Not implemented yet: \(capability)")
    }

    /// Standard reason phrases for the statuses the API uses.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        default: "Error"
        }
    }
}
