import Core

/// Sends the H.264 video of a hub stream into a call (`/call/inject_stream`) as it arrives,
/// passed through without transcoding, until the stream ends or `stop()` is called. The far
/// end gets what the stream carries: its profile may be above the Constrained Baseline we offered.
final class VideoInjector: Sendable {
    private let subscription: Subscription
    private let task: Task<Void, Never>

    /// Starts reading `subscription`; every picture goes to `send` (payloads and RTP timestamp).
    init(subscription: Subscription, send: @escaping @Sendable (_ payloads: [[UInt8]], _ timestamp: UInt32) -> Void) {
        self.subscription = subscription
        task = Task {
            var reader = HubVideoReader()
            while case .packet(let packet) = await subscription.next() {
                guard let (units, timestamp) = reader.picture(packet) else { continue }
                send(H264Packetizer.payloads(units), timestamp)
            }
        }
    }

    /// Stops sending and leaves the stream.
    func stop() {
        subscription.cancel()
        task.cancel()
    }
}
