import CFFmpeg

/// Builds the `AVDictionary` of options that FFmpeg's open calls take, and frees it after.
enum FFmpegOptions {
    /// Calls `body` with a dictionary holding `options`; the dictionary is freed afterwards
    /// (FFmpeg leaves unused options in it, which are ignored).
    @discardableResult
    static func with<R>(
        _ options: [String: String], _ body: (UnsafeMutablePointer<OpaquePointer?>) throws(MediaError) -> R
    ) throws(MediaError) -> R {
        var dictionary: OpaquePointer? = nil
        defer { av_dict_free(&dictionary) }
        for (key, value) in options.sorted(by: { $0.key < $1.key }) {
            try check(av_dict_set(&dictionary, key, value, 0), "av_dict_set \(key)")
        }
        return try body(&dictionary)
    }
}
