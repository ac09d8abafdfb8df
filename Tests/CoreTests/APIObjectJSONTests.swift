import Core
import Foundation
import Testing

/// Every object type of the seed, decoded from a WCS-style JSON object in which every field is
/// set (no defaults, no nulls), encoded again, and compared key by key with the input: a field
/// renamed, dropped, added or mistyped by any type fails here.
@Suite("API objects: JSON round trip, one per type")
struct APIObjectJSONTests {
    /// A type, and a JSON object with every one of its fields set.
    struct Fixture: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        let roundTrip: @Sendable (Data) throws -> Data

        var testDescription: String { name }

        init<T: Codable & Equatable & Sendable>(_ type: T.Type, _ json: String) {
            name = String(describing: type)
            self.json = json
            roundTrip = { data in
                let value = try JSONDecoder().decode(T.self, from: data)
                let encoded = try JSONEncoder().encode(value)
                // Decoding what was encoded gives the same value, too.
                #expect(try JSONDecoder().decode(T.self, from: encoded) == value)
                return encoded
            }
        }
    }

    static let fixtures: [Fixture] = [
        Fixture(Stream.self, """
            {"name":"cam1","mediaSessionId":"ms-1","published":true,"hasAudio":true,"hasVideo":true,
             "status":"PUBLISHING","info":"ok","record":true,"recordName":"cam1-1.mp4","width":1280,"height":720,
             "bitrate":2500,"quality":80,"fps":30,"audioCodec":"mpeg4-generic","videoCodec":"H264",
             "mediaProvider":"RTMP","sessionId":"/1.2.3.4:5/6.7.8.9:1935","appKey":"live","nodeId":"n1",
             "rtmpUrl":"rtmp://h/live","custom":{"k":[true,null,1.5,"s",{"x":1}]},"createDate":1795000000000,
             "mediaType":"publish","transport":"TCP","audioState":{"muted":true},"videoState":{"muted":false},
             "droppedPackets":3}
            """),
        Fixture(Call.self, """
            {"callId":"c1","incoming":true,"status":"ESTABLISHED","sipStatus":200,"info":"answered","caller":"alice",
             "callee":"100","visibleName":"Alice","rtmpUrl":"rtmp://h/live","rtmpStream":"s","toStream":"t",
             "hasAudio":true,"hasVideo":true,"muted":true,"mediaProvider":"SIP","appKey":"defaultApp",
             "sessionId":"sess","nodeId":"n1","custom":{"a":"b"},"createDate":1795000000000}
            """),
        Fixture(Transponder.self, """
            {"mediaSessionId":"m1","localStreamName":"a","streamName":"rtmp_a","rtmpUrl":"rtmp://h/live",
             "width":640,"height":360,"muted":true,"soundEnabled":true,
             "options":{"action":"sound_on","soundFile":"x.wav","loop":true},"status":"PROCESSED_LOCAL",
             "info":"i","createDate":1795000000000}
            """),
        Fixture(RtspAgent.self, """
            {"uri":"rtsp://h/x","status":"PLAYING","localStreamName":"x","localMediaSessionId":"m",
             "transport":"UDP","info":"i","createDate":1795000000000}
            """),
        Fixture(RtmpAgent.self, """
            {"uri":"rtmp://h/live/x","localStreamName":"x","localMediaSessionId":"m","status":"PROCESSED_REMOTE",
             "hasAudio":true,"hasVideo":true,"record":true,"info":"i","createDate":1795000000000}
            """),
        Fixture(PullAgent.self, """
            {"uri":"ws://h:8080","localStreamName":"a","remoteStreamName":"b","localMediaSessionId":"m1",
             "remoteMediaSessionId":"m2","status":"PROCESSED_REMOTE","info":"i","createDate":1795000000000}
            """),
        Fixture(Mixer.self, """
            {"uri":"mixer://m","localStreamName":"m","localMediaSessionId":"ms","status":"PROCESSED_LOCAL",
             "hasAudio":true,"hasVideo":true,"record":true,
             "mediaSessions":[{"localMediaSessionId":"x","localStreamName":"a","audioLevel":42,"videoMuted":true}],
             "info":"i","createDate":1795000000000}
            """),
        Fixture(Mixer.Input.self, """
            {"localMediaSessionId":"x","localStreamName":"a","audioLevel":7,"videoMuted":false}
            """),
        Fixture(MixerTest.self, """
            {"feedingStreams":["a","b"],"mixerCount":2,"streamsInMixer":1,"intervalInSeconds":60}
            """),
        Fixture(EncoderSettings.self, """
            {"width":640,"height":360,"keyFrameInterval":30,"fps":25,"bitrate":800,"codec":"H264","audioCodec":"AAC"}
            """),
        Fixture(Transcoder.self, """
            {"uri":"transcoder://t","remoteStreamName":"a","localStreamName":"b","localMediaSessionId":"m",
             "status":"PROCESSED_LOCAL","hasAudio":true,"hasVideo":true,"record":true,
             "encoder":{"width":640,"height":0,"keyFrameInterval":30,"fps":30,"bitrate":800,"codec":"H264",
                        "audioCodec":"AAC"},
             "info":"i","createDate":1795000000000}
            """),
        Fixture(VOD.self, """
            {"uri":"vod-live://a.mp4","localStreamName":"a","localMediaSessionId":"m","status":"PROCESSED_LOCAL",
             "hasAudio":true,"hasVideo":true,"record":true,"loop":true,"info":"i","createDate":1795000000000}
            """),
        Fixture(Connection.self, """
            {"sessionId":"/1.2.3.4:5/6.7.8.9:10","appKey":"live","clientVersion":"2.0","clientOSVersion":"Linux",
             "clientBrowserVersion":"ffmpeg","mediaProvider":"RTMP","status":"ESTABLISHED","custom":{"k":1},
             "createDate":1795000000000}
            """),
        Fixture(MediaFile.self, """
            {"fileName":"clip.mp4","size":12345,"modified":1795000000000}
            """),
        Fixture(APIError.self, """
            {"status":409,"error":"Conflict","message":"already exists","field":"uri"}
            """),
        Fixture(StreamFilter.self, """
            {"name":"a","mediaSessionId":"m","mediaSessionIds":["m","n"],"status":"PUBLISHING","published":true}
            """),
        Fixture(PushStartupRequest.self, """
            {"streamName":"a","rtmpUrl":"rtmp://h/live","rtmpTransponderFullUrl":true,"rtmpFlashVersion":"LNX 9,0,124,2",
             "options":{"action":"mute"}}
            """),
        Fixture(RTMPPullRequest.self, """
            {"uri":"rtmp://h/live/a","localStreamName":"a","hasAudio":true,"hasVideo":false,"record":true}
            """),
        Fixture(RTSPStartupRequest.self, """
            {"uri":"rtsp://h/x","localStreamName":"x","transport":"TCP"}
            """),
        Fixture(TranscoderStartupRequest.self, """
            {"uri":"transcoder://t","remoteStreamName":"a","localStreamName":"b",
             "encoder":{"width":640,"height":360,"keyFrameInterval":30,"fps":25,"bitrate":800,"codec":"H264",
                        "audioCodec":"AAC"}}
            """),
        Fixture(VODStartupRequest.self, """
            {"uri":"vod://a.mp4","localStreamName":"a","loop":true}
            """),
        Fixture(CallStartupRequest.self, """
            {"callId":"c","callee":"100","rtmpStream":"s","rtmpUrl":"rtmp://h/live","hasAudio":true,"hasVideo":false,
             "sipLogin":"l","sipAuthenticationName":"a","sipPassword":"p","sipDomain":"d","sipOutboundProxy":"o",
             "sipPort":5060,"appKey":"defaultApp","sipRegisterRequired":true,"toStream":"t","visibleName":"v"}
            """),
    ]

    @Test("decodes every WCS field and encodes exactly the same JSON", arguments: fixtures)
    func roundTrip(_ fixture: Fixture) throws {
        let input = Data(fixture.json.utf8)
        let output = try fixture.roundTrip(input)
        // JSONValue keeps booleans and numbers apart, so `true` turning into `1` is a difference.
        let before = try JSONDecoder().decode(JSONValue.self, from: input)
        let after = try JSONDecoder().decode(JSONValue.self, from: output)
        guard case .object(let inFields) = before, case .object(let outFields) = after else {
            Issue.record("not JSON objects")
            return
        }
        let lost = Set(inFields.keys).subtracting(outFields.keys)
        let added = Set(outFields.keys).subtracting(inFields.keys)
        #expect(lost.isEmpty, "fields lost: \(lost.sorted())")
        #expect(added.isEmpty, "fields the fixture does not set: \(added.sorted())")
        for (key, value) in inFields { #expect(outFields[key] == value, "\(key)") }
    }

    @Test("the fixtures cover every object type the registry holds")
    func everyKindHasAFixture() {
        let kinds: [any APIObject.Type] = [Stream.self, Call.self, Transponder.self, RtspAgent.self, RtmpAgent.self,
                                           PullAgent.self, Mixer.self, Transcoder.self, VOD.self, Connection.self]
        let covered = Set(Self.fixtures.map(\.name))
        #expect(Set(kinds.map { $0.kind }).count == ObjectKind.allCases.count)
        for kind in kinds { #expect(covered.contains(String(describing: kind)), "\(kind)") }
    }
}
