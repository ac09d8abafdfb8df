import Core
import Foundation
import Testing

@testable import Server

@Suite("the JSON log file")
struct JSONLogFileTests {
    @Test("rotates by size and keeps the configured number of old files")
    func rotates() throws {
        let dir = NSTemporaryDirectory() + "sblog-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }  // best effort cleanup
        let file = JSONLogFile(path: dir + "/server.log", maxBytes: 4096, keep: 2)
        for i in 0..<200 {
            file.append(LogRecord(time: "t", level: "info", label: "x", message: "line \(i) " + String(repeating: "x", count: 40),
                                  metadata: ["i": "\(i)"]))
        }
        file.close()
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(names == ["server.log", "server.log.1", "server.log.2"])
        for name in names {
            let text = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
            #expect(text.utf8.count <= 4096)
            for line in text.split(separator: "\n") {
                _ = try JSONDecoder().decode(LogRecord.self, from: Data(line.utf8))
            }
        }
        let newest = try String(contentsOfFile: dir + "/server.log", encoding: .utf8)
        #expect(newest.contains("line 199"))
    }
}
