@testable import Console
import Core

/// Objects and models the tests share.
enum Fixtures {
    static let now: Int64 = 1_800_000_000_000

    static func stream(_ name: String, id: String? = nil, published: Bool = true, bitrate: Int = 1000,
                       status: Core.Stream.Status = .PUBLISHING, record: Bool = false) -> Core.Stream {
        var s = Core.Stream(name: name, mediaSessionId: id ?? "id-\(name)-\(published)", published: published,
                            mediaProvider: "RTMP", status: status, hasAudio: true, hasVideo: true,
                            createDate: now - 65_000)
        s.bitrate = bitrate
        s.width = 1280
        s.height = 720
        s.videoCodec = "H264"
        s.audioCodec = "AAC"
        s.record = record
        return s
    }

    static func model(_ streams: [Core.Stream]) -> LiveModel {
        var m = LiveModel()
        m.apply(.snapshot(server: ServerInfo(version: "1.2.3", pid: 42, startTime: now - 3_600_000),
                          objects: streams.map { LiveObject($0) }, logs: []))
        m.setConnection(.attached)
        return m
    }
}
