import Core

/// Everything the service tracks about one live call. Lives inside `SIPCalls`' lock.
struct CallSession: Sendable {
    /// Where the call is in its life.
    enum Phase: Sendable, Equatable {
        /// REGISTER sent, waiting for 200.
        case registering
        /// INVITE sent, no final answer yet; for an incoming call, our 200 sent, no ACK yet.
        case inviting
        /// 200 received and ACKed; media flows.
        case established
        /// Over; waiting for sofia to finish the dialog before its handles go.
        case ended
    }

    /// The digest credentials; kept only until the call is answered or fails, never logged.
    struct Credentials: Sendable {
        var user: String
        var password: String
    }

    /// The API id.
    var callId: String
    /// SIP addresses of an outgoing call; nil for an incoming one.
    var target: CallTarget?
    /// The handle carrying the INVITE dialog.
    var inviteHandle: Int
    /// The handle carrying the REGISTER, when one was asked for.
    var registerHandle: Int?
    /// Credentials for 401/407 challenges.
    var credentials: Credentials?
    /// Challenges answered so far (one per request is enough; a second one means a wrong password).
    var registerChallenges = 0
    /// See `registerChallenges`.
    var inviteChallenges = 0
    /// Our first SDP: the offer, or for an incoming call the answer.
    var offer: String
    /// The far end's offer of an incoming call ("" when its INVITE had none: our 200 offers and
    /// its ACK answers); nil for an outgoing call.
    var remoteOffer: String?
    /// true when the far end called us.
    var isIncoming: Bool { remoteOffer != nil }
    /// true for an incoming call whose SDP answer comes in the ACK.
    var answersInACK: Bool { remoteOffer?.isEmpty == true }
    /// Our SDP (the offer, then each re-INVITE answer with the next version).
    var sdp: SDPOffer
    /// true while the far end holds the call (its re-INVITE said sendonly or inactive).
    var isOnHold = false
    /// RTP sockets.
    var rtp: RTPSession
    /// The hub stream the call's audio goes to.
    var toStream: String
    /// The rtmpUrl of the request (for the 409 check).
    var rtmpUrl: String?
    /// The current phase.
    var phase: Phase = .registering
    /// The publish of `toStream`, once established.
    var publication: Publication?
    /// The encoder feeding `publication`.
    var aac: AACPublisher?
    /// What the call hears from us (silence, an injected sound or stream).
    var feed = CallAudioFeed()
    /// The transponder pushing `toStream` to `rtmpUrl`, when the request had one.
    var transponderID: String?
    /// Video RTP sockets, when the call offered video.
    var video: VideoRTPSession?
    /// The zero of `toStream`'s timeline, shared by audio and video.
    let mediaClock = CallMediaClock()
    /// Timers (no answer, RTP silence) to cancel at the end.
    var timers: [Task<Void, Never>] = []
}
