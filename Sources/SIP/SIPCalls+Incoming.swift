import Core
import Foundation
import Logging
import Synchronization

/// Calls from outside (issue #6): declined with 603 unless `--sip-incoming accept` (and, with
/// `--sip-incoming-users`, 404 for users not listed). An accepted INVITE gets 180 and 200 at once,
/// with our answer (or our offer, when the INVITE had no SDP: the ACK answers), becomes a `Call`
/// with `incoming: true`, and from the caller's ACK on lives as an outgoing call does (same
/// establish, hangup and finish).
extension SIPCalls {
    /// Answers an INVITE from outside (on the agent's thread, so the ports are bound in a task).
    func incomingInvite(_ event: AgentEvent) {
        let who: Logger.Metadata = ["caller": "\(event.caller ?? "")", "callee": "\(event.callee ?? "")"]
        guard options.incoming == .accept else {
            return refuse(event.handleID, status: 603, phrase: "Decline", reason: "--sip-incoming decline", who)
        }
        guard options.incomingUsers.isEmpty || options.incomingUsers.contains(event.callee ?? "") else {
            return refuse(event.handleID, status: 404, phrase: "Not Found", reason: "not in --sip-incoming-users", who)
        }
        // An INVITE without SDP (RFC 3261 §13.2.1) leaves the offer to our 200 and the answer to its ACK.
        var offer: SDPIncomingOffer?
        if let body = event.body, !body.allSatisfy(\.isWhitespace) {
            do {
                offer = try SDPIncomingOffer(parsing: body)
            } catch {
                return refuse(event.handleID, status: 488, phrase: "Not Acceptable Here", reason: "\(error)", who)
            }
        }
        // The ports open in a task: until it answers, a CANCEL must not find nobody home.
        state.withLock { $0.acceptingIncoming[event.handleID] = false }
        Task { await self.accept(event, offer: offer, who) }
    }

    /// Notes a CANCEL (or the end of the transaction) on an incoming INVITE still being accepted,
    /// so that `accept` lets it go instead of answering.
    /// - Returns: whether `event` is for such an INVITE (and so for nothing else).
    func noteEventWhileAccepting(_ event: AgentEvent) -> Bool {
        let isOver = switch event.kind {
        case .cancel, .terminated: true
        case .state: event.callState == CallState.terminated
        default: false
        }
        return state.withLock { s in
            guard s.acceptingIncoming[event.handleID] != nil else { return false }
            if isOver { s.acceptingIncoming[event.handleID] = true }
            return true
        }
    }

    /// Binds the call's media, registers it and answers. Nothing is kept when this fails or the
    /// caller cancelled meanwhile.
    private func accept(_ invite: AgentEvent, offer: SDPIncomingOffer?, _ who: Logger.Metadata) async {
        let handle = invite.handleID
        let callId = UUID().uuidString.lowercased()
        let port: Int, rtp: RTPSession
        do {
            (port, rtp) = try await openPortPair { try await RTPSession.open(host: bindHost, port: $0, logger: logger) }
        } catch {
            state.withLock { _ = $0.acceptingIncoming.removeValue(forKey: handle) }
            return refuse(handle, status: 503, phrase: "Service Unavailable", reason: "\(error)", who)
        }
        let video = offer?.h264 == nil ? nil : await openVideoSession(callId: callId)
        let sessionID = UInt64.random(in: 1...UInt64(UInt32.max))
        // Without an offer ours is an outgoing call's (audio only): every codec, for the ACK to choose.
        let sdp = offer?.answer(address: bindHost, rtpPort: port, videoPort: video?.port, sessionID: sessionID)
            ?? SDPOffer(address: bindHost, rtpPort: port, sessionID: sessionID)
        let dialedIsPublished = invite.callee.map(hub.isPublished) ?? false

        // One lock from the stream name to the session, so two calls to one user cannot both take it.
        let toStream = state.withLock { s -> String? in
            guard s.acceptingIncoming.removeValue(forKey: handle) == false else { return nil }
            let toStream = Self.streamName(dialed: invite.callee, callId: callId) {
                !dialedIsPublished && !s.callPublishes($0)
            }
            var session = CallSession(callId: callId, target: nil, inviteHandle: handle, offer: sdp.text,
                                      remoteOffer: invite.body ?? "", sdp: sdp, rtp: rtp, toStream: toStream)
            session.video = video
            session.phase = .inviting
            s.sessions[callId] = session
            s.handleOwners[handle] = callId
            return toStream
        }
        guard let toStream else {
            await releaseMedia(rtp, video: video, callId: callId)
            agent.release(id: handle)
            logger.info("incoming call cancelled by the caller before the answer", metadata: who)
            return
        }
        var call = Call(callId: callId, callee: invite.callee ?? "", incoming: true, status: .RING,
                        createDate: Int64(Date().timeIntervalSince1970 * 1000))
        call.caller = invite.caller
        call.sipStatus = 180
        call.toStream = toStream
        call.hasAudio = true
        call.hasVideo = false
        registry.upsert(call)
        logger.info("incoming call accepted", metadata: who.merging([LogKey.call: "\(callId)", "port": "\(port)",
                                                                     LogKey.stream: "\(toStream)"]) { $1 })
        agent.respond(id: handle, status: 180, phrase: "Ringing", sdp: nil)
        agent.respond(id: handle, status: 200, phrase: "OK", sdp: sdp.text)
        // No ACK in time (or a CANCEL that crossed our 200) ends the call like an unanswered one.
        startNoAnswerTimer(callId)
    }

    /// The stream an incoming call publishes to: the dialed user when it is a valid name that
    /// `isFree`, else the callId (always unique).
    static func streamName(dialed user: String?, callId: String, isFree: (String) -> Bool) -> String {
        guard let user, StreamName.isValid(user), isFree(user) else { return callId }
        return user
    }

    /// Answers an incoming INVITE with a final error and forgets its handle.
    private func refuse(_ handle: Int, status: Int, phrase: String, reason: String, _ who: Logger.Metadata) {
        agent.respond(id: handle, status: status, phrase: phrase, sdp: nil)
        agent.release(id: handle)
        logger.info("incoming call declined",
                    metadata: who.merging(["status": "\(status)", "reason": "\(reason)"]) { $1 })
    }
}
