/// Request bodies of the REST methods, with the WCS field names. The REST layer checks each
/// body against its method's schema first (naming a missing or mistyped field), coercing
/// `"true"`/`"5060"` strings, so these decode only well-formed input.

/// `/stream/find`, `/stream/terminate`: every present field narrows the match.
public struct StreamFilter: Codable, Sendable, Equatable {
    public var name: String?
    public var mediaSessionId: String?
    public var mediaSessionIds: [String]?
    public var status: String?
    public var published: Bool?
    public init(name: String? = nil, mediaSessionId: String? = nil, mediaSessionIds: [String]? = nil,
                status: String? = nil, published: Bool? = nil) {
        self.name = name
        self.mediaSessionId = mediaSessionId
        self.mediaSessionIds = mediaSessionIds
        self.status = status
        self.published = published
    }

    /// true when `stream` matches every present field.
    public func matches(_ stream: Stream) -> Bool {
        if let name, stream.name != name { return false }
        if let mediaSessionId, stream.mediaSessionId != mediaSessionId { return false }
        if let mediaSessionIds, !mediaSessionIds.contains(stream.mediaSessionId) { return false }
        if let status, stream.status.rawValue != status.uppercased() { return false }
        if let published, stream.published != published { return false }
        return true
    }
}

/// `/push/startup`.
public struct PushStartupRequest: Codable, Sendable, Equatable {
    public var streamName: String
    public var rtmpUrl: String
    /// true: `rtmpUrl` already ends with the far-end stream name.
    public var rtmpTransponderFullUrl: Bool?
    public var rtmpFlashVersion: String?
    /// `{"action": "mute"}` or `{"action": "sound_on", "soundFile": "x.wav", "loop": true}`.
    public var options: [String: JSONValue]?
    public init(streamName: String, rtmpUrl: String, rtmpTransponderFullUrl: Bool? = nil,
                rtmpFlashVersion: String? = nil, options: [String: JSONValue]? = nil) {
        self.streamName = streamName
        self.rtmpUrl = rtmpUrl
        self.rtmpTransponderFullUrl = rtmpTransponderFullUrl
        self.rtmpFlashVersion = rtmpFlashVersion
        self.options = options
    }
}

/// `/pull/rtmp/pull`.
public struct RTMPPullRequest: Codable, Sendable, Equatable {
    public var uri: String
    public var localStreamName: String?
    public var hasAudio: Bool?
    public var hasVideo: Bool?
    public var record: Bool?
    public init(uri: String, localStreamName: String? = nil, hasAudio: Bool? = nil, hasVideo: Bool? = nil,
                record: Bool? = nil) {
        self.uri = uri
        self.localStreamName = localStreamName
        self.hasAudio = hasAudio
        self.hasVideo = hasVideo
        self.record = record
    }
}

/// `/rtsp/startup`.
public struct RTSPStartupRequest: Codable, Sendable, Equatable {
    public var uri: String
    public var localStreamName: String?
    /// "TCP" (default) or "UDP".
    public var transport: String?
    public init(uri: String, localStreamName: String? = nil, transport: String? = nil) {
        self.uri = uri
        self.localStreamName = localStreamName
        self.transport = transport
    }
}

/// `/transcoder/startup`.
public struct TranscoderStartupRequest: Codable, Sendable, Equatable {
    public var uri: String
    public var remoteStreamName: String
    public var localStreamName: String
    public var encoder: EncoderSettings
    public init(uri: String, remoteStreamName: String, localStreamName: String, encoder: EncoderSettings) {
        self.uri = uri
        self.remoteStreamName = remoteStreamName
        self.localStreamName = localStreamName
        self.encoder = encoder
    }
}

/// `/vod/startup`.
public struct VODStartupRequest: Codable, Sendable, Equatable {
    public var uri: String
    public var localStreamName: String?
    public var loop: Bool?
    public init(uri: String, localStreamName: String? = nil, loop: Bool? = nil) {
        self.uri = uri
        self.localStreamName = localStreamName
        self.loop = loop
    }
}

/// `/call/startup`. `sipPassword` is used for digest auth only: never stored in a Call, logged or returned.
public struct CallStartupRequest: Codable, Sendable, Equatable {
    public var callId: String
    public var callee: String
    public var rtmpStream: String?
    public var rtmpUrl: String?
    public var hasAudio: Bool?
    public var hasVideo: Bool?
    public var sipLogin: String?
    public var sipAuthenticationName: String?
    public var sipPassword: String?
    public var sipDomain: String?
    public var sipOutboundProxy: String?
    public var sipPort: Int?
    public var appKey: String?
    public var sipRegisterRequired: Bool?
    public var toStream: String?
    public var visibleName: String?
}
