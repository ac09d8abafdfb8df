import Foundation

/// Test inputs made by the ffmpeg CLI in a fresh temporary folder, and ffprobe queries on outputs.
struct Fixtures {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "media-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// Removes the folder (tests call it at the end).
    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    /// A testsrc2 + 440 Hz sine file of `seconds`, encoded with `arguments` (codec options and format).
    func make(_ name: String, seconds: Double = 2, size: String = "320x240", rate: Int = 25,
              audio: Bool = true, arguments: [String]) throws -> String {
        let path = folder + "/" + name
        var command = ["-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                       "-f", "lavfi", "-i", "testsrc2=size=\(size):rate=\(rate)"]
        if audio { command += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"] }
        command += ["-t", String(seconds)] + arguments + [path]
        try Self.run("/usr/bin/ffmpeg", command)
        return path
    }

    /// ffprobe's value of `entry` ("stream=codec_name,width" or "format=duration") as lines.
    static func probe(_ path: String, _ entry: String, streams: String? = nil) throws -> [String] {
        var arguments = ["-v", "error", "-show_entries", entry, "-of", "default=noprint_wrappers=1:nokey=1"]
        if let streams { arguments += ["-select_streams", streams] }
        let output = try run("/usr/bin/ffprobe", arguments + [path])
        return output.split(separator: "\n").map(String.init)
    }

    /// Runs a tool and returns its stdout; throws when it exits non-zero.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ToolFailure(tool: tool, status: process.terminationStatus, stderr: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    struct ToolFailure: Error, CustomStringConvertible {
        let tool: String
        let status: Int32
        let stderr: String
        var description: String { "\(tool) exited \(status): \(stderr)" }
    }
}
