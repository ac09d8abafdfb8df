import Foundation

/// Renders recording file names from a WCS template (wcs-rest-facts.md §3.13).
enum RecordingName {
    /// Used when the request names no template: unique per publish and sortable by time.
    static let defaultTemplate = "{streamName}-{startTime}"
    /// Stands for `{endTime}` while the recording runs; replaced when it is finalized.
    static let pendingEndTime = "recording"

    /// The file name (without extension) for `template`.
    /// - Parameters:
    ///   - template: text with `{streamName}`, `{mediaSessionId}`, `{startTime}`, `{endTime}`.
    ///   - startTime: milliseconds since 1970 when recording began.
    ///   - endTime: milliseconds since 1970 when it ended, nil while it runs.
    static func render(_ template: String, streamName: String, mediaSessionId: String,
                       startTime: Int64, endTime: Int64?) -> String {
        template
            .replacingOccurrences(of: "{streamName}", with: streamName)
            .replacingOccurrences(of: "{mediaSessionId}", with: mediaSessionId)
            .replacingOccurrences(of: "{startTime}", with: String(startTime))
            .replacingOccurrences(of: "{endTime}", with: endTime.map(String.init) ?? pendingEndTime)
    }
}
