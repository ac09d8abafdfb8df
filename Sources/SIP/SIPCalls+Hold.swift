import Core
import Logging
import Synchronization

/// Re-INVITEs from the far end: hold (RFC 3264 §8.4: `sendonly`, `inactive` or 0.0.0.0) makes
/// the call HOLD, a later `sendrecv` makes it ESTABLISHED again.
extension SIPCalls {
    /// Answers a re-INVITE with our SDP (next version, the matching direction) and updates
    /// the call. We stop sending audio while the far end does not want it. A new address,
    /// port or codec in the offer is not taken up (the call keeps the first answer's).
    func reinvite(_ event: AgentEvent, session: CallSession) {
        let callId = session.callId
        guard session.phase == .established else {
            agent.respond(id: event.handleID, status: 491, phrase: "Request Pending", sdp: nil)
            return
        }
        var offer: SDPAnswer?
        if let body = event.body, !body.isEmpty {
            do {
                offer = try SDPAnswer(parsing: body)
            } catch {
                logger.warning("re-invite rejected", metadata: [LogKey.call: "\(callId)", LogKey.error: "\(error)"])
                agent.respond(id: event.handleID, status: 488, phrase: "Not Acceptable Here", sdp: nil)
                return
            }
        }
        // Without an offer, ours (all codecs, sendrecv) goes in the 200 and the answer in the ACK.
        let isHold = offer?.isHold ?? false
        let sdp = state.withLock { s -> SDPOffer? in
            guard var current = s.sessions[callId] else { return nil }
            current.sdp.version += 1
            current.sdp.direction = (offer?.direction.answer ?? .sendrecv).rawValue
            current.isOnHold = isHold
            s.sessions[callId] = current
            return current.sdp
        }
        guard let sdp else { return }
        session.rtp.setSendingAudio(offer?.wantsOurAudio ?? true)
        session.video?.setSending(offer?.wantsOurAudio ?? true)
        agent.respond(id: event.handleID, status: 200, phrase: "OK", sdp: sdp.text)
        registry.update(Call.self, id: callId) { call in
            call.status = isHold ? .HOLD : .ESTABLISHED
            call.info = isHold ? "held by the far end" : "resumed"
        }
        logger.info(isHold ? "call held" : "call resumed", metadata: [LogKey.call: "\(callId)"])
    }
}
