/// What a subsystem reports to the REST layer; `Server` maps each case to one HTTP status.
public enum ServiceError: Error, Sendable, Equatable {
    /// The object named does not exist (404). The text is the message clients see ("Transponder not found").
    case notFound(String)
    /// The object already exists (409).
    case conflict(String)
    /// A request field is unacceptable (400).
    case invalid(String, field: String?)
    /// The operation cannot run in the object's current state (409), e.g. a snapshot of an audio-only stream.
    case unsupported(String)
    /// The capability behind the method is not built yet (501); the text names it.
    case notImplemented(String)
    /// The subsystem failed (500).
    case failed(String)
}
