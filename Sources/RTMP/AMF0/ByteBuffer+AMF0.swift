import NIOCore

/// Reading and writing AMF0 values in a `ByteBuffer` (AMF0 specification §2).
extension ByteBuffer {
    /// Most nesting levels accepted when reading, so hostile input cannot exhaust the stack.
    public static let amf0MaxDepth = 32

    /// Writes one AMF0 value.
    @discardableResult
    public mutating func writeAMF0(_ value: AMF0Value) -> Int {
        let start = writerIndex
        switch value {
        case .number(let n):
            writeInteger(UInt8(0x00))
            writeInteger(n.bitPattern)
        case .boolean(let b):
            writeInteger(UInt8(0x01))
            writeInteger(UInt8(b ? 1 : 0))
        case .string(let s):
            let utf8 = Array(s.utf8)
            if utf8.count > 0xFFFF {
                writeInteger(UInt8(0x0C))
                writeInteger(UInt32(utf8.count))
            } else {
                writeInteger(UInt8(0x02))
                writeInteger(UInt16(utf8.count))
            }
            writeBytes(utf8)
        case .object(let props):
            writeInteger(UInt8(0x03))
            writeAMF0Properties(props)
        case .null:
            writeInteger(UInt8(0x05))
        case .undefined:
            writeInteger(UInt8(0x06))
        case .ecmaArray(let props):
            writeInteger(UInt8(0x08))
            writeInteger(UInt32(props.count))
            writeAMF0Properties(props)
        case .strictArray(let items):
            writeInteger(UInt8(0x0A))
            writeInteger(UInt32(items.count))
            for item in items { writeAMF0(item) }
        case .date(let ms):
            writeInteger(UInt8(0x0B))
            writeInteger(ms.bitPattern)
            writeInteger(Int16(0))
        }
        return writerIndex - start
    }

    private mutating func writeAMF0Properties(_ props: [(String, AMF0Value)]) {
        for (key, value) in props {
            let utf8 = Array(key.utf8.prefix(0xFFFF))
            writeInteger(UInt16(utf8.count))
            writeBytes(utf8)
            writeAMF0(value)
        }
        writeBytes([0x00, 0x00, 0x09])
    }

    /// Reads one AMF0 value, or throws without a partial read being visible to the caller's
    /// next value (the reader index is restored on error).
    /// - Throws: `RTMPError.malformedAMF0` or `RTMPError.amf0TooDeep`.
    public mutating func readAMF0() throws(RTMPError) -> AMF0Value {
        let saved = readerIndex
        do {
            return try readAMF0Value(depth: 0)
        } catch {
            moveReaderIndex(to: saved)
            throw error
        }
    }

    /// Reads AMF0 values until the buffer is empty.
    /// - Throws: `RTMPError.malformedAMF0` or `RTMPError.amf0TooDeep`.
    public mutating func readAMF0All() throws(RTMPError) -> [AMF0Value] {
        var values: [AMF0Value] = []
        while readableBytes > 0 { values.append(try readAMF0()) }
        return values
    }

    private mutating func readAMF0Value(depth: Int) throws(RTMPError) -> AMF0Value {
        guard depth < Self.amf0MaxDepth else { throw .amf0TooDeep(limit: Self.amf0MaxDepth) }
        guard let marker = readInteger(as: UInt8.self) else { throw .malformedAMF0("missing type marker") }
        switch marker {
        case 0x00:
            guard let bits = readInteger(as: UInt64.self) else { throw .malformedAMF0("truncated number") }
            return .number(Double(bitPattern: bits))
        case 0x01:
            guard let b = readInteger(as: UInt8.self) else { throw .malformedAMF0("truncated boolean") }
            return .boolean(b != 0)
        case 0x02:
            return .string(try readAMF0String(longLength: false))
        case 0x0C:
            return .string(try readAMF0String(longLength: true))
        case 0x03:
            return .object(try readAMF0Properties(depth: depth))
        case 0x10:
            _ = try readAMF0String(longLength: false)
            return .object(try readAMF0Properties(depth: depth))
        case 0x05:
            return .null
        case 0x06:
            return .undefined
        case 0x08:
            guard readInteger(as: UInt32.self) != nil else { throw .malformedAMF0("truncated ECMA array count") }
            return .ecmaArray(try readAMF0Properties(depth: depth))
        case 0x0A:
            guard let count = readInteger(as: UInt32.self) else { throw .malformedAMF0("truncated strict array") }
            // Each element takes at least one byte, so a count beyond what is left is a lie.
            guard Int(count) <= readableBytes else { throw .malformedAMF0("strict array count \(count) exceeds input") }
            var items: [AMF0Value] = []
            for _ in 0..<count { items.append(try readAMF0Value(depth: depth + 1)) }
            return .strictArray(items)
        case 0x0B:
            guard let bits = readInteger(as: UInt64.self), readInteger(as: Int16.self) != nil else {
                throw .malformedAMF0("truncated date")
            }
            return .date(Double(bitPattern: bits))
        default:
            throw .malformedAMF0("unsupported type marker 0x\(String(marker, radix: 16))")
        }
    }

    private mutating func readAMF0String(longLength: Bool) throws(RTMPError) -> String {
        let length: Int?
        if longLength { length = readInteger(as: UInt32.self).map(Int.init) } else { length = readInteger(as: UInt16.self).map(Int.init) }
        guard let length, let string = readString(length: length) else { throw .malformedAMF0("truncated string") }
        return string
    }

    private mutating func readAMF0Properties(depth: Int) throws(RTMPError) -> [(String, AMF0Value)] {
        var props: [(String, AMF0Value)] = []
        while true {
            let key = try readAMF0String(longLength: false)
            if key.isEmpty {
                guard let end = readInteger(as: UInt8.self) else { throw .malformedAMF0("truncated object end") }
                guard end == 0x09 else {
                    // Empty key followed by a value: tolerated (some encoders emit it), keep reading.
                    moveReaderIndex(to: readerIndex - 1)
                    props.append(("", try readAMF0Value(depth: depth + 1)))
                    continue
                }
                return props
            }
            props.append((key, try readAMF0Value(depth: depth + 1)))
        }
    }
}
