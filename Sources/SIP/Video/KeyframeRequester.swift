import NIOCore

/// Decides when to ask the far end for a keyframe: from the start until the first IDR
/// arrives, and again after a picture was lost, until the next IDR. A request that goes
/// unanswered (lost, or the encoder was busy) is repeated every `retryInterval`; a new loss
/// may ask sooner, but never more often than every `minimumGap`.
struct KeyframeRequester {
    /// Time between repeated requests: long enough for an encoder to produce a keyframe
    /// (a few frames) and for it to cross the network.
    static let retryInterval = TimeAmount.seconds(1)
    /// Shortest time between two requests: a burst of loss makes one request, not one per
    /// picture (every keyframe costs the far end bandwidth).
    static let minimumGap = TimeAmount.milliseconds(300)

    /// true while we wait for a keyframe.
    private(set) var isWaiting = true
    /// Requests made so far.
    private(set) var requests = 0
    private var lastRequest: NIODeadline?
    private var nextRequest: NIODeadline?

    /// A keyframe arrived: stop asking.
    mutating func keyframeArrived() {
        isWaiting = false
        nextRequest = nil
    }

    /// A picture was lost: ask for a keyframe soon.
    mutating func pictureLost(at now: NIODeadline) {
        isWaiting = true
        let soonest = (lastRequest ?? now - Self.minimumGap) + Self.minimumGap
        nextRequest = min(nextRequest ?? soonest, soonest)
    }

    /// true when a request should go out now (and counts it).
    mutating func shouldRequest(at now: NIODeadline) -> Bool {
        guard isWaiting, now >= (nextRequest ?? now) else { return false }
        lastRequest = now
        nextRequest = now + Self.retryInterval
        requests += 1
        return true
    }
}
