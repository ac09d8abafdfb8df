import Core
import Foundation
import Logging
import Synchronization

/// SIP calls for `/call/*` (WCS "SIP as RTMP"): REGISTER when asked, INVITE the callee,
/// bridge the call's audio into the hub as AAC on `toStream` (and push it to `rtmpUrl`),
/// play sounds and streams into the call, DTMF, hangup and timeouts. Incoming INVITEs are
/// declined, or with `SIPCallOptions.incoming` accepted and bridged the same way.
///
/// All sofia work happens on the agent's thread; agent events come back through
/// `handle(_:)`. Call state lives in one lock, and every change to a call also goes into its
/// `Call` object in the registry, which feeds the event stream.
public final class SIPCalls: CallControl {
    let hub: StreamHub
    let registry: Registry
    let mediaFolder: String
    let bindHost: String
    let options: SIPCallOptions
    let logger: Logger
    let ports: PortPool
    let agent: SofiaAgent
    /// Transponders for `rtmpUrl`; nil leaves `rtmpUrl` not implemented.
    let push: (any PushControl)?
    let state = Mutex(State())

    struct State {
        var sessions: [String: CallSession] = [:]
        var handleOwners: [Int: String] = [:]
        var nextHandle = 1
        /// Incoming INVITEs being accepted (ports opening, no session yet), by handle; true once
        /// the caller cancelled meanwhile.
        var acceptingIncoming: [Int: Bool] = [:]

        /// Whether a live call publishes to `name`.
        func callPublishes(_ name: String) -> Bool {
            sessions.values.contains { $0.phase != .ended && $0.toStream == name }
        }
    }

    /// Makes the service; nothing binds until `start()`.
    /// - Parameters:
    ///   - hub: where call audio is published.
    ///   - registry: where `Call` objects live.
    ///   - mediaFolder: `<data>/media/`, for inject_sound files.
    ///   - bindHost: IPv4 address for SIP and RTP; also put in the SDP.
    ///   - sipPort: SIP UDP port; 0 picks a free one.
    ///   - mediaPorts: the RTP/RTCP port range.
    ///   - logger: parent logger.
    ///   - options: timeouts (see `SIPCallOptions`).
    ///   - push: pushes `toStream` to a request's `rtmpUrl`; without it such requests are 501.
    public init(hub: StreamHub, registry: Registry, mediaFolder: String, bindHost: String, sipPort: Int,
                mediaPorts: ClosedRange<Int>, logger: Logger, options: SIPCallOptions = SIPCallOptions(),
                push: (any PushControl)? = nil) {
        self.hub = hub
        self.push = push
        self.registry = registry
        self.mediaFolder = mediaFolder
        self.bindHost = bindHost
        self.options = options
        var logger = logger
        logger[metadataKey: "subsystem"] = "sip"
        self.logger = logger
        self.ports = PortPool(range: mediaPorts)
        let relay = EventRelay()
        self.agent = SofiaAgent(bindHost: bindHost, port: sipPort, logger: logger) { relay.deliver($0) }
        relay.setTarget(self)
    }

    /// Starts the SIP agent.
    /// - Returns: the bound SIP port.
    /// - Throws: `SIPError.agentFailed` when it cannot bind.
    public func start() async throws -> Int {
        try await agent.start()
    }

    /// Ends every call (BYE or CANCEL), frees their ports and stops the agent.
    public func shutdown() async {
        let ids = state.withLock { Array($0.sessions.keys) }
        for id in ids { hangUp(id, status: .FINISH, info: "server shutdown") }
        await agent.stop()
        let leftovers = state.withLock { s -> [CallSession] in
            defer { s.sessions.removeAll(); s.handleOwners.removeAll() }
            return Array(s.sessions.values)
        }
        for session in leftovers { await release(session) }
    }

    /// Binds the next free pair of `--media-ports` with `open`. A pair some other program holds is
    /// skipped (and logged) rather than failing the call.
    /// - Throws: `ServiceError.failed` when no pair is left or none of several binds.
    func openPortPair<Session>(_ open: (Int) async throws -> Session) async throws -> (port: Int, session: Session) {
        var skipped: [Int] = []
        defer { skipped.forEach(ports.release) }
        var lastError: (any Error)?
        for _ in 0..<min(8, ports.capacity) {
            let port: Int
            do { port = try ports.reserve() } catch { break }
            do {
                return (port, try await open(port))
            } catch {
                logger.warning("RTP port pair taken by another program, skipped",
                               metadata: ["port": "\(port)", "error": "\(error)"])
                skipped.append(port)
                lastError = error
            }
        }
        if let lastError { throw ServiceError.failed("cannot bind an RTP port in --media-ports: \(lastError)") }
        throw ServiceError.failed("no free media ports")
    }

    /// RTP port pairs in use (for tests and metrics).
    public var mediaPortsInUse: Int { ports.inUse }

    // MARK: CallControl

    /// Starts a call and returns its `Call` at once; progress shows in the registry.
    /// - Throws: `ServiceError.invalid` for bad fields, `.conflict` for a callId, rtmpUrl or
    ///   stream already in use, `.failed` when no media ports are left.
    public func startup(_ request: CallStartupRequest) async throws -> Call {
        guard !request.callId.isEmpty else { throw ServiceError.invalid("callId is empty", field: "callId") }
        let target = try CallTarget(request, localHost: bindHost)
        var credentials: CallSession.Credentials?
        if let password = request.sipPassword, !password.isEmpty, let user = target.authenticationName {
            credentials = .init(user: user, password: password)
        }
        if request.sipRegisterRequired == true {
            guard target.registrar != nil else { throw ServiceError.invalid("sipDomain is required to register", field: "sipDomain") }
            guard target.addressOfRecord != nil else { throw ServiceError.invalid("sipLogin is required to register", field: "sipLogin") }
            guard credentials != nil else { throw ServiceError.invalid("sipPassword is required to register", field: "sipPassword") }
        }
        let toStream = request.toStream.flatMap { $0.isEmpty ? nil : $0 } ?? request.rtmpStream.flatMap { $0.isEmpty ? nil : $0 } ?? request.callId
        guard StreamName.isValid(toStream) else { throw ServiceError.invalid("bad stream name \(toStream)", field: "toStream") }
        try checkConflicts(request, toStream: toStream)

        let transponderID = try await startTransponder(request, toStream: toStream)
        let port: Int, rtp: RTPSession
        do {
            (port, rtp) = try await openPortPair { try await RTPSession.open(host: bindHost, port: $0, logger: logger) }
        } catch {
            await stopTransponder(transponderID)
            throw error
        }
        var sdp = SDPOffer(address: bindHost, rtpPort: port, sessionID: UInt64.random(in: 1...UInt64(UInt32.max)))
        let video = request.hasVideo == true ? await openVideoSession(callId: request.callId) : nil
        sdp.video = video.map { SDPVideoOffer(port: $0.port) }
        let offer = sdp.text

        var call = Call(callId: request.callId, callee: request.callee, status: .PENDING,
                        createDate: Int64(Date().timeIntervalSince1970 * 1000))
        call.caller = request.sipLogin
        call.visibleName = request.visibleName
        call.rtmpUrl = request.rtmpUrl
        call.rtmpStream = request.rtmpStream
        call.toStream = toStream
        call.hasAudio = true
        call.hasVideo = false
        call.appKey = request.appKey

        let inserted = state.withLock { s -> (invite: Int, register: Int?)? in
            guard s.sessions[request.callId] == nil else { return nil }
            let invite = s.nextHandle
            let register = request.sipRegisterRequired == true ? invite + 1 : nil
            s.nextHandle += 2
            var session = CallSession(callId: request.callId, target: target, inviteHandle: invite,
                                      registerHandle: register, credentials: credentials, offer: offer, sdp: sdp,
                                      rtp: rtp, toStream: toStream, rtmpUrl: request.rtmpUrl)
            session.transponderID = transponderID
            session.video = video
            session.phase = register == nil ? .inviting : .registering
            s.sessions[request.callId] = session
            s.handleOwners[invite] = request.callId
            if let register { s.handleOwners[register] = request.callId }
            return (invite, register)
        }
        guard let inserted else {
            await stopTransponder(transponderID)
            await releaseMedia(rtp, video: video, callId: request.callId)
            throw ServiceError.conflict("Call \(request.callId) already exists")
        }
        registry.upsert(call)
        logger.info("call started", metadata: [LogKey.call: "\(request.callId)", "callee": "\(target.calleeURI)",
                                               "port": "\(port)"])
        agent.makeHandle(id: inserted.invite, to: target.calleeURI, from: target.from)
        if let register = inserted.register, let aor = target.addressOfRecord {
            agent.makeHandle(id: register, to: aor, from: aor)
            agent.register(id: register, registrar: target.registrar, proxy: target.proxy)
        } else {
            sendInvite(request.callId)
        }
        startNoAnswerTimer(request.callId)
        return call
    }

    /// Hangs up: BYE when answered, CANCEL before.
    /// - Throws: `ServiceError.notFound` for an unknown or finished call.
    public func terminate(callId: String) async throws {
        guard state.withLock({ $0.sessions[callId]?.phase }).map({ $0 != .ended }) == true else {
            throw ServiceError.notFound("Call not found")
        }
        hangUp(callId, status: .FINISH, info: "terminated")
    }

    /// Sends DTMF: RFC 4733 events (`RFC2833`, the default) or SIP INFO with
    /// application/dtmf-relay (`INFO`, `INFO_RELAY`).
    /// - Throws: `ServiceError.notFound`, `.unsupported` before the call is established,
    ///   `.invalid` for bad digits or type.
    public func sendDTMF(callId: String, dtmf: String, type: String) async throws {
        guard let (phase, handle, rtp) = state.withLock({ s in
            s.sessions[callId].map { ($0.phase, $0.inviteHandle, $0.rtp) }
        }), phase != .ended else { throw ServiceError.notFound("Call not found") }
        guard phase == .established else { throw ServiceError.unsupported("Call is not established") }
        guard !dtmf.isEmpty, dtmf.allSatisfy({ DTMFEvent.code(for: $0) != nil }) else {
            throw ServiceError.invalid("dtmf must be digits, *, # or A-D", field: "dtmf")
        }
        switch type.uppercased() {
        case "", "RFC2833", "RFC4733":
            await rtp.sendDTMF(dtmf)
        case "INFO", "INFO_RELAY", "SIP_INFO":
            for digit in dtmf {
                agent.info(id: handle, contentType: "application/dtmf-relay", body: "Signal=\(digit)\r\nDuration=250\r\n")
            }
        default:
            throw ServiceError.invalid("type must be RFC2833, INFO or INFO_RELAY", field: "type")
        }
    }

    // MARK: helpers

    func isLive(_ callId: String) -> Bool {
        state.withLock { $0.sessions[callId].map { $0.phase != .ended } ?? false }
    }

    private func checkConflicts(_ request: CallStartupRequest, toStream: String) throws {
        let clash = state.withLock { s -> String? in
            for session in s.sessions.values where session.phase != .ended {
                if session.callId == request.callId { return "Call \(request.callId) already exists" }
                if let url = request.rtmpUrl, !url.isEmpty, session.rtmpUrl == url { return "rtmpUrl \(url) is in use" }
            }
            return nil
        } ?? streamClash(toStream)
        if let clash { throw ServiceError.conflict(clash) }
    }

    /// Why `name` cannot be a new call's stream (a live call or another publisher has it), nil
    /// when it can.
    func streamClash(_ name: String) -> String? {
        if state.withLock({ $0.callPublishes(name) }) { return "Stream \(name) is in use" }
        return hub.isPublished(name) ? "Stream \(name) is already published" : nil
    }
}

/// Forwards agent events to the service without a retain cycle (the agent is created in
/// the service's initializer, before `self` can be captured).
final class EventRelay: Sendable {
    private let target = Mutex<WeakCalls>(WeakCalls())

    struct WeakCalls: Sendable {
        weak var calls: SIPCalls?
    }

    func setTarget(_ calls: SIPCalls) { target.withLock { $0.calls = calls } }

    func deliver(_ event: AgentEvent) { target.withLock { $0.calls }?.handle(event) }
}
