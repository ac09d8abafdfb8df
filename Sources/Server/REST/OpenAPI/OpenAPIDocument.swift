import Core
import Foundation

/// Builds the OpenAPI 3.1 document from the method table, so the document and the routes
/// cannot disagree. `switchboard-server openapi` writes it (docs/openapi.yaml is its output).
enum OpenAPIDocument {
    static func build(table: MethodTable, version: String) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for method in table.ordered {
            var post = operation(method)
            post["operationId"] = .string(method.path.replacingOccurrences(of: "/", with: "_"))
            var item: [String: JSONValue] = ["post": .object(post)]
            if method.isParameterless {
                var get = operation(method, withBody: false)
                get["operationId"] = .string("get_" + method.path.replacingOccurrences(of: "/", with: "_"))
                item["get"] = .object(get)
            }
            paths["/rest-api/\(method.path)"] = .object(item)
        }
        paths["/rest-api/server/info"] = .object([
            "get": .object([
                "operationId": "server_info", "summary": "This server: version, pid, uptime, listeners",
                "responses": .object(["200": jsonResponse("Server information", ref("ServerInfo")),
                                      "401": errorResponse("Credentials required")]),
            ])
        ])
        var components: [String: JSONValue] = [:]
        for (name, schema) in Components.all { components[name] = schema.openAPI }
        return .object([
            "openapi": "3.1.0",
            "info": .object([
                "title": "Switchboard REST API",
                "version": .string(version),
                "description": .string(
                    "Methods follow Flashphoner WCS: POST a JSON object to /rest-api/<group>/<method>. Booleans and numbers are also accepted as strings. Errors are JSON {status, error, message, field}. Server-Sent Events at GET /rest-api/events (see docs/events.md)."),
            ]),
            "servers": .array([.object(["url": "/"])]),
            "components": .object([
                "schemas": .object(components),
                "securitySchemes": .object(["basic": .object(["type": "http", "scheme": "basic"])]),
            ]),
            "security": .array([.object([:]), .object(["basic": .array([])])]),
            "paths": .object(paths),
        ])
    }

    private static func operation(_ method: RESTMethod, withBody: Bool = true) -> [String: JSONValue] {
        var responses: [String: JSONValue] = [:]
        switch method.response {
        case .empty: responses["200"] = .object(["description": "Done (empty body)"])
        case .list(let name): responses["200"] = jsonResponse("Found", .object(["type": "array", "items": ref(name)]))
        case .object(let name): responses["200"] = jsonResponse("Done", ref(name))
        }
        responses["400"] = errorResponse("Malformed JSON, or a missing or wrong-typed field (named in `field`)")
        responses["401"] = errorResponse("Credentials required (when users are configured)")
        responses["413"] = errorResponse("Request body over 1 MiB")
        responses["500"] = errorResponse("Internal error")
        responses["501"] = errorResponse("The capability behind this method is not built in this server yet")
        for (status, text) in method.errors { responses[String(status)] = errorResponse(text) }
        var op: [String: JSONValue] = [
            "summary": .string(method.summary),
            "tags": .array([.string(String(method.path.split(separator: "/").first ?? ""))]),
            "responses": .object(responses),
        ]
        if method.isExtension { op["x-switchboard-extension"] = .bool(true) }
        if withBody {
            op["requestBody"] = .object([
                "required": .bool(!method.isParameterless),
                "content": .object(["application/json": .object(["schema": method.requestSchema.openAPI])]),
            ])
        }
        return op
    }

    private static func ref(_ name: String) -> JSONValue { .object(["$ref": .string("#/components/schemas/\(name)")]) }

    private static func jsonResponse(_ text: String, _ schema: JSONValue) -> JSONValue {
        .object(["description": .string(text), "content": .object(["application/json": .object(["schema": schema])])])
    }

    private static func errorResponse(_ text: String) -> JSONValue { jsonResponse(text, ref("Error")) }
}

extension Schema {
    /// This schema as OpenAPI 3.1 JSON Schema. Request schemas describe the lenient forms too:
    /// a boolean may come as "true"/"false", a number as a numeric string.
    var openAPI: JSONValue {
        switch self {
        case .string(let values):
            var o: [String: JSONValue] = ["type": "string"]
            if let values { o["enum"] = .array(values.map { .string($0) }) }
            return .object(o)
        case .integer: return .object(["type": "integer"])
        case .number: return .object(["type": "number"])
        case .boolean: return .object(["type": "boolean"])
        case .array(let e): return .object(["type": "array", "items": e.openAPI])
        case .freeObject: return .object(["type": "object"])
        case .ref(let name): return .object(["$ref": .string("#/components/schemas/\(name)")])
        case .nullable(let inner):
            return .object(["anyOf": .array([inner.openAPI, .object(["type": "null"])])])
        case .object(let properties):
            var props: [String: JSONValue] = [:]
            for p in properties {
                var s = p.schema.openAPI
                if let summary = p.summary, case .object(var o) = s, o["$ref"] == nil {
                    o["description"] = .string(summary)
                    s = .object(o)
                }
                props[p.name] = s
            }
            var o: [String: JSONValue] = ["type": "object", "properties": .object(props)]
            let required = properties.filter(\.isRequired).map { JSONValue.string($0.name) }
            if !required.isEmpty { o["required"] = .array(required) }
            return .object(o)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}
