import Core
import Foundation
import Testing

@testable import Server

/// Strictly checks an encoded value against a response schema: every key known, every required
/// key present, every type right.
func conformanceProblems(_ value: JSONValue, _ schema: Schema, path: String = "$") -> [String] {
    switch schema {
    case .ref(let name):
        guard let s = Components.all[name] else { return ["\(path): unknown component \(name)"] }
        return conformanceProblems(value, s, path: path)
    case .nullable(let inner):
        return value == .null ? [] : conformanceProblems(value, inner, path: path)
    case .string: if case .string = value { return [] }
    case .boolean: if case .bool = value { return [] }
    case .number: if case .number = value { return [] }
    case .integer: if case .number(let n) = value, n.rounded() == n { return [] }
    case .freeObject: if case .object = value { return [] }
    case .array(let e):
        if case .array(let items) = value {
            return items.enumerated().flatMap { conformanceProblems($1, e, path: "\(path)[\($0)]") }
        }
    case .object(let props):
        guard case .object(let fields) = value else { break }
        var problems: [String] = []
        let known = Set(props.map(\.name))
        for key in fields.keys where !known.contains(key) { problems.append("\(path).\(key): not in the schema") }
        for p in props {
            if let v = fields[p.name] {
                problems += conformanceProblems(v, p.schema, path: "\(path).\(p.name)")
            } else if p.isRequired {
                problems.append("\(path).\(p.name): required but missing")
            }
        }
        return problems
    }
    return ["\(path): \(value.typeName) does not match \(schema)"]
}

func encoded(_ value: some Encodable) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
}

@Suite("the OpenAPI components match the Core types")
struct ComponentsTests {
    static let now: Int64 = 1_795_000_000_000

    @Test("every API object encodes to exactly its documented schema, with optional fields set and unset")
    func objectsMatchTheirSchemas() throws {
        var stream = Stream(name: "cam1", published: true, mediaProvider: "RTMP", createDate: Self.now)
        var call = Call(callId: "c1", callee: "100", createDate: Self.now)
        var transponder = Transponder(mediaSessionId: "t1", localStreamName: "cam1", streamName: "rtmp_cam1",
                                      rtmpUrl: "rtmp://h/live", createDate: Self.now)
        var rtsp = RtspAgent(uri: "rtsp://h/x", localStreamName: "x", createDate: Self.now)
        var rtmp = RtmpAgent(uri: "rtmp://h/live/x", localStreamName: "x", createDate: Self.now)
        var pull = PullAgent(uri: "ws://h", localStreamName: "a", remoteStreamName: "b", createDate: Self.now)
        var mixer = Mixer(uri: "mixer://m", localStreamName: "m", createDate: Self.now)
        var transcoder = Transcoder(uri: "transcoder://t", remoteStreamName: "a", localStreamName: "b",
                                    encoder: EncoderSettings(width: 640), createDate: Self.now)
        var vod = VOD(uri: "vod-live://a.mp4", localStreamName: "a", loop: true, createDate: Self.now)
        var connection = Connection(sessionId: "/1.2.3.4:5/6.7.8.9:10", appKey: "defaultApp",
                                    mediaProvider: "RTMP", createDate: Self.now)
        let bare: [(any Encodable, String)] = [
            (stream, "Stream"), (call, "Call"), (transponder, "Transponder"), (rtsp, "RtspAgent"), (rtmp, "RtmpAgent"),
            (pull, "PullAgent"), (mixer, "Mixer"), (transcoder, "Transcoder"), (vod, "VOD"), (connection, "Connection"),
        ]
        stream.info = "x"; stream.recordName = "r.mp4"; stream.audioCodec = "AAC"; stream.videoCodec = "H264"
        stream.sessionId = "s"; stream.appKey = "k"; stream.nodeId = "n"; stream.rtmpUrl = "u"; stream.transport = "TCP"
        stream.custom = ["a": .number(1)]
        call.sipStatus = 180; call.info = "i"; call.caller = "c"; call.visibleName = "v"; call.rtmpUrl = "u"
        call.rtmpStream = "s"; call.toStream = "t"; call.appKey = "k"; call.sessionId = "s"; call.nodeId = "n"
        transponder.info = "i"; transponder.options = ["action": "mute"]
        rtsp.localMediaSessionId = "m"; rtsp.info = "i"
        rtmp.localMediaSessionId = "m"; rtmp.info = "i"
        pull.localMediaSessionId = "m"; pull.remoteMediaSessionId = "r"; pull.info = "i"
        mixer.localMediaSessionId = "m"; mixer.info = "i"; mixer.mediaSessions = [Mixer.Input(localStreamName: "a")]
        transcoder.localMediaSessionId = "m"; transcoder.info = "i"
        transcoder.encoder = EncoderSettings(width: 1, height: 2, keyFrameInterval: 3, fps: 4, bitrate: 5, codec: "H264",
                                             audioCodec: "AAC")
        vod.localMediaSessionId = "m"; vod.info = "i"
        connection.clientVersion = "2.0"; connection.clientOSVersion = "x"; connection.clientBrowserVersion = "y"
        let full: [(any Encodable, String)] = [
            (stream, "Stream"), (call, "Call"), (transponder, "Transponder"), (rtsp, "RtspAgent"), (rtmp, "RtmpAgent"),
            (pull, "PullAgent"), (mixer, "Mixer"), (transcoder, "Transcoder"), (vod, "VOD"), (connection, "Connection"),
            (MixerTest(feedingStreams: ["a"], mixerCount: 1, streamsInMixer: 1, intervalInSeconds: 1), "MixerTest"),
            (APIError.notFound("x", field: "f"), "Error"), (APIError.notFound("x"), "Error"),
            (MediaFile(fileName: "a/b.wav", size: 44, modified: Self.now), "MediaFile"),
        ]
        for (value, name) in bare + full {
            let problems = conformanceProblems(try encoded(value), .ref(name))
            #expect(problems.isEmpty, "\(name): \(problems)")
        }
    }

    @Test("a field added to a type but not to its schema is caught")
    func detectsDrift() throws {
        struct Extra: Encodable { let name = "x"; let surprise = 1 }
        #expect(!conformanceProblems(try encoded(Extra()), .object([.required("name", .string)])).isEmpty)
    }
}
