import Core

/// A JSON Schema subset that describes request and response bodies. One description serves
/// three uses: checking requests (naming the bad field), coercing the strings real WCS clients
/// send (`"true"`, `"5060"`), and the OpenAPI document.
indirect enum Schema: Sendable {
    case string(enumValues: [String]?)
    case integer
    case number
    case boolean
    case array(Schema)
    case object([Property])
    /// Any JSON object (`custom`, `options`, `payload`).
    case freeObject
    /// A named component of the OpenAPI document.
    case ref(String)
    /// A value that may also be null.
    case nullable(Schema)

    /// One field of an object schema.
    struct Property: Sendable {
        let name: String
        let schema: Schema
        let isRequired: Bool
        let summary: String?

        /// A required field.
        static func required(_ name: String, _ schema: Schema, _ summary: String? = nil) -> Property {
            Property(name: name, schema: schema, isRequired: true, summary: summary)
        }

        /// An optional field.
        static func optional(_ name: String, _ schema: Schema, _ summary: String? = nil) -> Property {
            Property(name: name, schema: schema, isRequired: false, summary: summary)
        }
    }

    /// A plain string.
    static let string = Schema.string(enumValues: nil)
}

// MARK: - Request checking

extension Schema {
    /// Checks a request value and returns it with lenient strings coerced to their declared
    /// type. Unknown fields pass through untouched (WCS clients send extras such as `appKey`).
    /// - Throws: `APIError` 400 naming the field at fault.
    func check(_ value: JSONValue, at path: String, components: [String: Schema]) throws(APIError) -> JSONValue {
        switch self {
        case .nullable(let inner):
            if value == .null { return .null }
            return try inner.check(value, at: path, components: components)
        case .ref(let name):
            guard let schema = components[name] else { return value }
            return try schema.check(value, at: path, components: components)
        case .freeObject:
            guard case .object = value else { throw Self.wrongType(path, "an object", value) }
            return value
        case .string(let enumValues):
            let text: String
            switch value {
            case .string(let s): text = s
            case .number(let n): text = (n.rounded() == n && abs(n) < 9.0e15) ? String(Int64(n)) : String(n)
            case .bool(let b): text = String(b)
            default: throw Self.wrongType(path, "a string", value)
            }
            if let enumValues, !enumValues.contains(text) {
                throw APIError.badRequest(
                    "field '\(path)' must be one of \(enumValues.joined(separator: ", "))", field: path)
            }
            return .string(text)
        case .boolean:
            switch value {
            case .bool: return value
            case .string(let s) where s.lowercased() == "true": return .bool(true)
            case .string(let s) where s.lowercased() == "false": return .bool(false)
            default: throw Self.wrongType(path, "a boolean", value)
            }
        case .integer, .number:
            let number: Double
            switch value {
            case .number(let n): number = n
            case .string(let s):
                guard let n = Double(s.trimmingCharacters(in: .whitespaces)), n.isFinite else {
                    throw Self.wrongType(path, isInteger ? "an integer" : "a number", value)
                }
                number = n
            default: throw Self.wrongType(path, isInteger ? "an integer" : "a number", value)
            }
            if isInteger, number.rounded() != number || abs(number) > 9.0e15 {
                throw Self.wrongType(path, "an integer", value)
            }
            return .number(number)
        case .array(let element):
            guard case .array(let items) = value else { throw Self.wrongType(path, "an array", value) }
            var checked: [JSONValue] = []
            for (i, item) in items.enumerated() {
                checked.append(try element.check(item, at: "\(path)[\(i)]", components: components))
            }
            return .array(checked)
        case .object(let properties):
            guard case .object(var fields) = value else { throw Self.wrongType(path, "an object", value) }
            for property in properties {
                let fieldPath = path.isEmpty ? property.name : "\(path).\(property.name)"
                let present = fields[property.name].flatMap { $0 == .null ? nil : $0 }
                guard let present else {
                    if property.isRequired {
                        throw APIError.badRequest("missing required field '\(fieldPath)'", field: fieldPath)
                    }
                    fields[property.name] = nil  // null means absent
                    continue
                }
                fields[property.name] = try property.schema.check(present, at: fieldPath, components: components)
            }
            return .object(fields)
        }
    }

    private var isInteger: Bool {
        if case .integer = self { return true }
        return false
    }

    private static func wrongType(_ path: String, _ expected: String, _ value: JSONValue) -> APIError {
        if path.isEmpty {
            return APIError.badRequest("the request body must be \(expected), not \(value.typeName)")
        }
        return APIError.badRequest("field '\(path)' must be \(expected), not \(value.typeName)", field: path)
    }
}

import Foundation
