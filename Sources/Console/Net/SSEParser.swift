/// One Server-Sent Event: its `event:` name and its `data:` lines joined by newlines.
public struct SSEMessage: Sendable, Equatable {
    /// The event name (`message` when the stream gave none).
    public var event: String
    /// The data lines joined by newlines.
    public var data: String
    /// A message from its parts.
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

    /// A parser with a line limit.
    public init(maxLine: Int = 64 << 20) { self.maxLine = maxLine }

    /// Feeds bytes; returns the messages they complete.
    /// - Throws: `ParseError.lineTooLong` when a line exceeds `maxLine`.
    public mutating func feed(_ bytes: [UInt8]) throws -> [SSEMessage] {
        var out: [SSEMessage] = []
        var start = 0
        let end = bytes.count
        // Copy whole runs between line ends at once: a snapshot line is megabytes long, and a
        // byte-by-byte append was the console's hottest loop under a flood of events.
        while start < end {
            if lastWasCR, bytes[start] == 0x0A {  // LF of a CRLF pair: the line already ended at CR
                lastWasCR = false
                start += 1
                continue
            }
            lastWasCR = false
            var i = start
            while i < end, bytes[i] != 0x0A, bytes[i] != 0x0D { i += 1 }
            guard line.count + (i - start) <= maxLine else { throw ParseError.lineTooLong(maxLine) }
            line.append(contentsOf: bytes[start..<i])
            guard i < end else { break }
            lastWasCR = bytes[i] == 0x0D
            if let message = endLine() { out.append(message) }
            start = i + 1
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
