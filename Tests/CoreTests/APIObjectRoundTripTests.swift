import Core
import Foundation
import Testing

@Suite("API objects")
struct APIObjectRoundTripTests {
    static let t: Int64 = 1_795_000_000_000

    func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
    }

    @Test("every object survives a JSON round trip")
    func roundTrips() throws {
        var stream = Stream(name: "cam1", published: true, mediaProvider: "RTMP", createDate: Self.t)
        stream.custom = ["k": .array([.bool(true), .null, .number(1.5), .string("s")])]
        stream.videoCodec = "H264"
        #expect(try roundTrip(stream) == stream)
        var call = Call(callId: "c", callee: "100", createDate: Self.t)
        call.sipStatus = 486
        #expect(try roundTrip(call) == call)
        var tr = Transponder(mediaSessionId: "m", localStreamName: "a", streamName: "rtmp_a", rtmpUrl: "rtmp://h/l",
                             createDate: Self.t)
        tr.options = ["action": .string("sound_on"), "loop": .bool(true)]
        #expect(try roundTrip(tr) == tr)
        let rtsp = RtspAgent(uri: "rtsp://h/x", localStreamName: "x", createDate: Self.t)
        #expect(try roundTrip(rtsp) == rtsp)
        let rtmp = RtmpAgent(uri: "rtmp://h/l/x", localStreamName: "x", createDate: Self.t)
        #expect(try roundTrip(rtmp) == rtmp)
        let pull = PullAgent(uri: "ws://h", localStreamName: "a", remoteStreamName: "b", createDate: Self.t)
        #expect(try roundTrip(pull) == pull)
        var mixer = Mixer(uri: "mixer://m", localStreamName: "m", createDate: Self.t)
        mixer.mediaSessions = [Mixer.Input(localStreamName: "a", localMediaSessionId: "x")]
        #expect(try roundTrip(mixer) == mixer)
        let tc = Transcoder(uri: "transcoder://t", remoteStreamName: "a", localStreamName: "b",
                            encoder: EncoderSettings(width: 640, height: 0, keyFrameInterval: 30, fps: 30, bitrate: 800,
                                                     codec: "H264"), createDate: Self.t)
        #expect(try roundTrip(tc) == tc)
        let vod = VOD(uri: "vod-live://a.mp4", localStreamName: "a", loop: true, createDate: Self.t)
        #expect(try roundTrip(vod) == vod)
        let conn = Connection(sessionId: "/1.2.3.4:5/6.7.8.9:10", appKey: "live", mediaProvider: "RTMP",
                              createDate: Self.t)
        #expect(try roundTrip(conn) == conn)
        let test = MixerTest(feedingStreams: ["a", "b"], mixerCount: 2, streamsInMixer: 1, intervalInSeconds: 60)
        #expect(try roundTrip(test) == test)
        #expect(try roundTrip(APIError.conflict("x", field: "uri")) == APIError.conflict("x", field: "uri"))
    }

    @Test("objects carry the WCS field names")
    func wcsFieldNames() throws {
        let s = Stream(name: "n", published: false, mediaProvider: "RTMP", createDate: Self.t)
        let json = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(s)) as? [String: Any])
        for key in ["name", "mediaSessionId", "published", "hasAudio", "hasVideo", "status", "record", "width", "height",
                    "bitrate", "mediaProvider", "createDate", "mediaType", "audioState", "videoState", "custom"] {
            #expect(json[key] != nil, "\(key)")
        }
        #expect(json["mediaType"] as? String == "play")
        let t = Transponder(mediaSessionId: "m", localStreamName: "a", streamName: "rtmp_a", rtmpUrl: "u", createDate: 0)
        let tj = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(t)) as? [String: Any])
        for key in ["mediaSessionId", "streamName", "rtmpUrl", "width", "height", "muted", "soundEnabled", "options"] {
            #expect(tj[key] != nil, "\(key)")
        }
    }

    @Test("the registry announces created, updated and removed, and a snapshot has no gap")
    func registryEvents() async throws {
        let bus = EventBus()
        let registry = Registry(bus: bus)
        let ring = LogRing(capacity: 3, bus: bus)
        registry.upsert(Stream(name: "a", mediaSessionId: "1", published: true, mediaProvider: "RTMP", createDate: 0))
        let (objects, _, events) = registry.snapshotAndSubscribe(logs: ring)
        #expect(objects[.stream]?.count == 1)
        registry.update(Stream.self, id: "1") { $0.width = 640 }
        registry.upsert(Stream(name: "b", mediaSessionId: "2", published: true, mediaProvider: "RTMP", createDate: 0))
        registry.remove(Stream.self, id: "1")
        ring.append(LogRecord(time: "t", level: "info", label: "l", message: "m", metadata: [:]))
        var names: [String] = []
        for await event in events {
            names.append(event.name)
            if names.count == 4 { break }
        }
        #expect(names == ["updated", "created", "removed", "log"])
    }

    @Test("the log ring keeps only the newest records")
    func logRingCapacity() {
        let ring = LogRing(capacity: 3, bus: EventBus())
        for i in 0..<5 { ring.append(LogRecord(time: "\(i)", level: "info", label: "l", message: "m\(i)", metadata: [:])) }
        #expect(ring.recent().map(\.message) == ["m2", "m3", "m4"])
        #expect(ring.recent(limit: 1).map(\.message) == ["m4"])
    }

    @Test("by default the ring holds the last 10,000 records for the event stream")
    func logRingDefaultsToTenThousand() {
        let ring = LogRing(bus: EventBus())
        #expect(ring.capacity == 10_000)
        for i in 0...10_000 { ring.append(LogRecord(time: "\(i)", level: "info", label: "l", message: "m\(i)", metadata: [:])) }
        let kept = ring.recent()
        #expect(kept.count == 10_000)
        #expect(kept.first?.message == "m1")
        #expect(kept.last?.message == "m10000")
    }
}
