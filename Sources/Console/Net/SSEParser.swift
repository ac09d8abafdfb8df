/// One Server-Sent Event: its `event:` name and its `data:` lines joined by newlines.
public struct SSEMessage: Sendable, Equatable {
    public var event: String
    public var data: String
    public init(event: String, data: String) {
        self.event = event
        self.data = data
    }
}

/// Parses a `text/event-stream` byte stream (WHATWG HTML §9.2.6) into messages.
///
/// A value-type state machine: feed it bytes in any split, it returns the messages completed
/// so far. Lines end in LF, CRLF or CR; `:` lines are comments (keep-alives); a blank line
/// dispatches; a message without `event:` is named `message`.
public struct SSEParser: Sendable {
    /// Longest line accepted (64 MiB): a snapshot of thousands of objects is one `data:` line.
    public let maxLine: Int
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var event = ""
    private var data: [String] = []
    private var hasData = false

    /// Errors of the parser.
    public enum ParseError: Error, Equatable {
        /// A line grew beyond `maxLine` bytes without a line end.
        case lineTooLong(Int)
    }

    public init(maxLine: Int = 64 << 20) { self.maxLine = maxLine }

    /// Feeds bytes; returns the messages they complete.
    /// - Throws: `ParseError.lineTooLong` when a line exceeds `maxLine`.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [SSEMessage] {
        var out: [SSEMessage] = []
        for byte in bytes {
            if byte == 0x0A, lastWasCR {  // LF of a CRLF pair: the line already ended at CR
                lastWasCR = false
                continue
            }
            lastWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                if let message = endLine() { out.append(message) }
            } else {
                guard line.count < maxLine else { throw ParseError.lineTooLong(maxLine) }
                line.append(byte)
            }
        }
        return out
    }

    private mutating func endLine() -> SSEMessage? {
        defer { line.removeAll(keepingCapacity: line.count < 65_536) }
        if line.isEmpty {
            defer {
                event = ""
                data = []
                hasData = false
            }
            guard hasData else { return nil }
            return SSEMessage(event: event.isEmpty ? "message" : event, data: data.joined(separator: "\n"))
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let field: String
        var value: Substring
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = String(decoding: line[..<colon], as: UTF8.self)
            var start = line.index(after: colon)
            if start < line.endIndex, line[start] == UInt8(ascii: " ") { start = line.index(after: start) }
            value = Substring(String(decoding: line[start...], as: UTF8.self))
        } else {
            field = String(decoding: line, as: UTF8.self)
            value = ""
        }
        switch field {
        case "event": event = String(value)
        case "data":
            data.append(String(value))
            hasData = true
        default: value = ""  // id, retry and unknown fields: the console does not use them
        }
        return nil
    }
}
