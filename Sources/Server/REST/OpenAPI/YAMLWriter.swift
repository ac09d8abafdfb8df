import Core
import Foundation

/// Writes a JSON value as block-style YAML (keys sorted, strings quoted as JSON strings, which
/// YAML accepts). Hand-written because it is 40 lines and the only YAML the project emits.
enum YAMLWriter {
    static func yaml(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out, inline: false)
        return out
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String, inline: Bool) {
        let pad = String(repeating: "  ", count: indent)
        switch value {
        case .object(let o) where !o.isEmpty:
            var first = true
            for key in o.keys.sorted() {
                let v = o[key] ?? .null
                let prefix = (inline && first) ? "" : pad
                first = false
                out += "\(prefix)\(scalar(.string(key))):"
                if isBlock(v) {
                    out += "\n"
                    write(v, indent: indent + 1, into: &out, inline: false)
                } else {
                    out += " \(scalar(v))\n"
                }
            }
        case .array(let a) where !a.isEmpty:
            for (i, v) in a.enumerated() {
                let prefix = (inline && i == 0) ? "" : pad
                out += "\(prefix)- "
                if isBlock(v) { write(v, indent: indent + 1, into: &out, inline: true) } else { out += "\(scalar(v))\n" }
            }
        default:
            out += (inline ? "" : pad) + scalar(value) + "\n"
        }
    }

    private static func isBlock(_ v: JSONValue) -> Bool {
        switch v {
        case .object(let o): !o.isEmpty
        case .array(let a): !a.isEmpty
        default: false
        }
    }

    private static func scalar(_ v: JSONValue) -> String {
        switch v {
        case .object: return "{}"
        case .array: return "[]"
        default:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let data = (try? encoder.encode(v)) ?? Data("null".utf8)  // scalars always encode
            return String(decoding: data, as: UTF8.self)
        }
    }
}
