import Core
import Foundation
import Logging
import NIOCore
import Synchronization

/// Pulls of far RTMP streams (`/pull/rtmp/*`): each plays a remote stream and publishes it
/// into the hub under a local name, reconnecting with backoff when the far end goes away.
/// Its `RtmpAgent` shows PENDING, CONNECTED, PROCESSED_REMOTE (media flowing),
/// RECONNECTING, FAILED (the local name is taken) and STOPPED.
public final class RTMPPull: RTMPPullControl {
    private let hub: StreamHub
    private let registry: Registry
    private let logger: Logger
    private let group: any EventLoopGroup
    private let jobs = Mutex<[String: Task<Void, Never>]>([:])

    /// Makes the pull service.
    /// - Parameters:
    ///   - hub: where pulled streams are published.
    ///   - registry: where `RtmpAgent` objects live.
    ///   - logger: parent logger.
    ///   - group: event loops for the outgoing connections.
    public init(hub: StreamHub, registry: Registry, logger: Logger, group: any EventLoopGroup) {
        self.hub = hub
        self.registry = registry
        self.logger = logger
        self.group = group
    }

    /// Starts pulling `request.uri` (`rtmp://host[:port]/app/name`) as `localStreamName`
    /// (default: the remote name).
    /// - Throws: `ServiceError.invalid` (field `uri` or `localStreamName`), `ServiceError.conflict`
    ///   when the uri is already pulled.
    public func pull(_ request: RTMPPullRequest) async throws -> RtmpAgent {
        let url: RTMPURL
        do {
            url = try RTMPURL(request.uri, hasStreamName: true)
        } catch {
            throw ServiceError.invalid("uri: \(error)", field: "uri")
        }
        let remoteName = ServerSession.cleanName(url.streamName ?? "")
        let localName = request.localStreamName ?? remoteName
        do {
            try StreamName.validate(localName)
        } catch {
            throw ServiceError.invalid(error.description, field: "localStreamName")
        }
        var agent = RtmpAgent(uri: request.uri, localStreamName: localName,
                              createDate: Int64(Date().timeIntervalSince1970 * 1000))
        agent.hasAudio = request.hasAudio ?? true
        agent.hasVideo = request.hasVideo ?? true
        agent.record = request.record ?? false
        let created = agent
        try jobs.withLock { jobs in
            guard jobs[request.uri] == nil else { throw ServiceError.conflict("RTMP agent already exists") }
            registry.upsert(created)
            jobs[request.uri] = Task { [self] in await run(agent: created, url: url) }
        }
        return agent
    }

    /// Stops the pull of `uri` and ends its local stream.
    /// - Throws: `ServiceError.notFound` when `uri` is not pulled.
    public func terminate(uri: String) async throws {
        guard let task = jobs.withLock({ $0.removeValue(forKey: uri) }) else {
            throw ServiceError.notFound("RTMP agent not found")
        }
        task.cancel()
        await task.value
        registry.update(RtmpAgent.self, id: uri) {
            $0.status = "STOPPED"
            $0.info = "Stopped by rest /terminate"
        }
        registry.remove(RtmpAgent.self, id: uri)
    }

    private func setStatus(_ uri: String, _ status: String, info: String?, localID: String? = nil) {
        registry.update(RtmpAgent.self, id: uri) {
            $0.status = status
            $0.info = info
            if let localID { $0.localMediaSessionId = localID }
        }
    }

    /// The pull's life: connect, play into the hub, reconnect, until cancelled.
    private func run(agent: RtmpAgent, url: RTMPURL) async {
        let log = logger.tagged([LogKey.uri: "\(agent.uri)", LogKey.stream: "\(agent.localStreamName)"])
        let sink = PullSink(hub: hub, name: agent.localStreamName, hasAudio: agent.hasAudio, hasVideo: agent.hasVideo)
        sink.onPublished = { [registry] id in
            registry.update(RtmpAgent.self, id: agent.uri) {
                $0.status = "PROCESSED_REMOTE"
                $0.info = nil
                $0.localMediaSessionId = id
            }
        }
        var backoff = RTMPPush.initialBackoff
        defer { sink.end(reason: "pull stopped") }
        while !Task.isCancelled {
            do {
                let client = try await RTMPClient.play(url: url, group: group, logger: log) { packet in
                    sink.send(packet)
                }
                sink.onTerminated = { client.close() }
                setStatus(agent.uri, sink.isPublished ? "PROCESSED_REMOTE" : "CONNECTED", info: nil)
                backoff = RTMPPush.initialBackoff
                await withTaskCancellationHandler {
                    await client.waitUntilClosed()
                } onCancel: {
                    client.close()
                }
                if Task.isCancelled { return }
                if let failure = sink.failure {
                    setStatus(agent.uri, sink.isTerminated ? "STOPPED" : "FAILED", info: failure)
                    return
                }
                setStatus(agent.uri, "RECONNECTING", info: "far end closed the connection")
            } catch {
                if Task.isCancelled { return }
                log.warning("pull failed", metadata: [LogKey.error: "\(error)"])
                setStatus(agent.uri, "RECONNECTING", info: "\(error)")
            }
            sink.startSegment()
            do {
                try await Task.sleep(for: backoff)
            } catch {
                return
            }
            backoff = min(backoff * 2, RTMPPush.maxBackoff)
        }
    }
}
