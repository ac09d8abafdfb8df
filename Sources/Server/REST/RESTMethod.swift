import Core
import Foundation

/// One REST method: its path, its documentation and its handler. The method table built from
/// these drives routing, request checking and the OpenAPI document alike.
struct RESTMethod: Sendable {
    /// What a successful call returns.
    enum Response: Sendable {
        /// 200 with an empty body (WCS `void`).
        case empty
        /// 200 with a JSON array of a component.
        case list(String)
        /// 200 with one JSON object of a component.
        case object(String)
    }

    /// The path below `/rest-api/`, e.g. `stream/find_all`.
    let path: String
    let summary: String
    /// Body fields; nil for a method without parameters (GET and an empty body are accepted).
    let fields: [Schema.Property]?
    let response: Response
    /// Statuses the method itself can answer besides 200/400/413/501, with their meaning.
    let errors: [Int: String]
    /// true for a Switchboard method that WCS does not have (marked in the OpenAPI document).
    let isExtension: Bool
    let handler: @Sendable (MethodCall) async throws -> Reply

    init(_ path: String, _ summary: String, fields: [Schema.Property]? = nil, response: Response = .empty,
         errors: [Int: String] = [:], isExtension: Bool = false,
         handler: @escaping @Sendable (MethodCall) async throws -> Reply) {
        self.path = path
        self.summary = summary
        self.fields = fields
        self.response = response
        self.errors = errors
        self.isExtension = isExtension
        self.handler = handler
    }

    /// The request schema (an object of `fields`, or an empty object).
    var requestSchema: Schema { .object(fields ?? []) }
    /// true when the method takes no parameters.
    var isParameterless: Bool { fields == nil }
}

/// A handler's result.
enum Reply: Sendable {
    case empty
    case json(any Encodable & Sendable)
}

/// A checked request, ready for a handler.
struct MethodCall: Sendable {
    /// The body after schema checking and coercion.
    let body: JSONValue
    let services: Services

    /// Decodes the checked body into a request type.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let data = try JSONEncoder().encode(body)
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw APIError.badRequest("missing required field '\(key.stringValue)'", field: key.stringValue)
        } catch let DecodingError.typeMismatch(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError.badRequest("field '\(field)' has the wrong type", field: field)
        } catch {
            throw APIError.badRequest("the request body does not match the method's fields")
        }
    }

    /// A string field of the body, when present.
    func string(_ name: String) -> String? { body[name]?.stringValue }
}
