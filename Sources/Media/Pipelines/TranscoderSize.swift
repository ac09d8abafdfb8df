/// The output picture size of a transcoder: width or height 0 (or missing) keeps the
/// input's aspect ratio; sizes are rounded to even numbers, as 4:2:0 needs.
enum TranscoderSize {
    /// The libavfilter `scale` arguments for the requested width and height.
    static func scaleArguments(width: Int?, height: Int?) -> String {
        let w = max(width ?? 0, 0)
        let h = max(height ?? 0, 0)
        switch (w, h) {
        case (0, 0): return "trunc(iw/2)*2:trunc(ih/2)*2"
        case (_, 0): return "\(w - w % 2):-2"
        case (0, _): return "-2:\(h - h % 2)"
        default: return "\(w - w % 2):\(h - h % 2)"
        }
    }
}
