import Foundation

/// One JSON document (RFC 8259) parsed into a flat list of nodes over its bytes: a value is
/// located, not converted, so finding an event's object type and key, or skipping the fields a
/// table does not show, costs no allocation. `TapeDecoder` turns nodes into Swift values.
///
/// Why hand-written: at 20,000 events a second Foundation's `JSONDecoder` (a dictionary of
/// every key per object, a decoder per nested value) took most of the console's CPU.
public final class JSONTape: Sendable {
    /// What a node holds.
    public enum Kind: UInt8, Sendable {
        case null, bool, number, string, array, object
    }

    /// One value. Containers are followed by their children (objects: key, value, key, value…).
    public struct Node: Sendable {
        /// The value's type.
        public var kind: Kind
        /// `true` for a true boolean; for strings, that the text contains escapes.
        public var flag: Bool
        /// First byte of the value (strings: after the opening quote).
        public var start: Int32
        /// One past the last byte (strings: the closing quote).
        public var end: Int32
        /// Index of the node after this value and its children.
        public var next: Int32
    }

    /// The document's bytes.
    public let bytes: [UInt8]
    /// The nodes in document order; node 0 is the top-level value.
    public let nodes: [Node]

    /// Deepest nesting accepted (objects and arrays): 64, far beyond any API object (free-form
    /// `custom` fields included), and shallow enough that parsing and then decoding nested
    /// `JSONValue`s recursively stays well inside a task's stack, whatever the server sends.
    public static let maxDepth = 64

    /// Why a document was refused.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        /// The bytes are not JSON; `offset` is where parsing stopped.
        case syntax(offset: Int)
        /// Nested deeper than `maxDepth`.
        case tooDeep

        public var description: String {
            switch self {
            case .syntax(let offset): "invalid JSON at byte \(offset)"
            case .tooDeep: "JSON nested deeper than \(JSONTape.maxDepth)"
            }
        }
    }

    /// Parses `bytes` as one JSON value (with optional surrounding whitespace).
    /// - Throws: `ParseError` when they are not, or nest too deeply.
    public init(_ bytes: [UInt8]) throws(ParseError) {
        guard bytes.count < Int(Int32.max) else { throw .syntax(offset: Int(Int32.max)) }  // offsets are 32-bit
        var parser = Parser(bytes: bytes)
        try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.offset == bytes.count else { throw .syntax(offset: parser.offset) }
        self.bytes = bytes
        self.nodes = parser.nodes
    }

    /// The child nodes of the object at `index`, as (key node, value node) pairs.
    public func members(of index: Int) -> [(key: Int, value: Int)] {
        var out: [(key: Int, value: Int)] = []
        forEachMember(of: index) { out.append(($0, $1)); return true }
        return out
    }

    /// Calls `body` with each (key node, value node) of the object at `index` until it returns false.
    @inline(__always)
    func forEachMember(of index: Int, _ body: (Int, Int) -> Bool) {
        let end = Int(nodes[index].next)
        var i = index + 1
        while i < end {
            let value = i + 1
            guard body(i, value) else { return }
            i = Int(nodes[value].next)
        }
    }

    /// The value node of member `key` of the object at `index`, if present.
    public func member(_ key: String, of index: Int) -> Int? {
        var found: Int?
        var key = key
        key.withUTF8 { k in
            forEachMember(of: index) { keyNode, value in
                if keyEquals(keyNode, k) { found = value; return false }
                return true
            }
        }
        return found
    }

    /// Whether the string node `index` (a key) spells `key` exactly.
    @inline(__always)
    func keyEquals(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = nodes[index]
        if n.flag { return string(at: index).utf8.elementsEqual(key) }  // escaped key: rare
        let length = Int(n.end - n.start)
        guard length == key.count else { return false }
        return bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, let k = key.baseAddress else { return length == 0 }
            return memcmp(base + Int(n.start), k, length) == 0
        }
    }

    /// The element nodes of the array at `index`.
    public func elements(of index: Int) -> [Int] {
        let end = Int(nodes[index].next)
        var out: [Int] = []
        var i = index + 1
        while i < end {
            out.append(i)
            i = Int(nodes[i].next)
        }
        return out
    }

    /// The text of the string node at `index`, escapes resolved.
    public func string(at index: Int) -> String {
        let n = nodes[index]
        let range = Int(n.start)..<Int(n.end)
        guard n.flag else { return String(decoding: bytes[range], as: UTF8.self) }
        return Self.unescape(bytes[range])
    }

    /// The bytes of the value at `index` as they appear in the document (strings without quotes).
    public func slice(at index: Int) -> ArraySlice<UInt8> {
        let n = nodes[index]
        return bytes[Int(n.start)..<Int(n.end)]
    }

    /// Resolves `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` and `\uXXXX` (with surrogate pairs).
    static func unescape(_ s: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= s.endIndex else { return nil }
            var v: UInt32 = 0
            for b in s[at..<at + 4] {
                guard let d = hexDigit(b) else { return nil }
                v = v << 4 | d
            }
            return v
        }
        func append(_ scalar: UInt32) {
            let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(Character(u)).utf8))
        }
        while i < s.endIndex {
            let b = s[i]
            guard b == UInt8(ascii: "\\"), i + 1 < s.endIndex else {
                out.append(b)
                i += 1
                continue
            }
            let e = s[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard let high = hex4(i) else { append(0xFFFD); continue }
                i += 4
                if (0xD800..<0xDC00).contains(high), i + 6 <= s.endIndex, s[i] == UInt8(ascii: "\\"),
                    s[i + 1] == UInt8(ascii: "u"), let low = hex4(i + 2), (0xDC00..<0xE000).contains(low) {
                    i += 6
                    append(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                } else {
                    append(high)  // a lone surrogate becomes U+FFFD
                }
            default: out.append(e)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}

/// The recursive-descent parser behind `JSONTape`.
private struct Parser {
    let bytes: [UInt8]
    var offset = 0
    var nodes: [JSONTape.Node] = []

    init(bytes: [UInt8]) {
        self.bytes = bytes
        nodes.reserveCapacity(bytes.count / 12 + 4)
    }

    mutating func skipSpace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    mutating func add(_ kind: JSONTape.Kind, _ start: Int, _ end: Int, flag: Bool = false) -> Int {
        nodes.append(JSONTape.Node(kind: kind, flag: flag, start: Int32(start), end: Int32(end), next: Int32(nodes.count + 1)))
        return nodes.count - 1
    }

    mutating func value(depth: Int) throws(JSONTape.ParseError) {
        skipSpace()
        guard offset < bytes.count else { throw .syntax(offset: offset) }
        switch bytes[offset] {
        case UInt8(ascii: "{"): try container(isObject: true, depth: depth)
        case UInt8(ascii: "["): try container(isObject: false, depth: depth)
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true", .bool, flag: true)
        case UInt8(ascii: "f"): try literal("false", .bool, flag: false)
        case UInt8(ascii: "n"): try literal("null", .null, flag: false)
        default: try number()
        }
    }

    mutating func literal(_ word: StaticString, _ kind: JSONTape.Kind, flag: Bool) throws(JSONTape.ParseError) {
        let n = word.utf8CodeUnitCount
        guard offset + n <= bytes.count else { throw .syntax(offset: offset) }
        let matches = word.withUTF8Buffer { w in bytes[offset..<offset + n].elementsEqual(w) }
        guard matches else { throw .syntax(offset: offset) }
        _ = add(kind, offset, offset + n, flag: flag)
        offset += n
    }

    mutating func string() throws(JSONTape.ParseError) {
        offset += 1  // opening quote
        let start = offset
        var escaped = false
        let found: Int? = bytes.withUnsafeBufferPointer { b in
            var i = start
            while i < b.count {
                switch b[i] {
                case UInt8(ascii: "\""): return i
                case UInt8(ascii: "\\"):
                    escaped = true
                    i += 2
                case 0..<0x20: return nil  // control characters must be escaped
                default: i += 1
                }
            }
            return nil
        }
        guard let end = found else { throw .syntax(offset: start) }
        _ = add(.string, start, end, flag: escaped)
        offset = end + 1
    }

    mutating func number() throws(JSONTape.ParseError) {
        let start = offset
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                UInt8(ascii: "e"), UInt8(ascii: "E"):
                offset += 1
            default:
                guard offset > start else { throw .syntax(offset: offset) }
                _ = add(.number, start, offset)
                return
            }
        }
        guard offset > start else { throw .syntax(offset: offset) }
        _ = add(.number, start, offset)
    }

    mutating func container(isObject: Bool, depth: Int) throws(JSONTape.ParseError) {
        guard depth < JSONTape.maxDepth else { throw .tooDeep }
        let index = add(isObject ? .object : .array, offset, offset)
        offset += 1
        let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        skipSpace()
        if offset < bytes.count, bytes[offset] == close {
            offset += 1
        } else {
            while true {
                if isObject {
                    skipSpace()
                    guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw .syntax(offset: offset) }
                    try string()
                    skipSpace()
                    guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else { throw .syntax(offset: offset) }
                    offset += 1
                }
                try value(depth: depth + 1)
                skipSpace()
                guard offset < bytes.count else { throw .syntax(offset: offset) }
                if bytes[offset] == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                guard bytes[offset] == close else { throw .syntax(offset: offset) }
                offset += 1
                break
            }
        }
        nodes[index].end = Int32(offset)
        nodes[index].next = Int32(nodes.count)
    }
}
