/// An AMF0 value (AMF0 specification, Adobe 2007, §2).
public enum AMF0Value: Sendable, Equatable {
    /// number-marker 0x00: an IEEE-754 double.
    case number(Double)
    /// boolean-marker 0x01.
    case boolean(Bool)
    /// string-marker 0x02 or long-string-marker 0x0C.
    case string(String)
    /// object-marker 0x03 (or typed-object 0x10, whose class name is dropped): ordered properties.
    case object([(String, AMF0Value)])
    /// null-marker 0x05.
    case null
    /// undefined-marker 0x06.
    case undefined
    /// ecma-array-marker 0x08: ordered properties with a count hint.
    case ecmaArray([(String, AMF0Value)])
    /// strict-array-marker 0x0A.
    case strictArray([AMF0Value])
    /// date-marker 0x0B: milliseconds since 1970 (the time-zone field is ignored, as the spec says).
    case date(Double)

    /// Equality compares properties in order.
    public static func == (a: AMF0Value, b: AMF0Value) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): x == y || (x.isNaN && y.isNaN)
        case (.boolean(let x), .boolean(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.object(let x), .object(let y)), (.ecmaArray(let x), .ecmaArray(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.null, .null), (.undefined, .undefined): true
        case (.strictArray(let x), .strictArray(let y)): x == y
        case (.date(let x), .date(let y)): x == y
        default: false
        }
    }

    /// The string, or nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number, or nil.
    public var numberValue: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    /// Looks up a property of an object or ECMA array.
    public subscript(key: String) -> AMF0Value? {
        switch self {
        case .object(let props), .ecmaArray(let props): props.first { $0.0 == key }?.1
        default: nil
        }
    }
}
