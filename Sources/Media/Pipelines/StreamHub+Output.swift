import Core

extension StreamHub {
    /// Publishes a pipeline's output stream, turning the hub's refusals into the REST errors
    /// every service gives: `.conflict` for a name in use, `.invalid` (field `localStreamName`) otherwise.
    func publishOutput(name: String, mediaProvider: String,
                       describe: (inout Core.Stream) -> Void = { _ in }) throws(ServiceError) -> Publication {
        do {
            return try publish(name: name, mediaProvider: mediaProvider, describe: describe)
        } catch .alreadyPublished {
            throw .conflict("Stream \(name) already exists")
        } catch {
            throw .invalid("\(error)", field: "localStreamName")
        }
    }
}
