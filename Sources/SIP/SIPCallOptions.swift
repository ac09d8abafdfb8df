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

    /// The defaults.
    public init() {}
}
