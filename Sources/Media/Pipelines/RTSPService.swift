import Core
import Foundation
import Logging

/// RTSP pulls (`/rtsp/*`): an `rtsp://` URL (TCP by default, UDP selectable) becomes a hub
/// stream named `localStreamName` or after the URL's last path part.
public final class RTSPService: RTSPControl {
    private let hub: StreamHub
    private let registry: Registry
    private let logger: Logger
    private let pullers = PipelineTable<RTSPPuller>()

    /// - Parameters:
    ///   - hub: where pulled streams are published.
    ///   - registry: holds the `RtspAgent` objects.
    ///   - logger: parent logger.
    public init(hub: StreamHub, registry: Registry, logger: Logger) {
        self.hub = hub
        self.registry = registry
        self.logger = logger.component("rtsp")
    }

    /// Starts pulling `request.uri`.
    /// - Throws: `ServiceError.invalid` for a non-`rtsp://` URI or an unknown transport,
    ///   `.conflict` when the URI is pulled already or the stream name is taken.
    public func startup(_ request: RTSPStartupRequest) async throws -> RtspAgent {
        guard ProtocolWhitelist.rtsp.allows(request.uri), let url = URL(string: request.uri), url.host != nil else {
            throw ServiceError.invalid("uri must be rtsp://host[:port]/path", field: "uri")
        }
        let transport = (request.transport ?? "TCP").uppercased()
        guard transport == "TCP" || transport == "UDP" else {
            throw ServiceError.invalid("transport must be TCP or UDP", field: "transport")
        }
        guard pullers[request.uri] == nil else { throw ServiceError.conflict("RTSP agent already exists") }
        let streamName = request.localStreamName.flatMap { $0.isEmpty ? nil : $0 } ?? Self.derivedName(url)
        let output = try hub.publishOutput(name: streamName, mediaProvider: "RTSP") { $0.transport = transport }
        var agent = RtspAgent(uri: request.uri, localStreamName: streamName, transport: transport,
                              createDate: Int64(Date().timeIntervalSince1970 * 1000))
        agent.localMediaSessionId = output.mediaSessionId
        registry.upsert(agent)
        let pullLogger = logger.tagged([LogKey.stream: "\(streamName)", "host": "\(url.host ?? "")"])
        let uri = request.uri
        let puller = RTSPPuller(uri: uri, transport: transport.lowercased(), output: output, registry: registry,
                                logger: pullLogger) { [weak self] in
            self?.pullers.finish(uri)
            self?.registry.remove(RtspAgent.self, id: uri)
        }
        pullers.insert(puller, for: uri)
        return agent
    }

    /// Stops every pull (server shutdown).
    public func stopAll() async {
        await pullers.stopAll()
    }

    /// Stops a pull and ends its stream.
    /// - Throws: `ServiceError.notFound` for an unknown URI.
    public func terminate(uri: String) async throws {
        try await pullers.stop(uri, notFound: "RTSP agent not found")
    }

    /// A stream name from the URL's last path part ("rtsp://cam/live/main" → "main"),
    /// keeping only characters stream names allow.
    static func derivedName(_ url: URL) -> String {
        let base = url.lastPathComponent.isEmpty || url.lastPathComponent == "/" ? (url.host ?? "rtsp") : url.lastPathComponent
        let cleaned = String(base.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
        return cleaned.isEmpty || cleaned.hasPrefix(".") ? "rtsp-stream" : cleaned
    }
}
