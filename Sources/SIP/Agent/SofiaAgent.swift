import CSofiaShim
import Core
import CSofiaSIP
import Foundation
import Logging
import Synchronization

/// A sofia-sip user agent (`nua`) on its own thread (SWIFT-C.md §5.5).
///
/// The root thread owns every sofia object. Other threads hand it work with `post`
/// (an `su_msg`, so callers never wait), and events come back through `onEvent`, called on
/// the root thread with plain Swift values. `stop()` runs nua_shutdown, waits for
/// nua_r_shutdown, then destroys the nua and the root, as sofia requires.
///
/// Invariant for `@unchecked Sendable`: `nua`, `handles`, `isShuttingDown`, `lastIncomingID` are
/// touched only on the root thread; `root` is read by other threads only under `postLock`, and
/// set to nil under it before the root is destroyed.
final class SofiaAgent: @unchecked Sendable {
    /// Called on the root thread for every event; must return quickly.
    typealias EventHandler = @Sendable (AgentEvent) -> Void

    private let bindHost: String
    private let requestedPort: Int
    private let logger: Logger
    private let onEvent: EventHandler
    private let postLock = Mutex<RootPointer?>(nil)
    private let stopped = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let isStopped = Mutex(false)
    private var nua: OpaquePointer?
    private var handles: [Int: OpaquePointer] = [:]
    private var isShuttingDown = false
    private var lastIncomingID = 0
    private var thread: Thread?

    /// - Parameters:
    ///   - bindHost: IPv4 address the SIP UDP transport binds to.
    ///   - port: SIP port; 0 picks a free one.
    ///   - logger: parent logger.
    ///   - onEvent: receives every event on the root thread.
    init(bindHost: String, port: Int, logger: Logger, onEvent: @escaping EventHandler) {
        self.bindHost = bindHost
        self.requestedPort = port
        self.logger = logger
        self.onEvent = onEvent
    }

    /// Starts the root thread and the nua.
    /// - Returns: the bound SIP port.
    /// - Throws: `SIPError.agentFailed` when sofia cannot start or bind.
    func start() async throws(SIPError) -> Int {
        let port = requestedPort != 0 ? requestedPort : Int(sofiashim_free_udp_port(bindHost))
        guard port > 0 else { throw .agentFailed("no free SIP port on \(bindHost)") }
        let url = "sip:\(bindHost):\(port)"
        let started: Bool = await withCheckedContinuation { (ready: CheckedContinuation<Bool, Never>) in
            let thread = Thread { [self] in self.run(url: url, ready: ready) }
            thread.name = "sofia-root"
            self.thread = thread
            thread.start()
        }
        guard started else { throw .agentFailed("nua could not bind \(url)") }
        logger.info("sip agent started", metadata: [LogKey.address: "\(url)"])
        return port
    }

    /// Shuts the nua down (waiting for nua_r_shutdown) and ends the root thread. Safe to call twice.
    func stop() async {
        let first = isStopped.withLock { stopped -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            stopped.withLock { $0 = done }
            let posted = post { [self] in
                self.isShuttingDown = true
                if let nua = self.nua { nua_shutdown(nua) } else { self.breakRoot() }
            }
            if !posted { stopped.withLock { $0 }?.resume() }
        }
        logger.info("sip agent stopped")
    }

    /// Runs `body` on the root thread; false when the agent is not running.
    @discardableResult
    func post(_ body: @escaping @Sendable () -> Void) -> Bool {
        let job = Unmanaged.passRetained(Job(body)).toOpaque()
        let rc: Int32 = postLock.withLock { root in
            guard let root else { return -1 }
            return sofiashim_post(root.pointer, { arg in
                guard let arg else { return }
                Unmanaged<Job>.fromOpaque(arg).takeRetainedValue().body()
            }, job)
        }
        if rc != 0 { Unmanaged<Job>.fromOpaque(job).release() }
        return rc == 0
    }

    // MARK: commands (each runs on the root thread)

    /// Creates handle `id` addressed to `to`, from `from`.
    func makeHandle(id: Int, to: String, from: String?) {
        post { [self] in
            guard let nua = self.nua, !self.isShuttingDown else { return }
            let magic = UnsafeMutableRawPointer(bitPattern: id)
            let handle = to.withCString { to in
                from.withOptionalCString { from in sofiashim_handle(nua, magic, to, from) }
            }
            if let handle { self.handles[id] = handle }
        }
    }

    /// REGISTER on handle `id`.
    func register(id: Int, registrar: String?, proxy: String?) {
        withHandle(id) { handle in
            registrar.withOptionalCString { registrar in
                proxy.withOptionalCString { proxy in sofiashim_register(handle, registrar, proxy) }
            }
        }
    }

    /// INVITE on handle `id` with an SDP offer.
    func invite(id: Int, requestURI: String?, sdp: String, proxy: String?) {
        withHandle(id) { handle in
            requestURI.withOptionalCString { uri in
                sdp.withCString { sdp in
                    proxy.withOptionalCString { proxy in sofiashim_invite(handle, uri, sdp, proxy) }
                }
            }
        }
    }

    /// Answers the last digest challenge on handle `id` ("Digest:realm:user:password").
    func authenticate(id: Int, credentials: String) {
        withHandle(id) { handle in credentials.withCString { sofiashim_authenticate(handle, $0) } }
    }

    /// BYE on handle `id`.
    func bye(id: Int) { withHandle(id) { sofiashim_bye($0) } }

    /// CANCEL on handle `id`.
    func cancel(id: Int) { withHandle(id) { sofiashim_cancel($0) } }

    /// INFO with a body on handle `id`.
    func info(id: Int, contentType: String, body: String) {
        withHandle(id) { handle in
            contentType.withCString { type in body.withCString { sofiashim_info(handle, type, $0) } }
        }
    }

    /// Answers the pending request (a re-INVITE) on handle `id`, with an SDP body when given.
    func respond(id: Int, status: Int, phrase: String, sdp: String?) {
        withHandle(id) { handle in
            phrase.withCString { phrase in
                if let sdp {
                    sdp.withCString { sofiashim_respond_sdp(handle, Int32(status), phrase, $0) }
                } else {
                    sofiashim_respond(handle, Int32(status), phrase)
                }
            }
        }
    }

    /// Destroys handle `id`.
    func release(id: Int) {
        post { [self] in
            guard let handle = self.handles.removeValue(forKey: id) else { return }
            nua_handle_destroy(handle)
        }
    }

    // MARK: root thread

    private func withHandle(_ id: Int, _ body: @escaping @Sendable (OpaquePointer) -> Void) {
        post { [self] in
            guard !self.isShuttingDown, let handle = self.handles[id] else { return }
            body(handle)
        }
    }

    private func run(url: String, ready: CheckedContinuation<Bool, Never>) {
        guard su_init() == 0 else { return ready.resume(returning: false) }
        defer { su_deinit() }
        guard let root = su_root_create(nil) else { return ready.resume(returning: false) }
        let magic = Unmanaged.passUnretained(self).toOpaque()
        nua = sofiashim_nua_create_ua(root, SofiaCallback.callback, magic, url, "switchboard")
        guard let nua else {
            su_root_destroy(root)
            return ready.resume(returning: false)
        }
        postLock.withLock { $0 = RootPointer(pointer: root) }
        ready.resume(returning: true)
        su_root_run(root)
        postLock.withLock { $0 = nil }
        // Run jobs already queued, so their boxes are released (nothing new can arrive).
        _ = su_root_step(root, 0)
        handles.removeAll()
        nua_destroy(nua)
        self.nua = nil
        su_root_destroy(root)
        stopped.withLock { $0 }?.resume()
    }

    private func breakRoot() {
        postLock.withLock { root in if let root { su_root_break(root.pointer) } }
    }

    /// Called by the C callback on the root thread.
    fileprivate func handle(event: nua_event_t, status: Int32, phrase: UnsafePointer<CChar>?,
                            nh: OpaquePointer?, hmagic: UnsafeMutableRawPointer?,
                            sip: UnsafePointer<sip_t>?, tags: UnsafeMutablePointer<tagi_t>?) {
        var id = Int(bitPattern: hmagic)
        switch event {
        case nua_r_shutdown:
            if status >= 200 { breakRoot() }
            return
        case nua_i_invite where id == 0:
            guard let nh else { return }
            if isShuttingDown {
                sofiashim_respond(nh, 503, "Service Unavailable")
                nua_handle_destroy(nh)
                return
            }
            // The service decides (decline or accept); it answers and releases by this id.
            id = adopt(nh)
        default:
            break
        }
        guard id != 0 else { return }
        let kind: AgentEvent.Kind
        switch event {
        case nua_i_invite where hmagic == nil: kind = .incomingInvite
        case nua_r_register: kind = .registerResponse
        case nua_r_invite: kind = .inviteResponse
        case nua_r_bye: kind = .byeResponse
        case nua_r_cancel: kind = .cancelResponse
        case nua_r_info: kind = .infoResponse
        case nua_i_invite: kind = .reinvite
        case nua_i_bye: kind = .remoteBye
        case nua_i_ack: kind = .ack
        case nua_i_cancel: kind = .cancel
        case nua_i_state: kind = .state
        case nua_i_terminated: kind = .terminated
        default: kind = .other(nua_event_name(event).map { String(cString: $0) } ?? "event \(event.rawValue)")
        }
        var body: String?
        if let payload = sip?.pointee.sip_payload?.pointee, let data = payload.pl_data, payload.pl_len > 0 {
            let bytes = UnsafeRawBufferPointer(start: data, count: Int(payload.pl_len))
            body = String(decoding: bytes, as: UTF8.self)
        }
        var realm: String?
        if status == 401 || status == 407 {
            var buffer = [CChar](repeating: 0, count: 256)
            if sofiashim_challenge_realm(sip, &buffer, buffer.count) == 0 {
                realm = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        let state = event == nua_i_state ? Int(sofiashim_callstate(tags)) : nil
        var event = AgentEvent(kind: kind, handleID: id, status: Int(status),
                               phrase: phrase.map { String(cString: $0) } ?? "", body: body,
                               callState: state, realm: realm)
        if kind == .incomingInvite, let sip = sip?.pointee {
            event.caller = sip.sip_from?.pointee.a_url.url_user.map { String(cString: $0) }
            event.callee = sip.sip_request?.pointee.rq_url.url_user.map { String(cString: $0) }
        }
        onEvent(event)
    }

    /// Binds a handle the stack made for an incoming INVITE to a new id. Those ids count down
    /// from -1, so they never meet the ids the service gives its own handles.
    private func adopt(_ nh: OpaquePointer) -> Int {
        lastIncomingID -= 1
        nua_handle_bind(nh, UnsafeMutableRawPointer(bitPattern: lastIncomingID))
        handles[lastIncomingID] = nh
        return lastIncomingID
    }
}

/// The su_root, shared with posting threads. su_msg_send is thread-safe (sofia's su_port
/// locks its queue), and the pointer is withdrawn under the lock before the root is destroyed.
private struct RootPointer: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// A closure boxed for its trip through C.
private final class Job {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// The nua callback; C callbacks cannot capture, so the agent travels in `magic`.
private enum SofiaCallback {
    static let callback: nua_callback_f = { event, status, phrase, _, magic, nh, hmagic, sip, tags in
        guard let magic else { return }
        Unmanaged<SofiaAgent>.fromOpaque(magic).takeUnretainedValue()
            .handle(event: event, status: status, phrase: phrase, nh: nh, hmagic: hmagic, sip: sip, tags: tags)
    }
}

extension Optional where Wrapped == String {
    /// Calls `body` with a C string, or with nil when the value is nil.
    func withOptionalCString<R>(_ body: (UnsafePointer<CChar>?) -> R) -> R {
        switch self {
        case .some(let string): string.withCString { body($0) }
        case .none: body(nil)
        }
    }
}
