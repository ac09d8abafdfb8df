import Foundation
import Synchronization

/// Runs one pipeline's blocking FFmpeg loop on a thread of its own, so neither a NIO event
/// loop nor Swift's cooperative pool ever waits on a codec, a file or a camera.
public final class PipelineThread: Sendable {
    private struct State {
        var isDone = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Starts `body` on a new thread named `name` (visible in `top -H` and debuggers).
    public init(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            body()
            let waiters = state.withLock { s in
                s.isDone = true
                defer { s.waiters = [] }
                return s.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// true once the body returned.
    public var isDone: Bool { state.withLock { $0.isDone } }

    /// Waits until the body returns.
    public func join() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                if s.isDone { return true }
                s.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Runs `work` on a new thread and returns its result: for short blocking jobs (a snapshot
    /// decode, probing a file) started from async code.
    public static func run<T: Sendable>(
        name: String, _ work: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            _ = PipelineThread(name: name) {
                do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
            }
        }
    }
}
