import Synchronization

/// Hands out RTP/RTCP port pairs (even RTP port, RTCP on the next, RFC 3550 §11) from the
/// `--media-ports` range and takes them back.
final class PortPool: Sendable {
    private let range: ClosedRange<Int>
    private let used = Mutex<Set<Int>>([])

    /// - Parameter range: the ports calls may use; pairs start at its even ports.
    init(range: ClosedRange<Int>) {
        self.range = range
    }

    /// Reserves a pair and returns its RTP port.
    /// - Throws: `SIPError.noMediaPorts` when every pair is taken.
    func reserve() throws(SIPError) -> Int {
        let first = range.lowerBound % 2 == 0 ? range.lowerBound : range.lowerBound + 1
        let port: Int? = used.withLock { used in
            for candidate in stride(from: first, to: range.upperBound, by: 2) where !used.contains(candidate) {
                used.insert(candidate)
                return candidate
            }
            return nil
        }
        guard let port else { throw .noMediaPorts }
        return port
    }

    /// Gives a pair back.
    func release(_ port: Int) {
        _ = used.withLock { $0.remove(port) }
    }

    /// Pairs in use.
    var inUse: Int { used.withLock { $0.count } }
}
