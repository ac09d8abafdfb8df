import Foundation

/// The `/` filter: case-insensitive text; a leading `!` keeps the rows that do *not* match;
/// `a|b` matches either (htop's alternatives).
public struct RowFilter: Sendable, Equatable {
    /// The text as typed.
    public let text: String
    private let terms: [String]
    private let isInverted: Bool

    /// A filter for `text` as typed after `/`.
    public init(_ text: String) {
        self.text = text
        var body = Substring(text)
        isInverted = body.hasPrefix("!")
        if isInverted { body = body.dropFirst() }
        terms = body.lowercased().split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// True when the filter lets every row through.
    public var isEmpty: Bool { terms.isEmpty }

    /// Whether `row` passes.
    public func accepts(_ row: Row) -> Bool {
        guard !terms.isEmpty else { return true }
        let haystack = row.haystack
        let hit = terms.contains { haystack.contains($0) }
        return hit != isInverted
    }
}
