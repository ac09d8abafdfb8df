import Core
import Foundation
import Logging
import Testing
@testable import Media

/// SIGKILL during a recording: a child process (this test binary, in child mode) records a
/// looping VOD stream; the parent kills it with SIGKILL and checks what the file holds.
@Suite struct CrashSafetyTests {
    static let childVariable = "SWITCHBOARD_CRASH_CHILD_DIR"

    @Test("a recording killed with SIGKILL plays up to about a second before the kill")
    func survivesSIGKILL() async throws {
        guard ProcessInfo.processInfo.environment[Self.childVariable] == nil else { return }
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        child.arguments = ["--testing-library", "swift-testing", "--filter", "CrashSafetyTests/recordForever"]
        child.environment = ProcessInfo.processInfo.environment.merging([Self.childVariable: fixtures.folder]) { $1 }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        // Wait for the child to report that recording started, then let it record for 5 s.
        let marker = fixtures.folder + "/started"
        for _ in 0..<150 where !FileManager.default.fileExists(atPath: marker) {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(FileManager.default.fileExists(atPath: marker))
        try await Task.sleep(for: .seconds(5))
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)

        let name = try String(contentsOfFile: marker, encoding: .utf8)
        let path = fixtures.folder + "/records/" + name
        let frames = try Fixtures.run("/usr/bin/ffprobe", [
            "-v", "error", "-count_frames", "-select_streams", "v", "-show_entries", "stream=nb_read_frames",
            "-of", "csv=p=0", path,
        ]).trimmingCharacters(in: .whitespacesAndNewlines)
        // 25 fps for 5 s; everything older than about a second before the kill must play.
        #expect((Int(frames) ?? 0) >= 25 * 4 - 10, "\(frames) frames")
    }

    /// Child mode: records a looping VOD until killed (does nothing in a normal run).
    @Test("child: record until killed")
    func recordForever() async throws {
        guard let folder = ProcessInfo.processInfo.environment[Self.childVariable] else { return }
        let fixtures = Fixtures(folder: folder)
        let registry = Registry(bus: EventBus())
        let logger = Logger(label: "child")
        let hub = StreamHub(registry: registry, logger: logger)
        try FileManager.default.createDirectory(atPath: folder + "/media", withIntermediateDirectories: true)
        // A GOP of 250 frames (10 s): only the 1 s fragment limit keeps the file current.
        let clip = try fixtures.make("clip.mp4", seconds: 4, arguments: ["-c:v", "libx264", "-g", "250", "-c:a", "aac"])
        try FileManager.default.moveItem(atPath: clip, toPath: folder + "/media/clip.mp4")
        let vod = VODService(hub: hub, registry: registry, mediaDirectory: folder + "/media", logger: logger)
        _ = try await vod.startup(VODStartupRequest(uri: "vod-live://clip.mp4", localStreamName: "crash", loop: true))
        let recording = RecordingService(hub: hub, registry: registry, recordsDirectory: folder + "/records",
                                         logger: logger)
        let stream = try #require(registry.all(Core.Stream.self).first { $0.name == "crash" })
        let name = try await recording.startRecording(mediaSessionId: stream.mediaSessionId, fileTemplate: nil)
        try name.write(toFile: folder + "/started", atomically: true, encoding: .utf8)
        try await Task.sleep(for: .seconds(60))
    }
}
