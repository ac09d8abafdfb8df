import Core
import Foundation
import NIOHTTP1

/// JSON calls to `POST /rest-api/<group>/<method>`, errors decoded into `ConsoleError.api`.
public struct RESTClient: Sendable {
    /// The transport.
    public let http: HTTPClient

    /// A client over `http`.
    public init(http: HTTPClient) { self.http = http }

    /// Posts `body` to `/rest-api/<path>` and returns the response body on a 2xx status.
    /// - Parameters:
    ///   - path: the method path without the prefix, e.g. `stream/terminate`.
    ///   - body: the JSON object to send.
    /// - Throws: `ConsoleError.api` with the server's message on an error status; transport errors.
    public func post(_ path: String, _ body: [String: JSONValue] = [:]) async throws -> HTTPClient.Response {
        let data = try JSONEncoder().encode(body)
        let response = try await http.send(.POST, "/rest-api/" + path, body: Array(data))
        guard (200..<300).contains(response.status) else {
            throw Self.error(status: response.status, body: response.body)
        }
        return response
    }

    /// `GET /rest-api/server/info`.
    /// - Throws: transport and decoding errors.
    public func serverInfo() async throws -> ServerInfo {
        let response = try await http.send(.GET, "/rest-api/server/info")
        guard response.status == 200 else { throw Self.error(status: response.status, body: response.body) }
        return try JSONDecoder().decode(ServerInfo.self, from: Data(response.body))
    }

    /// The error for a non-2xx answer: the server's `{status,error,message,field}` when the
    /// body is one, else the status with the body text (or the reason phrase).
    static func error(status: Int, body: [UInt8]) -> ConsoleError {
        if let api = try? JSONDecoder().decode(APIError.self, from: Data(body)) {
            let field = api.field.map { " (field \($0))" } ?? ""
            return .api(status: api.status, message: api.message + field)
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return .api(status: status, message: text.isEmpty ? APIError.reasonPhrase(status) : text)
    }
}
