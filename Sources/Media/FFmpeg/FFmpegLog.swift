import CFFmpeg
import Logging

/// FFmpeg's own messages, routed into swift-log instead of stderr (label `switchboard.ffmpeg`).
/// Levels: FFmpeg panic/fatal → error, error → warning, warning → debug; quieter messages are
/// dropped before formatting.
enum FFmpegLog {
    /// Installs the callback; called once by `FFmpegLibraries.setUp()`.
    static func install() {
        av_log_set_level(AV_LOG_WARNING)
        av_log_set_callback { object, level, format, arguments in
            guard level <= AV_LOG_WARNING, let format, let arguments else { return }
            var line = [CChar](repeating: 0, count: 1024)
            var printPrefix: Int32 = 1
            guard av_log_format_line2(object, level, format, arguments, &line, Int32(line.count), &printPrefix) > 0 else {
                return
            }
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                .trimmingTrailingNewlines()
            let swiftLevel: Logger.Level = switch level {
            case ...AV_LOG_FATAL: .error
            case ...AV_LOG_ERROR: .warning
            default: .debug
            }
            ffmpegLogger.log(level: swiftLevel, "\(text)")
        }
    }
}

/// The logger FFmpeg's messages go to; created on first use, after the server set up logging.
private let ffmpegLogger = Logger(label: "switchboard.ffmpeg")

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
