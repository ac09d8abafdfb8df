import Core
import Logging
import Synchronization

/// A call's video (issue #6): offered when the request has `hasVideo`, received into
/// `toStream` next to the audio when the far end accepts it.
extension SIPCalls {
    /// Binds a video port pair for a call.
    /// - Returns: nil when no pair can be bound (the call then goes on with audio only rather
    ///   than failing).
    func openVideoSession(callId: String) async -> VideoRTPSession? {
        do {
            let opened = try await openPortPair {
                try await VideoRTPSession.open(host: bindHost, port: $0, logger: logger)
            }
            return opened.session
        } catch {
            logger.warning("no video ports, audio only", metadata: [LogKey.call: "\(callId)", LogKey.error: "\(error)"])
            return nil
        }
    }

    /// Starts receiving video into `publication` when the answer accepted it; otherwise the
    /// call goes on with audio only and later answers keep the declined m= line.
    func startVideo(_ callId: String, session: CallSession, answer text: String, publication: Publication) {
        guard let video = session.video else { return }
        var reason = "declined"
        do {
            if let answer = try SDPVideoAnswer(parsing: text) {
                try video.start(answer: answer, publication: publication, clock: session.mediaClock)
                registry.update(Call.self, id: callId) { $0.hasVideo = true }
                logger.info("video started", metadata: [LogKey.call: "\(callId)",
                                                        "payloadType": "\(answer.payloadType)",
                                                        "keyframeRequest": "\(answer.keyframeRequest)",
                                                        "nack": "\(answer.acceptsNack)"])
                return
            }
        } catch {
            reason = "\(error)"
        }
        state.withLock { $0.sessions[callId]?.sdp.video?.port = 0 }
        logger.info("video not taken", metadata: [LogKey.call: "\(callId)", "reason": "\(reason)"])
    }

    /// Closes a call's audio (and video) sockets and gives their ports back.
    func releaseMedia(_ rtp: RTPSession, video: VideoRTPSession?, callId: String) async {
        await rtp.close()
        ports.release(rtp.port)
        await releaseVideo(video, callId: callId)
    }

    /// Closes a call's video sockets, logs what they received and frees their ports.
    func releaseVideo(_ video: VideoRTPSession?, callId: String) async {
        guard let video else { return }
        let counts = video.counts
        if counts.packets > 0 || counts.sentPackets > 0 {
            logger.info("video ended", metadata: [LogKey.call: "\(callId)", "packets": "\(counts.packets)",
                                                  "pictures": "\(counts.pictures)", "dropped": "\(counts.dropped)",
                                                  "skipped": "\(counts.skipped)",
                                                  "keyframeRequests": "\(counts.keyframeRequests)",
                                                  "nacksSent": "\(counts.nacksSent)", "sent": "\(counts.sentPackets)",
                                                  "nacksReceived": "\(counts.nacksReceived)",
                                                  "retransmitted": "\(counts.retransmitted)"])
        }
        await video.close()
        ports.release(video.port)
    }
}

extension SIPCalls {
    /// Sends the H.264 video of hub stream `streamName` into the call (with `inject_stream`),
    /// replacing what it sent before. A call without video, or a stream without H.264, sends none.
    func injectVideo(callId: String, streamName: String) {
        guard let video = state.withLock({ $0.sessions[callId]?.video }), video.isStarted else { return }
        let subscription: Subscription
        do {
            subscription = try hub.subscribe(name: streamName)
        } catch {
            logger.warning("video injection failed", metadata: [LogKey.call: "\(callId)", LogKey.error: "\(error)"])
            return
        }
        video.replaceInjector(VideoInjector(subscription: subscription) { [weak video] payloads, timestamp in
            video?.send(payloads, timestamp: timestamp)
        })
        logger.info("video injected", metadata: [LogKey.call: "\(callId)", LogKey.stream: "\(streamName)"])
    }

    /// Stops sending video into the call (another injection replaced the stream, or it stopped).
    func stopVideoInjection(callId: String) {
        state.withLock { $0.sessions[callId]?.video }?.replaceInjector(nil)
    }
}
