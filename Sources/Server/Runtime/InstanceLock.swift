import Foundation

/// One server per data directory: an exclusive `flock` on `run/server.lock`, released by the
/// kernel when the process exits, so a crash never leaves a stale lock behind.
final class InstanceLock {
    private let fd: Int32

    /// Takes the lock, or throws naming the pid that holds it.
    init(path: String, runFile: String) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LockError(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            // The holder's server.json only improves the message; without it we still refuse.
            let holder = (try? Data(contentsOf: URL(fileURLWithPath: runFile)))
                .flatMap { try? JSONDecoder().decode(RunFile.Content.self, from: $0) }
            let who = holder.map { "pid \($0.pid), REST \($0.rest ?? "off")" } ?? "another process"
            throw LockError(description: "another switchboard-server (\(who)) already uses this data directory; stop it first (make stop) or pick another --data-dir")
        }
    }

    deinit { close(fd) }

    struct LockError: Error, CustomStringConvertible {
        let description: String
    }
}
