import Logging

extension Logger {
    /// A copy of this logger that adds `metadata` to every line it logs.
    public func tagged(_ metadata: Logger.Metadata) -> Logger {
        var logger = self
        for (key, value) in metadata { logger[metadataKey: key] = value }
        return logger
    }

    /// A copy of this logger whose lines name the `component` they come from.
    public func component(_ name: String) -> Logger {
        tagged([LogKey.component: "\(name)"])
    }
}
