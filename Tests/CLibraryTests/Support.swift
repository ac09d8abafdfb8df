import Foundation

/// A temporary folder removed when the value goes away.
final class TempDir {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "sbtest-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }  // best effort cleanup
}

/// Runs a program and throws when it fails.
func run(_ program: String, _ arguments: [String]) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: program)
    p.arguments = arguments
    try p.run()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw RunError(status: p.terminationStatus) }
}

struct RunError: Error {
    let status: Int32
}
