import CFFmpeg

/// Every failure of the `Media` module. FFmpeg failures keep their AVERROR code and
/// `av_strerror`'s text, so logs and API messages say what libav said.
public enum MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An FFmpeg call returned a negative AVERROR `code`; `operation` names the call or step.
    case ffmpeg(operation: String, code: Int32, message: String)
    /// No decoder or encoder of this name or codec exists in the linked FFmpeg.
    case codecNotFound(String)
    /// The input has no stream of the kind asked for (e.g. no video for a snapshot).
    case streamNotFound(String)
    /// The URL's scheme is not one the caller's whitelist allows; nothing was opened.
    case protocolNotAllowed(String)
    /// A caller passed a value FFmpeg cannot use (size, rate, pixel format...).
    case invalidArgument(String)
    /// An allocation in FFmpeg returned NULL.
    case outOfMemory(String)

    /// The AVERROR code when this is an FFmpeg failure.
    public var code: Int32? {
        if case .ffmpeg(_, let code, _) = self { return code }
        return nil
    }

    /// AVERROR_INVALIDDATA: input that is not what its format claims.
    public static let invalidDataCode = cff_averror_invaliddata()

    /// true for FFmpeg's end-of-file code.
    public var isEndOfFile: Bool { code == cff_averror_eof() }

    public var description: String {
        switch self {
        case .ffmpeg(let op, let code, let message): "\(op): \(message) (\(code))"
        case .codecNotFound(let name): "codec not found: \(name)"
        case .streamNotFound(let what): "no \(what) stream"
        case .protocolNotAllowed(let url): "protocol not allowed: \(url)"
        case .invalidArgument(let what): "invalid argument: \(what)"
        case .outOfMemory(let what): "out of memory: \(what)"
        }
    }

    /// av_strerror's text for an AVERROR code.
    public static func text(for code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(AV_ERROR_MAX_STRING_SIZE))
        if av_strerror(code, &buffer, buffer.count) < 0 { return "error \(code)" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Throws `MediaError.ffmpeg` for a negative return value; returns non-negative values unchanged.
@discardableResult
func check(_ code: Int32, _ operation: @autoclosure () -> String) throws(MediaError) -> Int32 {
    if code < 0 { throw .ffmpeg(operation: operation(), code: code, message: MediaError.text(for: code)) }
    return code
}

/// AVERROR(EAGAIN): the codec needs input (receive) or output must be drained first (send).
let averrorEAGAIN = cff_averror_eagain()
/// AVERROR_EOF: the stream or codec is fully drained.
let averrorEOF = cff_averror_eof()
/// AV_NOPTS_VALUE: "no timestamp".
let noPTS = cff_nopts_value()
