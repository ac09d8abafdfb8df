/// Why the stream hub refused a request.
public enum HubError: Error, Sendable, Equatable {
    /// The stream name failed `StreamName.validate`; the text says why.
    case invalidName(String)
    /// Another publisher already publishes under this name.
    case alreadyPublished(String)
    /// Nobody publishes under this name.
    case notPublished(String)
}
