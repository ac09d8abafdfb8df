/// Validates stream names before they reach a registry, a log line or a file path.
public enum StreamName {
    /// Longest accepted name, in bytes.
    public static let maxLength = 128

    /// Why a name was refused.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case tooLong(Int)
        case badCharacter(Character)

        public var description: String {
            switch self {
            case .empty: "stream name is empty"
            case .tooLong(let n): "stream name is \(n) bytes long; the limit is \(StreamName.maxLength)"
            case .badCharacter(let c): "stream name contains '\(c.unicodeScalars.map { $0.escaped(asASCII: true) }.joined())'; allowed are letters, digits and . _ - # @ ~ +"
            }
        }
    }

    /// Checks a name: ASCII letters, digits and `. _ - # @ ~ +`, not starting with `.`,
    /// at most `maxLength` bytes. `#` is allowed because WCS mixers use `user#room` names.
    public static func validate(_ name: String) throws(Problem) {
        if name.isEmpty { throw .empty }
        if name.utf8.count > maxLength { throw .tooLong(name.utf8.count) }
        for c in name {
            let ok = c.isASCII && (c.isLetter || c.isNumber || "._-#@~+".contains(c))
            if !ok { throw .badCharacter(c) }
        }
        if name.hasPrefix(".") { throw .badCharacter(".") }
    }

    /// true when `validate` would accept the name.
    public static func isValid(_ name: String) -> Bool {
        do { try validate(name); return true } catch { return false }
    }
}
