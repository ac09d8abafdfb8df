import Core
import Logging
import NIOCore

/// The one place where errors from any module become the API's error shape.
enum ErrorMapping {
    static func apiError(_ error: any Error, logger: Logger) -> APIError {
        switch error {
        case let e as APIError:
            return e
        case let e as ServiceError:
            switch e {
            case .notFound(let m): return .notFound(m)
            case .conflict(let m): return .conflict(m)
            case .invalid(let m, let field): return .badRequest(m, field: field)
            case .unsupported(let m): return APIError(status: 409, message: m)
            case .notImplemented(let m): return .notImplemented(m)
            case .failed(let m): return .internal(m)
            }
        case is NIOTooManyBytesError:
            return APIError(status: 413, message: "request body is larger than \(RESTResponder.maxBodySize) bytes")
        default:
            logger.error("request failed", metadata: [LogKey.error: "\(error)"])
            return .internal("Internal error")
        }
    }
}
