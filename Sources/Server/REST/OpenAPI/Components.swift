import Core

/// The object schemas of the API, named as the OpenAPI document's components. They mirror the
/// Codable types in Core/API field for field; `ComponentsTests` encodes each type and checks it
/// against its schema, so the two cannot drift apart silently.
enum Components {
    static let all: [String: Schema] = [
        "Error": .object([
            .required("status", .integer), .required("error", .string), .required("message", .string),
            .required("field", .nullable(.string)),
        ]),
        "Stream": .object([
            .required("name", .string), .required("mediaSessionId", .string),
            .required("published", .boolean, "true for a publisher, false for a player"),
            .required("hasAudio", .boolean), .required("hasVideo", .boolean),
            .required("status", .string(enumValues: Stream.Status.allCases.map(\.rawValue))),
            .optional("info", .string), .required("record", .boolean), .optional("recordName", .string),
            .required("width", .integer), .required("height", .integer),
            .required("bitrate", .integer, "kbps over the last seconds"), .required("quality", .integer),
            .required("fps", .integer), .optional("audioCodec", .string), .optional("videoCodec", .string),
            .required("mediaProvider", .string), .optional("sessionId", .string), .optional("appKey", .string),
            .optional("nodeId", .string), .optional("rtmpUrl", .string), .required("custom", .freeObject),
            .required("createDate", .integer, "ms since 1970"), .required("mediaType", .string),
            .optional("transport", .string), .required("audioState", .ref("MediaState")),
            .required("videoState", .ref("MediaState")), .required("droppedPackets", .integer),
        ]),
        "MediaState": .object([.required("muted", .boolean)]),
        "Call": .object([
            .required("callId", .string),
            .required("incoming", .boolean, "true for a call the far end placed (`--sip-incoming accept`)"),
            .required("status", .string(enumValues: Call.Status.allCases.map(\.rawValue))),
            .optional("sipStatus", .integer), .optional("info", .string), .optional("caller", .string),
            .required("callee", .string), .optional("visibleName", .string), .optional("rtmpUrl", .string),
            .optional("rtmpStream", .string), .optional("toStream", .string), .required("hasAudio", .boolean),
            .required("hasVideo", .boolean,
                      "true once video flows: the far end took the video offered for `hasVideo`, or an incoming call offered H.264"),
            .required("muted", .boolean), .required("mediaProvider", .string),
            .optional("appKey", .string), .optional("sessionId", .string), .optional("nodeId", .string),
            .required("custom", .freeObject), .required("createDate", .integer),
        ]),
        "Transponder": .object([
            .required("mediaSessionId", .string), .required("localStreamName", .string),
            .required("streamName", .string, "name published at the far end"), .required("rtmpUrl", .string),
            .required("width", .integer), .required("height", .integer), .required("muted", .boolean),
            .required("soundEnabled", .boolean), .required("options", .freeObject), .required("status", .string),
            .optional("info", .string), .required("createDate", .integer),
        ]),
        "RtspAgent": .object([
            .required("uri", .string), .required("status", .string), .required("localStreamName", .string),
            .optional("localMediaSessionId", .string), .required("transport", .string), .optional("info", .string),
            .required("createDate", .integer),
        ]),
        "RtmpAgent": .object([
            .required("uri", .string), .required("localStreamName", .string),
            .optional("localMediaSessionId", .string), .required("status", .string), .required("hasAudio", .boolean),
            .required("hasVideo", .boolean), .required("record", .boolean), .optional("info", .string),
            .required("createDate", .integer),
        ]),
        "PullAgent": .object([
            .required("uri", .string), .required("localStreamName", .string), .required("remoteStreamName", .string),
            .optional("localMediaSessionId", .string), .optional("remoteMediaSessionId", .string),
            .required("status", .string), .optional("info", .string), .required("createDate", .integer),
        ]),
        "MixerInput": .object([
            .optional("localMediaSessionId", .string), .required("localStreamName", .string),
            .required("audioLevel", .integer), .required("videoMuted", .boolean),
        ]),
        "Mixer": .object([
            .required("uri", .string), .required("localStreamName", .string),
            .optional("localMediaSessionId", .string), .required("status", .string), .required("hasAudio", .boolean),
            .required("hasVideo", .boolean), .required("record", .boolean),
            .required("mediaSessions", .array(.ref("MixerInput"))), .optional("info", .string),
            .required("createDate", .integer),
        ]),
        "Encoder": .object(encoderProperties),
        "Transcoder": .object([
            .required("uri", .string), .required("remoteStreamName", .string), .required("localStreamName", .string),
            .optional("localMediaSessionId", .string), .required("status", .string), .required("hasAudio", .boolean),
            .required("hasVideo", .boolean), .required("record", .boolean), .required("encoder", .ref("Encoder")),
            .optional("info", .string), .required("createDate", .integer),
        ]),
        "VOD": .object([
            .required("uri", .string), .required("localStreamName", .string),
            .optional("localMediaSessionId", .string), .required("status", .string), .required("hasAudio", .boolean),
            .required("hasVideo", .boolean), .required("record", .boolean), .required("loop", .boolean),
            .optional("info", .string), .required("createDate", .integer),
        ]),
        "Connection": .object([
            .required("sessionId", .string), .required("appKey", .string), .optional("clientVersion", .string),
            .optional("clientOSVersion", .string), .optional("clientBrowserVersion", .string),
            .required("mediaProvider", .string), .required("status", .string), .required("custom", .freeObject),
            .required("createDate", .integer),
        ]),
        "MixerTest": .object(mixerTestProperties),
        "Snapshot": .object([.required("data", .string, "base64 PNG")]),
        "MediaFile": .object([
            .required("fileName", .string, "path inside the media folder, / separated"),
            .required("size", .integer, "bytes"), .required("modified", .integer, "ms since 1970"),
        ]),
        "ServerInfo": .object([
            .required("version", .string), .required("pid", .integer), .required("startTime", .integer),
            .required("uptimeSeconds", .integer), .optional("rest", .string), .optional("ws", .string),
            .optional("rtmp", .string), .optional("sip", .string), .optional("socket", .string),
            .required("dataDir", .string),
        ]),
    ]

    static let encoderProperties: [Schema.Property] = [
        .optional("width", .integer, "0 keeps the aspect ratio"), .optional("height", .integer),
        .optional("keyFrameInterval", .integer, "GOP in frames"), .optional("fps", .integer),
        .optional("bitrate", .integer, "kbps"), .optional("codec", .string), .optional("audioCodec", .string),
    ]

    static let mixerTestProperties: [Schema.Property] = [
        .required("feedingStreams", .array(.string)), .required("mixerCount", .integer),
        .required("streamsInMixer", .integer), .required("intervalInSeconds", .integer),
    ]
}
