import Core
import Logging
import NIOCore
import Synchronization

/// Re-INVITEs from the far end (RFC 3264 §8): hold (`sendonly`, `inactive` or 0.0.0.0) makes
/// the call HOLD, a later `sendrecv` makes it ESTABLISHED again; a new address, port or codec
/// is followed, for video too (whose port 0 stops our video).
extension SIPCalls {
    /// Answers a re-INVITE with our SDP (next version, the matching direction, the codec the
    /// offer prefers among ours) and updates the call: RTP goes to the offer's address with
    /// that codec, and we stop sending audio while the far end does not want it.
    func reinvite(_ event: AgentEvent, session: CallSession) {
        let callId = session.callId
        guard session.phase == .established else {
            agent.respond(id: event.handleID, status: 491, phrase: "Request Pending", sdp: nil)
            return
        }
        var offer: SDPAnswer?
        var videoOffer: SDPVideoAnswer?
        // Our answer's video port: ours while video goes on, 0 when the offer took it away.
        var videoPort: Int?
        do {
            if let body = event.body, !body.isEmpty {
                let parsed = try SDPAnswer(parsing: body)
                // Video that never started (declined, or no ports) stays at port 0 whatever is offered.
                let video = session.video.flatMap { $0.isStarted ? $0 : nil }
                videoOffer = try video.flatMap { _ in try SDPVideoAnswer(parsing: body) }
                // Both addresses are checked before either session moves: a 488 leaves the call as it was.
                for address in [parsed.address, videoOffer?.address].compactMap(\.self) where address != "0.0.0.0" {
                    guard (try? SocketAddress(ipAddress: address, port: 0)) != nil else {
                        throw SIPError.badSDP("bad media address \(address)")
                    }
                }
                try session.rtp.follow(parsed)
                if let video { videoPort = try video.follow(videoOffer) ? video.port : 0 }
                offer = parsed
            }
        } catch {
            logger.warning("re-invite rejected", metadata: [LogKey.call: "\(callId)", LogKey.error: "\(error)"])
            agent.respond(id: event.handleID, status: 488, phrase: "Not Acceptable Here", sdp: nil)
            return
        }
        // Without an offer, ours (the current codec, sendrecv) goes in the 200 and the answer in the ACK.
        let isHold = offer?.isHold ?? false
        let sdp = state.withLock { s -> SDPOffer? in
            guard var current = s.sessions[callId] else { return nil }
            current.sdp.version += 1
            current.sdp.direction = (offer?.direction.answer ?? .sendrecv).rawValue
            if let offer { current.sdp.keep(offer) }
            if let videoPort { current.sdp.video?.port = videoPort }
            if let videoOffer, videoPort != 0 { current.sdp.video?.payloadType = videoOffer.payloadType }
            current.isOnHold = isHold
            s.sessions[callId] = current
            return current.sdp
        }
        guard let sdp else { return }
        session.rtp.setSendingAudio(offer?.wantsOurAudio ?? true)
        session.video?.setSending(offer?.wantsOurAudio ?? true)
        agent.respond(id: event.handleID, status: 200, phrase: "OK", sdp: sdp.text)
        let info = isHold ? "held by the far end" : session.isOnHold ? "resumed" : "media updated"
        registry.update(Call.self, id: callId) { call in
            call.status = isHold ? .HOLD : .ESTABLISHED
            call.info = info
        }
        let codec = sdp.codecs.first.map(\.description) ?? ""
        logger.info(isHold ? "call held" : "call re-invited",
                    metadata: [LogKey.call: "\(callId)", "info": "\(info)", "codec": "\(codec)"])
    }
}
