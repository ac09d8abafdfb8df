import Media

extension Frame {
    /// A mono 16-bit frame holding a copy of `samples`.
    /// - Throws: `MediaError` for an empty frame or an allocation failure.
    static func mono16(_ samples: [Int16], sampleRate: Int, pts: Int64) throws(MediaError) -> Frame {
        let frame = try Frame(samples: samples.count, format: .s16, sampleRate: sampleRate, channels: 1)
        frame.withPlane(0) { data, _ in
            samples.withUnsafeBytes { UnsafeMutableRawBufferPointer(start: data, count: $0.count).copyMemory(from: $0) }
        }
        frame.pts = pts
        return frame
    }
}
