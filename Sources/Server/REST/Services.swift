import Core
import Logging

/// What the REST layer talks to. The registry is always there; each control is present once its
/// subsystem is built and wired, and a method whose control is missing answers 501.
struct Services: Sendable {
    let registry: Registry
    let logger: Logger
    var streams: (any StreamControl)?
    var recording: (any RecordingControl)?
    var snapshots: (any SnapshotControl)?
    var push: (any PushControl)?
    var rtmpPull: (any RTMPPullControl)?
    var rtsp: (any RTSPControl)?
    var transcoders: (any TranscoderControl)?
    var vod: (any VODControl)?
    var calls: (any CallControl)?
    var media: (any MediaListing)?

    init(registry: Registry, logger: Logger) {
        self.registry = registry
        self.logger = logger
    }

    /// The control, or a 501 naming the capability that is not built yet.
    func require<C>(_ control: C?, _ capability: String) throws -> C {
        guard let control else { throw APIError.notImplemented(capability) }
        return control
    }
}
