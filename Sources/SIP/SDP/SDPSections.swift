/// An SDP body cut into its session part and its media sections (RFC 4566 §5), so each
/// stream's reader looks only at its own lines.
struct SDPSections: Sendable {
    /// One m= section.
    struct Media: Sendable {
        /// The media type ("audio", "video").
        var kind: String
        /// The port; 0 means the stream is declined (RFC 3264 §6).
        var port: Int
        /// The payload types of the m= line.
        var formats: [UInt8]
        /// The lines after the m= line, up to the next one.
        var lines: [Substring]

        /// The values of the `a=<name>:` attributes, in order.
        func attributes(_ name: String) -> [Substring] {
            let prefix = "a=\(name):"
            return lines.filter { $0.hasPrefix(prefix) }.map { $0.dropFirst(prefix.count) }
        }
    }

    /// Lines before the first m= line.
    var session: [Substring] = []
    /// The media sections in order.
    var media: [Media] = []

    /// Splits `text` (CRLF or LF line ends).
    /// - Throws: `SIPError.badSDP` for an m= line without a port.
    init(_ text: String) throws(SIPError) {
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("m=") {
                let fields = line.dropFirst(2).split(separator: " ")
                guard fields.count >= 4, let port = Int(fields[1]) else { throw .badSDP("malformed m= line") }
                media.append(Media(kind: String(fields[0]), port: port,
                                   formats: fields.dropFirst(3).compactMap { UInt8($0) }, lines: []))
            } else if media.isEmpty {
                session.append(line)
            } else {
                media[media.count - 1].lines.append(line)
            }
        }
    }

    /// The address of a c= line among `lines`, if any.
    static func connectionAddress(_ lines: [Substring]) -> String? {
        guard let line = lines.last(where: { $0.hasPrefix("c=") }) else { return nil }
        let fields = line.dropFirst(2).split(separator: " ")
        guard fields.count >= 3 else { return nil }
        return String(fields[2].split(separator: "/").first ?? fields[2])
    }

    /// The direction attribute among `lines`, if any.
    static func direction(_ lines: [Substring]) -> SDPAnswer.Direction? {
        lines.lazy.compactMap { $0.hasPrefix("a=") ? SDPAnswer.Direction(rawValue: String($0.dropFirst(2))) : nil }.last
    }
}
