import Core
import Logging
import Media
import Synchronization

/// What the call hears (`inject_sound`, `inject_stream`) and where its audio is pushed (`rtmpUrl`).
extension SIPCalls {
    /// Plays a sound file from the media folder into the call, replacing what it heard (a
    /// stream stops being injected); after the file, silence, or the file again when `loop`.
    /// - Throws: `ServiceError.notFound` for an unknown call or ("No such file") a missing file,
    ///   `.invalid` for a name outside the folder or a file without audio, `.unsupported`
    ///   before the call is established.
    public func injectSound(callId: String, fileName: String, loop: Bool) async throws {
        let feed = try establishedFeed(callId)
        guard !fileName.isEmpty else { throw ServiceError.invalid("fileName is empty", field: "fileName") }
        let folder = mediaFolder
        let rate = feed.sampleRate
        let sound = try await PipelineThread.run(name: "sip-sound") {
            try PCMSound(name: fileName, mediaDirectory: folder, sampleRate: rate)
        }
        feed.play(sound.samples, isLooping: loop)?.stop()
        stopVideoInjection(callId: callId)
        logger.info("sound injected", metadata: [LogKey.call: "\(callId)", "file": "\(fileName)", "loop": "\(loop)",
                                                 "samples": "\(sound.samples.count)"])
    }

    /// Plays the audio of hub stream `streamName` into the call, replacing what it heard, until
    /// the stream ends (then silence) or something else is injected.
    /// - Throws: `ServiceError.notFound` for an unknown call or stream, `.unsupported` before
    ///   the call is established.
    public func injectStream(callId: String, streamName: String) async throws {
        let feed = try establishedFeed(callId)
        guard hub.isPublished(streamName) else { throw ServiceError.notFound("Stream not found") }
        let (generation, replaced) = feed.beginLive()
        replaced?.stop()
        let tap: StreamPCMTap
        do {
            var log = logger
            log[metadataKey: LogKey.call] = "\(callId)"
            tap = try StreamPCMTap(hub: hub, streamName: streamName, sampleRate: feed.sampleRate, logger: log) {
                feed.appendLive($0, generation: generation)
            } onEnd: { _ in
                feed.endLive(generation: generation)
            }
        } catch {
            feed.endLive(generation: generation)
            throw ServiceError.notFound("Stream not found")
        }
        if !feed.attach(tap, generation: generation) { tap.stop() }
        injectVideo(callId: callId, streamName: streamName)
        logger.info("stream injected", metadata: [LogKey.call: "\(callId)", LogKey.stream: "\(streamName)"])
    }

    /// Stops what `injectSound` or `injectStream` plays: the call hears silence again.
    /// - Throws: `ServiceError.notFound` for an unknown call, `.unsupported` before it is established.
    public func stopInjection(callId: String) async throws {
        let feed = try establishedFeed(callId)
        feed.play([], isLooping: false)?.stop()
        stopVideoInjection(callId: callId)
        logger.info("injection stopped", metadata: [LogKey.call: "\(callId)"])
    }

    /// The audio feed of a live call.
    private func establishedFeed(_ callId: String) throws -> CallAudioFeed {
        guard let (phase, feed) = state.withLock({ s in s.sessions[callId].map { ($0.phase, $0.feed) } }),
              phase != .ended else { throw ServiceError.notFound("Call not found") }
        guard phase == .established else { throw ServiceError.unsupported("Call is not established") }
        return feed
    }

    /// Starts the transponder for a request's `rtmpUrl`: `toStream` pushed as
    /// `<rtmpUrl>/<rtmpStream or toStream>`. It waits (PENDING) until the call is answered.
    /// - Returns: its mediaSessionId, nil without an rtmpUrl.
    /// - Throws: `ServiceError.invalid` for a bad URL, `.conflict` when the same push exists,
    ///   `.notImplemented` when this service has no push control.
    func startTransponder(_ request: CallStartupRequest, toStream: String) async throws -> String? {
        guard let url = request.rtmpUrl, !url.isEmpty else { return nil }
        guard let push else { throw ServiceError.notImplemented("rtmpUrl for SIP calls") }
        let name = request.rtmpStream.flatMap { $0.isEmpty ? nil : $0 } ?? toStream
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        let transponder = try await push.startup(PushStartupRequest(streamName: toStream, rtmpUrl: "\(base)/\(name)",
                                                                    rtmpTransponderFullUrl: true))
        logger.info("call push started", metadata: [LogKey.call: "\(request.callId)", LogKey.stream: "\(toStream)",
                                                    "transponder": "\(transponder.mediaSessionId)"])
        return transponder.mediaSessionId
    }

    /// Stops a transponder made by `startTransponder`.
    func stopTransponder(_ id: String?) async {
        guard let id, let push else { return }
        // Already gone (e.g. /push/terminate) is fine: the goal is that it no longer runs.
        try? await push.terminate(mediaSessionId: id)
    }
}
