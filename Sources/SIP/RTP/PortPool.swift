import Synchronization

/// Hands out RTP/RTCP port pairs (even RTP port, RTCP on the next, RFC 3550 §11) from the
/// `--media-ports` range and takes them back.
///
/// Pairs are handed out round-robin, as rtpengine and Asterisk do: a port just released is
/// not reused at once (late packets of the old call would reach the new one), and a port
/// some other program holds costs one skipped pair, not every call.
final class PortPool: Sendable {
    private struct State {
        var used: Set<Int> = []
        var next: Int
    }

    private let pairs: [Int]
    private let state: Mutex<State>

    /// - Parameter range: the ports calls may use; pairs start at its even ports.
    init(range: ClosedRange<Int>) {
        let first = range.lowerBound % 2 == 0 ? range.lowerBound : range.lowerBound + 1
        pairs = Array(stride(from: first, to: range.upperBound, by: 2))
        state = Mutex(State(next: 0))
    }

    /// Reserves the next free pair and returns its RTP port.
    /// - Throws: `SIPError.noMediaPorts` when every pair is taken.
    func reserve() throws(SIPError) -> Int {
        let port: Int? = state.withLock { s in
            for offset in 0..<pairs.count {
                let index = (s.next + offset) % pairs.count
                let candidate = pairs[index]
                guard !s.used.contains(candidate) else { continue }
                s.used.insert(candidate)
                s.next = (index + 1) % pairs.count
                return candidate
            }
            return nil
        }
        guard let port else { throw .noMediaPorts }
        return port
    }

    /// Gives a pair back.
    func release(_ port: Int) {
        _ = state.withLock { $0.used.remove(port) }
    }

    /// Pairs in use.
    var inUse: Int { state.withLock { $0.used.count } }

    /// Pairs the range holds.
    var capacity: Int { pairs.count }
}
