import Core
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Serves `/rest-api/...`: the method table, the event stream, the OpenAPI document and server info.
/// One responder per listener; the TCP one checks credentials when users are configured, the
/// unix-socket one (mode 0600, so only the owner reaches it) does not.
struct RESTResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// Largest accepted request body (1 MiB); larger bodies get 413.
    static let maxBodySize = 1 << 20

    let table: MethodTable
    let services: Services
    let info: RuntimeInfo
    let events: EventStream
    let openAPI: ByteBuffer
    /// nil: no authentication on this listener.
    let auth: BasicAuthenticator?

    func respond(to request: Request, context: Context) async throws -> Response {
        var response: Response
        do {
            response = try await route(request)
        } catch let notAllowed as MethodNotAllowed {
            let allowed = notAllowed.allowed.map(\.rawValue).joined(separator: ", ")
            response = Self.render(APIError(status: 405, message: "\(request.method.rawValue) is not allowed here; use \(allowed)"))
            response.headers[.allow] = allowed
        } catch {
            response = Self.render(ErrorMapping.apiError(error, logger: services.logger))
        }
        CORS.apply(to: &response, request: request, credentialed: auth != nil)
        log(request, response)
        return response
    }

    /// Calls that change something are logged at info (an audit trail operators see in the
    /// console); reads at debug.
    private func log(_ request: Request, _ response: Response) {
        let path = request.uri.path
        let isRead = path.hasSuffix("/find") || path.hasSuffix("/find_all") || request.method != .post
            || path.hasSuffix("/events") || path.hasSuffix("/server/info")
        let level: Logger.Level = response.status.code >= 500 ? .error : (isRead ? .debug : .info)
        services.logger.log(level: level, "rest call", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(path)", "status": "\(response.status.code)",
        ])
    }

    private func route(_ request: Request) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/rest-api/") else {
            throw APIError.notFound("Unknown path \(path); the API lives under /rest-api/")
        }
        if request.method == .options { return CORS.preflight(request, credentialed: auth != nil) }
        if let auth, !auth.isAuthorized(request.headers[.authorization]) {
            var r = Self.render(APIError(status: 401, message: "credentials required"))
            r.headers[.wwwAuthenticate] = "Basic realm=\"switchboard\", charset=\"UTF-8\""
            return r
        }
        let name = String(path.dropFirst("/rest-api/".count)).trimmingSuffix("/")
        switch name {
        case "events":
            try Self.allow(request, [.get])
            return events.response(for: request)
        case "openapi.json":
            try Self.allow(request, [.get])
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: openAPI))
        case "server/info":
            try Self.allow(request, [.get, .post])
            return try Self.json(info.body)
        default:
            guard let method = table.methods[name] else {
                throw APIError.notFound("Unknown method /rest-api/\(name)")
            }
            return try await call(method, request)
        }
    }

    private func call(_ method: RESTMethod, _ request: Request) async throws -> Response {
        try Self.allow(request, method.isParameterless ? [.get, .post] : [.post])
        if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maxBodySize {
            throw NIOTooManyBytesError(maxBytes: Self.maxBodySize)
        }
        var request = request
        let bytes = try await request.collectBody(upTo: Self.maxBodySize)
        let body = try Self.parse(bytes)
        let checked = try method.requestSchema.check(body, at: "", components: Components.all)
        let reply = try await method.handler(MethodCall(body: checked, services: services))
        switch reply {
        case .empty: return Response(status: .ok)
        case .json(let value): return try Self.json(value)
        }
    }

    /// An empty body counts as `{}`; anything else must be a JSON object.
    static func parse(_ bytes: ByteBuffer) throws -> JSONValue {
        let data = Data(bytes.readableBytesView)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) { return .object([:]) }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw APIError.badRequest("malformed JSON in the request body")
        }
        guard case .object = value else {
            throw APIError.badRequest("the request body must be a JSON object, not \(value.typeName)")
        }
        return value
    }

    /// 405 with `Allow` unless the request uses one of `methods`.
    static func allow(_ request: Request, _ methods: [HTTPRequest.Method]) throws {
        guard !methods.contains(request.method) else { return }
        throw MethodNotAllowed(allowed: methods + [.options])
    }

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var headers = HTTPFields()
        headers[.contentType] = "application/json;charset=UTF-8"
        let data = try encoder.encode(value)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func render(_ error: APIError) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json;charset=UTF-8"
        let data = (try? JSONEncoder().encode(error)) ?? Data("{}".utf8)  // APIError always encodes
        return Response(status: .init(code: error.status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// A 405 that knows which methods would have worked.
struct MethodNotAllowed: Error {
    let allowed: [HTTPRequest.Method]
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
