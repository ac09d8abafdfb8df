import CSofiaShim
import CSofiaSIP
import Foundation
import Synchronization
import Testing

/// What the sofia thread saw; only that thread writes it while it runs.
final class SofiaProbe: @unchecked Sendable {
    var shutdownStatus: Int32 = 0
    var created = false
    var destroyed = false
}

enum SofiaCallback {
    /// Records nua_r_shutdown; context comes through `magic`, as C callbacks cannot capture.
    static let callback: nua_callback_f = { event, status, _, _, magic, _, _, _, _ in
        guard event == nua_r_shutdown, let magic else { return }
        Unmanaged<SofiaProbe>.fromOpaque(magic).takeUnretainedValue().shutdownStatus = status
    }
}

@Suite("sofia-sip links and works")
struct SofiaTests {
    @Test("a nua is created and destroyed on its own su_root thread")
    func nuaLifecycle() async throws {
        let probe = SofiaProbe()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            defer { done.signal() }
            guard su_init() == 0 else { return }
            defer { su_deinit() }
            guard let root = su_root_create(nil) else { return }
            defer { su_root_destroy(root) }
            let magic = Unmanaged.passUnretained(probe).toOpaque()
            guard let nua = sofiashim_nua_create(root, SofiaCallback.callback, magic, "sip:127.0.0.1:*",
                                                 "switchboard-test") else { return }
            probe.created = true
            nua_shutdown(nua)
            for _ in 0..<200 where probe.shutdownStatus < 200 { su_root_step(root, 20) }
            if probe.shutdownStatus >= 200 {
                nua_destroy(nua)
                probe.destroyed = true
            }
        }
        thread.name = "sofia-root-test"
        thread.start()
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { done.wait(); c.resume() }
        }
        #expect(probe.created)
        #expect(probe.shutdownStatus == 200)
        #expect(probe.destroyed)
    }
}
