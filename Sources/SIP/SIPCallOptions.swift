/// Limits of the SIP call service, with their defaults.
public struct SIPCallOptions: Sendable {
    /// How long an unanswered INVITE rings before it is cancelled and the call FAILED (WCS
    /// rings for about a minute; so do most phones before voicemail).
    public var noAnswerTimeout: Duration = .seconds(60)
    /// How long an established call may go without RTP before it is hung up as FAILED; long
    /// enough to ride out silence suppression, short enough to free dead calls.
    public var rtpTimeout: Duration = .seconds(30)
    /// How long a finished call stays visible to `/call/find` before it leaves the registry.
    public var finishedRetention: Duration = .seconds(30)
    /// What an INVITE from outside gets: declined unless the operator opts in (issue #6).
    public var incoming = IncomingCalls.decline
    /// With `accept`, the Request-URI users that answer; others get 404. Empty: any user.
    public var incomingUsers: Set<String> = []

    /// The defaults.
    public init() {}
}

/// What the server does with an incoming INVITE (`--sip-incoming`).
public enum IncomingCalls: String, Sendable, CaseIterable {
    /// 603 Decline, as a server that only places calls should; the safe default.
    case decline
    /// Answered when its offer has audio we can use; the call publishes to the hub.
    case accept
}
