import Core
import Logging
import Media
import Synchronization

/// What the service does with agent events and timers.
extension SIPCalls {
    /// Handles one agent event (on the agent's thread: quick, no waiting).
    func handle(_ event: AgentEvent) {
        if event.kind == .incomingInvite { return incomingInvite(event) }
        if noteEventWhileAccepting(event) { return }
        guard let (callId, session) = state.withLock({ s -> (String, CallSession)? in
            guard let id = s.handleOwners[event.handleID], let session = s.sessions[id] else { return nil }
            return (id, session)
        }) else { return }
        logger.debug("sip event", metadata: [LogKey.call: "\(callId)", "event": "\(event.kind)",
                                             "status": "\(event.status)"])
        let isRegister = event.handleID == session.registerHandle
        switch event.kind {
        case .registerResponse where isRegister:
            registerResponse(event, session: session)
        case .inviteResponse:
            inviteResponse(event, session: session)
        case .reinvite:
            reinvite(event, session: session)
        case .remoteBye:
            finish(callId, status: .FINISH, sipStatus: nil, info: "remote hangup")
        case .state where event.callState == CallState.ready && session.isIncoming && !session.answersInACK:
            // The caller's ACK: the incoming call is up, media as its offer and our answer say.
            establish(callId, session: session, remoteSDP: session.remoteOffer ?? "", sipStatus: 200, info: "OK")
        case .ack where session.answersInACK && session.phase == .inviting:
            // The caller answered the offer of our 200 in its ACK (RFC 3264 §4, late offer).
            guard let answer = event.body, !answer.allSatisfy(\.isWhitespace) else {
                return hangUp(callId, status: .FAILED, info: "Unusable SDP answer: none in the ACK")
            }
            establish(callId, session: session, remoteSDP: answer, sipStatus: 200, info: "OK")
        case .state where event.callState == CallState.terminated:
            dialogOver(callId)
        case .terminated:
            dialogOver(callId)
        case .infoResponse where event.status >= 300:
            logger.warning("info rejected", metadata: [LogKey.call: "\(callId)", "status": "\(event.status)"])
        default:
            break
        }
    }

    /// Sends the INVITE of a call.
    func sendInvite(_ callId: String) {
        guard let session = state.withLock({ s -> CallSession? in
            s.sessions[callId]?.phase = .inviting
            return s.sessions[callId]
        }), let target = session.target else { return }
        agent.invite(id: session.inviteHandle, requestURI: target.calleeURI, sdp: session.offer, proxy: target.proxy)
    }

    private func registerResponse(_ event: AgentEvent, session: CallSession) {
        let callId = session.callId
        switch event.status {
        case 100..<200:
            return
        case 200..<300:
            logger.info("registered", metadata: [LogKey.call: "\(callId)"])
            registry.update(Call.self, id: callId) { $0.sipStatus = event.status; $0.info = "registered" }
            sendInvite(callId)
        case 401, 407:
            if let answer = challengeAnswer(event, session: session, attempts: \.registerChallenges),
               let handle = session.registerHandle {
                agent.authenticate(id: handle, credentials: answer)
            } else {
                hangUp(callId, status: .FAILED, info: "register failed: \(event.status) \(event.phrase)",
                       sipStatus: event.status)
            }
        default:
            // No dialog exists yet: hangUp releases both handles at once.
            hangUp(callId, status: .FAILED, info: "register failed: \(event.status) \(event.phrase)",
                   sipStatus: event.status)
        }
    }

    private func inviteResponse(_ event: AgentEvent, session: CallSession) {
        let callId = session.callId
        guard session.phase != .ended else { return }
        switch event.status {
        case 100:
            update(callId, status: .TRYING, sipStatus: 100, info: event.phrase)
        case 180, 181, 182:
            update(callId, status: .RING, sipStatus: event.status, info: event.phrase)
        case 183:
            update(callId, status: event.body == nil ? .RING : .RING_MEDIA, sipStatus: 183, info: event.phrase)
        case 101..<200:
            update(callId, status: .TRYING, sipStatus: event.status, info: event.phrase)
        case 200..<300:
            establish(callId, session: session, remoteSDP: event.body ?? "", sipStatus: event.status,
                      info: event.phrase)
        case 401, 407:
            if let answer = challengeAnswer(event, session: session, attempts: \.inviteChallenges) {
                agent.authenticate(id: session.inviteHandle, credentials: answer)
            } else {
                finish(callId, status: .FAILED, sipStatus: event.status, info: "\(event.status) \(event.phrase)")
            }
        case 486, 600:
            finish(callId, status: .BUSY, sipStatus: event.status, info: "\(event.status) \(event.phrase)")
        default:
            finish(callId, status: .FAILED, sipStatus: event.status, info: "\(event.status) \(event.phrase)")
        }
    }

    /// "Digest:realm:user:password" for a challenge, or nil when there is nothing to answer with
    /// or the request was already challenged once (a second 401 means wrong credentials).
    private func challengeAnswer(_ event: AgentEvent, session: CallSession,
                                 attempts: WritableKeyPath<CallSession, Int>) -> String? {
        guard let realm = event.realm, let credentials = session.credentials else { return nil }
        let allowed = state.withLock { s -> Bool in
            guard var current = s.sessions[session.callId], current[keyPath: attempts] < 1 else { return false }
            current[keyPath: attempts] += 1
            s.sessions[session.callId] = current
            return true
        }
        return allowed ? "Digest:\(realm):\(credentials.user):\(credentials.password)" : nil
    }

    /// Starts the media of an answered call: RTP to what `remoteSDP` (the far end's answer, or
    /// the offer of an incoming call) says, its audio (and video) published on `toStream`.
    private func establish(_ callId: String, session: CallSession, remoteSDP: String, sipStatus: Int, info: String) {
        // Answered (sofia ACKs by itself): from here on, ending the call takes a BYE.
        let isAnswered = state.withLock { s -> Bool in
            guard s.sessions[callId]?.phase == .inviting else { return false }
            s.sessions[callId]?.phase = .established
            return true
        }
        guard isAnswered else { return }
        let answer: SDPAnswer
        do {
            answer = try SDPAnswer(parsing: remoteSDP)
        } catch {
            hangUp(callId, status: .FAILED, info: Self.info(forUnusableAnswer: error), sipStatus: sipStatus)
            return
        }
        let publication: Publication
        do {
            publication = try hub.publish(name: session.toStream, mediaProvider: "SIP")
        } catch {
            hangUp(callId, status: .FAILED, info: "cannot publish \(session.toStream): \(error)", sipStatus: sipStatus)
            return
        }
        let aac: AACPublisher
        do {
            aac = try AACPublisher(publication: publication, sampleRate: answer.codec.sampleRate, logger: logger)
        } catch {
            publication.end(reason: "no AAC encoder")
            hangUp(callId, status: .FAILED, info: "no AAC encoder: \(error)", sipStatus: sipStatus)
            return
        }
        publication.setTerminationHandler { [weak self] reason in
            self?.hangUp(callId, status: .FINISH, info: "stream terminated: \(reason)")
        }
        let stored = state.withLock { s -> Bool in
            guard s.sessions[callId]?.phase == .established else { return false }
            s.sessions[callId]?.publication = publication
            s.sessions[callId]?.aac = aac
            s.sessions[callId]?.credentials = nil
            return true
        }
        guard stored else {
            aac.end()
            publication.end(reason: "call ended")
            return
        }
        do {
            try session.rtp.configure(answer: answer, feed: session.feed) { session.mediaClock.now(); aac.push($0) }
        } catch {
            hangUp(callId, status: .FAILED, info: "bad media address \(answer.address)", sipStatus: sipStatus)
            return
        }
        startVideo(callId, session: session, answer: remoteSDP, publication: publication)
        update(callId, status: .ESTABLISHED, sipStatus: sipStatus, info: info)
        state.withLock { s in
            s.sessions[callId]?.sdp.keep(answer)  // what a re-INVITE's answer keeps
        }
        logger.info("call established", metadata: [LogKey.call: "\(callId)", "codec": "\(answer.codec)",
                                                   LogKey.stream: "\(session.toStream)"])
        startSilenceWatch(callId, rtp: session.rtp)
    }

    /// The call's `info` when the answer cannot be used: WCS's "No common codecs", or the reason.
    static func info(forUnusableAnswer error: SIPError) -> String {
        switch error {
        case .badSDP("no common codec"): "No common codecs"
        case .badSDP(let reason): "Unusable SDP answer: \(reason)"
        default: "Unusable SDP answer: \(error)"
        }
    }

    /// Ends a call from our side: BYE when established, CANCEL while ringing.
    func hangUp(_ callId: String, status: Call.Status, info: String, sipStatus: Int? = nil) {
        guard let session = state.withLock({ $0.sessions[callId] }), session.phase != .ended else { return }
        switch session.phase {
        case .established: agent.bye(id: session.inviteHandle)
        // An incoming call in this phase has sent its 200: the dialog exists, so BYE (RFC 3261 §15).
        case .inviting where session.isIncoming: agent.bye(id: session.inviteHandle)
        case .inviting: agent.cancel(id: session.inviteHandle)
        case .registering, .ended: break
        }
        if session.phase == .registering {
            state.withLock { s in s.handleOwners = s.handleOwners.filter { $0.value != callId } }
            if let register = session.registerHandle { agent.release(id: register) }
            agent.release(id: session.inviteHandle)
        }
        finish(callId, status: status, sipStatus: sipStatus, info: info)
    }

    /// Marks a call over and frees its media; sofia handles go when the dialog is done.
    func finish(_ callId: String, status: Call.Status, sipStatus: Int?, info: String) {
        guard let session = state.withLock({ s -> CallSession? in
            guard var session = s.sessions[callId], session.phase != .ended else { return nil }
            session.phase = .ended
            session.credentials = nil
            s.sessions[callId] = session
            return session
        }) else { return }
        registry.update(Call.self, id: callId) { call in
            call.status = status
            if let sipStatus { call.sipStatus = sipStatus }
            call.info = info
        }
        let jitter = session.rtp.jitterCounts
        logger.info("call ended", metadata: [LogKey.call: "\(callId)", "status": "\(status.rawValue)", "info": "\(info)",
                                             "rtpReceived": "\(session.rtp.receivedPackets)", "rtpLost": "\(jitter.lost)",
                                             "rtpLate": "\(jitter.dropped)", "rtpSent": "\(session.rtp.sentAudioPackets)"])
        let retention = options.finishedRetention
        Task {
            await self.release(session)
            try? await Task.sleep(for: retention) // cancellation only shortens the retention
            self.registry.remove(Call.self, id: callId)
            // A dialog sofia never reported as terminated still loses its session here.
            self.dialogOver(callId)
        }
    }

    /// Frees a call's timers, injected audio, transponder, encoder, stream and RTP ports.
    func release(_ session: CallSession) async {
        for timer in session.timers { timer.cancel() }
        session.feed.stop()?.stop()
        await stopTransponder(session.transponderID)
        session.aac?.end()
        session.publication?.end(reason: "call ended")
        await releaseMedia(session.rtp, video: session.video, callId: session.callId)
    }

    /// The dialog is over in sofia: its handles go, and an ended session is forgotten.
    private func dialogOver(_ callId: String) {
        let handles = state.withLock { s -> [Int] in
            guard let session = s.sessions[callId] else { return [] }
            if session.phase != .ended { return [] }
            s.sessions[callId] = nil
            let owned = s.handleOwners.filter { $0.value == callId }.map(\.key)
            for handle in owned { s.handleOwners[handle] = nil }
            return owned
        }
        if handles.isEmpty, isLive(callId) {
            finish(callId, status: .FINISH, sipStatus: nil, info: "dialog terminated")
            return
        }
        for handle in handles { agent.release(id: handle) }
    }

    private func update(_ callId: String, status: Call.Status, sipStatus: Int, info: String) {
        registry.update(Call.self, id: callId) { call in
            call.status = status
            call.sipStatus = sipStatus
            call.info = info
        }
    }

    /// Cancels the call when it is not answered within `options.noAnswerTimeout`.
    func startNoAnswerTimer(_ callId: String) {
        let timeout = options.noAnswerTimeout
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout) // a cancelled timer falls through to the phase check
            guard !Task.isCancelled, let self else { return }
            let phase = self.state.withLock { $0.sessions[callId]?.phase }
            guard phase == .inviting || phase == .registering else { return }
            self.hangUp(callId, status: .FAILED, info: "no answer")
        }
        addTimer(timer, to: callId)
    }

    private func startSilenceWatch(_ callId: String, rtp: RTPSession) {
        let limit = options.rtpTimeout
        let since = ContinuousClock.now
        let timer = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500)) // cancellation ends the loop below
                guard let self, self.isLive(callId) else { return }
                if self.state.withLock({ $0.sessions[callId]?.isOnHold == true }) {
                    rtp.touch()
                    continue
                }
                let last = rtp.lastReceived ?? since
                if ContinuousClock.now - last > limit {
                    self.hangUp(callId, status: .FAILED, info: "no RTP for \(limit)")
                    return
                }
            }
        }
        addTimer(timer, to: callId)
    }

    private func addTimer(_ timer: Task<Void, Never>, to callId: String) {
        let kept = state.withLock { s -> Bool in
            guard s.sessions[callId] != nil else { return false }
            s.sessions[callId]?.timers.append(timer)
            return true
        }
        if !kept { timer.cancel() }
    }
}
