/// A `Decoder` over one node of a `JSONTape`: decodes any `Decodable` (the Core API types, with
/// their synthesized `init(from:)`) straight from the document's bytes. Keys are found by
/// comparing bytes, so no dictionary of the object's keys is built, and fields nobody asks for
/// are never converted.
///
/// Accepts what `JSONDecoder` accepts for these types, with its default strategies (numbers as
/// written, no key conversion), and throws the same `DecodingError` cases, so callers fall back
/// the same way.
public struct TapeDecoder: Decoder {
    /// The document.
    let tape: JSONTape
    /// The node this decoder reads.
    let index: Int
    /// The path to the parent value, and the key of this one: the full path is built only when
    /// asked for (errors, nested values two levels down), not for every field.
    private let parentPath: [any CodingKey]
    private let key: (any CodingKey)?
    public var codingPath: [any CodingKey] { key.map { parentPath + [$0] } ?? parentPath }
    public var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// A decoder for node `index` of `tape` (0: the whole document).
    public init(_ tape: JSONTape, index: Int = 0, codingPath: [any CodingKey] = []) {
        self.tape = tape
        self.index = index
        self.parentPath = codingPath
        self.key = nil
    }

    private init(_ tape: JSONTape, index: Int, parentPath: [any CodingKey], key: any CodingKey) {
        self.tape = tape
        self.index = index
        self.parentPath = parentPath
        self.key = key
    }

    /// Decodes a `T` from the whole document.
    /// - Throws: `JSONTape.ParseError` for malformed JSON, `DecodingError` when it does not fit `T`.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try T(from: TapeDecoder(try JSONTape(bytes)))
    }

    var kind: JSONTape.Kind { tape.nodes[index].kind }

    func mismatch<T>(_ type: T.Type, _ path: [any CodingKey]) -> DecodingError {
        .typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(type), found \(kind)"))
    }

    public func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard kind == .object else { throw mismatch([String: Any].self, codingPath) }
        return KeyedDecodingContainer(TapeKeyedContainer<Key>(decoder: self))
    }

    public func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard kind == .array else { throw mismatch([Any].self, codingPath) }
        return TapeUnkeyedContainer(decoder: self)
    }

    public func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// The decoder of another node, one key deeper.
    func child(_ node: Int, _ key: any CodingKey) -> TapeDecoder {
        TapeDecoder(tape, index: node, parentPath: codingPath, key: key)
    }
}

/// Scalars: the decoder is its own single-value container.
extension TapeDecoder: SingleValueDecodingContainer {
    public func decodeNil() -> Bool { kind == .null }

    public func decode(_ type: Bool.Type) throws -> Bool { try read(type, TapeScalar.bool) }
    public func decode(_ type: String.Type) throws -> String { try read(type, TapeScalar.string) }

    public func decode(_ type: Double.Type) throws -> Double { try read(type, TapeScalar.double) }
    public func decode(_ type: Float.Type) throws -> Float { Float(try read(Double.self, TapeScalar.double)) }
    public func decode(_ type: Int.Type) throws -> Int { try read(type, TapeScalar.integer) }
    public func decode(_ type: Int8.Type) throws -> Int8 { try read(type, TapeScalar.integer) }
    public func decode(_ type: Int16.Type) throws -> Int16 { try read(type, TapeScalar.integer) }
    public func decode(_ type: Int32.Type) throws -> Int32 { try read(type, TapeScalar.integer) }
    public func decode(_ type: Int64.Type) throws -> Int64 { try read(type, TapeScalar.integer) }
    public func decode(_ type: UInt.Type) throws -> UInt { try read(type, TapeScalar.integer) }
    public func decode(_ type: UInt8.Type) throws -> UInt8 { try read(type, TapeScalar.integer) }
    public func decode(_ type: UInt16.Type) throws -> UInt16 { try read(type, TapeScalar.integer) }
    public func decode(_ type: UInt32.Type) throws -> UInt32 { try read(type, TapeScalar.integer) }
    public func decode(_ type: UInt64.Type) throws -> UInt64 { try read(type, TapeScalar.integer) }
    public func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }

    func failure<T>(_ type: T.Type) -> DecodingError {
        if kind == .null {
            return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "expected \(type), found null"))
        }
        return mismatch(type, codingPath)
    }

    /// The value `read` finds at this node, or the error `JSONDecoder` would throw.
    func read<T>(_ type: T.Type, _ read: (JSONTape, Int) -> T?) throws -> T {
        if let value = read(tape, index) { return value }
        throw failure(type)
    }
}

/// Readers of scalar nodes: nil when the node is not of that type (or the number does not fit).
enum TapeScalar {
    static func bool(_ tape: JSONTape, _ node: Int) -> Bool? {
        tape.nodes[node].kind == .bool ? tape.nodes[node].flag : nil
    }

    static func string(_ tape: JSONTape, _ node: Int) -> String? {
        tape.nodes[node].kind == .string ? tape.string(at: node) : nil
    }

    static func double(_ tape: JSONTape, _ node: Int) -> Double? {
        guard tape.nodes[node].kind == .number else { return nil }
        return Double(Substring(decoding: tape.slice(at: node), as: UTF8.self))
    }

    /// An integer written as digits (the fast path), or as a number with an exact integer value (1e3, 5.0).
    static func integer<T: FixedWidthInteger>(_ tape: JSONTape, _ node: Int) -> T? {
        guard tape.nodes[node].kind == .number else { return nil }
        let digits = tape.slice(at: node)
        var i = digits.startIndex
        let isNegative = digits[i] == UInt8(ascii: "-")
        if isNegative { i += 1 }
        guard i < digits.endIndex else { return nil }
        var value: T = 0
        while i < digits.endIndex {
            let d = digits[i] &- UInt8(ascii: "0")
            guard d < 10 else { return double(tape, node).flatMap { T(exactly: $0) } }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = isNegative ? m.subtractingReportingOverflow(T(d)) : m.addingReportingOverflow(T(d))
            guard !o1, !o2 else { return nil }
            value = a
            i += 1
        }
        return value
    }
}

/// An object's members, looked up by comparing key bytes.
private struct TapeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: TapeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        decoder.tape.members(of: decoder.index).compactMap { Key(stringValue: decoder.tape.string(at: $0.key)) }
    }

    /// The value node of `key`, if the object has it.
    func node(_ key: Key) -> Int? { decoder.tape.member(key.stringValue, of: decoder.index) }

    func value(_ key: Key) throws -> TapeDecoder {
        guard let node = node(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
        }
        return decoder.child(node, key)
    }

    func contains(_ key: Key) -> Bool { node(key) != nil }

    // Scalars are read straight from their node: a child decoder (and its coding path) is
    // made only for nested values and for errors.
    func scalar<T>(_ key: Key, _ type: T.Type, _ read: (JSONTape, Int) -> T?) throws -> T {
        guard let node = node(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
        }
        if let value = read(decoder.tape, node) { return value }
        throw decoder.child(node, key).failure(type)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try scalar(key, Bool.self) { $0.nodes[$1].kind == .null } }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try scalar(key, type, TapeScalar.bool) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try scalar(key, type, TapeScalar.string) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try scalar(key, type, TapeScalar.double) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try scalar(key, type) { TapeScalar.double($0, $1).map(Float.init) } }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try scalar(key, type, TapeScalar.integer) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try scalar(key, type, TapeScalar.integer) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try scalar(key, type, TapeScalar.integer) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try scalar(key, type, TapeScalar.integer) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try scalar(key, type, TapeScalar.integer) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try scalar(key, type, TapeScalar.integer) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try scalar(key, type, TapeScalar.integer) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try scalar(key, type, TapeScalar.integer) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try scalar(key, type, TapeScalar.integer) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try scalar(key, type, TapeScalar.integer) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try T(from: try value(key)) }

    // Optionals: one lookup instead of contains + decodeNil + decode.
    func present<T>(_ key: Key, _ type: T.Type, _ read: (JSONTape, Int) -> T?) throws -> T? {
        guard let node = node(key), decoder.tape.nodes[node].kind != .null else { return nil }
        if let value = read(decoder.tape, node) { return value }
        throw decoder.child(node, key).failure(type)
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try present(key, type, TapeScalar.string) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try present(key, type, TapeScalar.bool) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try present(key, type, TapeScalar.integer) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try present(key, type, TapeScalar.integer) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try present(key, type, TapeScalar.double) }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let node = node(key), decoder.tape.nodes[node].kind != .null else { return nil }
        return try T(from: decoder.child(node, key))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey> {
        try value(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try value(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        guard let key = Key(stringValue: "super") else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "no 'super' key"))
        }
        return try value(key)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { try value(key) }
}

/// An array's elements in order.
private struct TapeUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: TapeDecoder
    let elements: [Int]
    private(set) var currentIndex = 0

    init(decoder: TapeDecoder) {
        self.decoder = decoder
        self.elements = decoder.tape.elements(of: decoder.index)
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private struct IndexKey: CodingKey {
        var stringValue: String { "Index \(intValue ?? 0)" }
        var intValue: Int?
        init(_ i: Int) { intValue = i }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    mutating func next<T>(_ type: T.Type) throws -> TapeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "array at its end"))
        }
        defer { currentIndex += 1 }
        return decoder.child(elements[currentIndex], IndexKey(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, decoder.tape.nodes[elements[currentIndex]].kind == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type).decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next(type).decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type).decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type).decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type).decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type).decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type).decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type).decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type).decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type).decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type).decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type).decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type).decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type).decode(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: try next(type)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey> {
        try next([String: Any].self).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next([Any].self).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next(Any.self) }
}
