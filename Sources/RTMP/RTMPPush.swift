import Core
import Foundation
import Logging
import NIOCore
import Synchronization

/// Transponders (`/push/*`): each republishes a local stream to a far RTMP server. It waits
/// while the stream is not published (status PENDING), connects (CONNECTING), pushes
/// (PROCESSED_LOCAL), reconnects with backoff when the far end goes away (RECONNECTING), and
/// resumes when the stream is published again. Timestamps stay monotonic across all of it.
public final class RTMPPush: PushControl {
    /// First reconnect delay; it doubles per failure up to `maxBackoff`.
    static let initialBackoff = Duration.milliseconds(500)
    /// Longest reconnect delay.
    static let maxBackoff = Duration.seconds(10)

    private let hub: StreamHub
    private let registry: Registry
    private let logger: Logger
    private let group: any EventLoopGroup

    private struct Job {
        var localStreamName: String
        var rtmpUrl: String
        var task: Task<Void, Never>
    }

    private let jobs = Mutex<[String: Job]>([:])

    /// Makes the push service.
    /// - Parameters:
    ///   - hub: where the pushed streams come from.
    ///   - registry: where `Transponder` objects live.
    ///   - logger: parent logger.
    ///   - group: event loops for the outgoing connections.
    public init(hub: StreamHub, registry: Registry, logger: Logger, group: any EventLoopGroup) {
        self.hub = hub
        self.registry = registry
        self.logger = logger
        self.group = group
    }

    /// Starts a transponder. The far-end name is `rtmp_<streamName>` appended to `rtmpUrl`,
    /// unless `rtmpTransponderFullUrl` says the URL already ends with it.
    /// - Throws: `ServiceError.invalid` (field `streamName` or `rtmpUrl`), `ServiceError.conflict`
    ///   for a second transponder of the same stream to the same URL.
    public func startup(_ request: PushStartupRequest) async throws -> Transponder {
        do {
            try StreamName.validate(request.streamName)
        } catch {
            throw ServiceError.invalid(error.description, field: "streamName")
        }
        let isFull = request.rtmpTransponderFullUrl ?? false
        var url: RTMPURL
        do {
            url = try RTMPURL(request.rtmpUrl, hasStreamName: isFull)
        } catch {
            throw ServiceError.invalid("rtmpUrl: \(error)", field: "rtmpUrl")
        }
        if !isFull { url.streamName = "rtmp_\(request.streamName)" }
        var transponder = Transponder(mediaSessionId: UUID().uuidString.lowercased(),
                                      localStreamName: request.streamName, streamName: url.streamName ?? "",
                                      rtmpUrl: request.rtmpUrl, createDate: Int64(Date().timeIntervalSince1970 * 1000))
        transponder.options = request.options ?? [:]
        transponder.info = "waiting for stream"
        let id = transponder.mediaSessionId
        let target = url
        let created = transponder
        try jobs.withLock { jobs in
            guard !jobs.values.contains(where: { $0.localStreamName == request.streamName && $0.rtmpUrl == request.rtmpUrl })
            else { throw ServiceError.conflict("Transponder already exists") }
            registry.upsert(created)
            let task = Task { [self] in await run(id: id, streamName: request.streamName, url: target) }
            jobs[id] = Job(localStreamName: request.streamName, rtmpUrl: request.rtmpUrl, task: task)
        }
        return transponder
    }

    /// Stops a transponder and removes it.
    /// - Throws: `ServiceError.notFound` when there is no such transponder.
    public func terminate(mediaSessionId: String) async throws {
        guard let job = jobs.withLock({ $0.removeValue(forKey: mediaSessionId) }) else {
            throw ServiceError.notFound("Transponder not found")
        }
        job.task.cancel()
        await job.task.value
        setStatus(mediaSessionId, "STOPPED", info: "Stopped by rest /terminate")
        registry.remove(Transponder.self, id: mediaSessionId)
    }

    /// Not built yet: needs the FFmpeg audio pipeline.
    /// - Throws: `ServiceError.notImplemented`.
    public func setMuted(mediaSessionId: String, _ muted: Bool) async throws {
        throw ServiceError.notImplemented("transponder audio (FFmpeg pipelines)")
    }

    /// Not built yet: needs the FFmpeg audio pipeline.
    /// - Throws: `ServiceError.notImplemented`.
    public func soundOn(mediaSessionId: String, soundFile: String, loop: Bool) async throws {
        throw ServiceError.notImplemented("transponder audio (FFmpeg pipelines)")
    }

    /// Not built yet: needs the FFmpeg audio pipeline.
    /// - Throws: `ServiceError.notImplemented`.
    public func soundOff(mediaSessionId: String) async throws {
        throw ServiceError.notImplemented("transponder audio (FFmpeg pipelines)")
    }

    private func setStatus(_ id: String, _ status: String, info: String?) {
        registry.update(Transponder.self, id: id) {
            $0.status = status
            $0.info = info
        }
    }

    /// The transponder's life: wait, connect, push, and again, until cancelled.
    private func run(id: String, streamName: String, url: RTMPURL) async {
        var log = logger
        log[metadataKey: LogKey.stream] = "\(streamName)"
        log[metadataKey: LogKey.uri] = "\(url.tcUrl)/\(url.streamName ?? "")"
        let timestamps = TimestampStore()
        var backoff = Self.initialBackoff
        while !Task.isCancelled {
            if !hub.isPublished(streamName) { setStatus(id, "PENDING", info: "waiting for stream") }
            do {
                try await hub.waitUntilPublished(streamName)
            } catch {
                return
            }
            let subscription: Subscription
            do {
                subscription = try hub.subscribe(name: streamName)
            } catch {
                continue
            }
            setStatus(id, "CONNECTING", info: nil)
            do {
                let client = try await RTMPClient.publish(url: url, subscription: subscription, timestamps: timestamps,
                                                          group: group, logger: log)
                let video = hub.codecConfig(of: streamName)?.video
                registry.update(Transponder.self, id: id) {
                    $0.status = "PROCESSED_LOCAL"
                    $0.info = nil
                    $0.width = video?.width ?? 0
                    $0.height = video?.height ?? 0
                }
                log.info("push started")
                backoff = Self.initialBackoff
                await withTaskCancellationHandler {
                    await client.waitUntilClosed()
                } onCancel: {
                    client.close()
                }
                if Task.isCancelled { return }
                if !hub.isPublished(streamName) { continue }
                setStatus(id, "RECONNECTING", info: "far end closed the connection")
            } catch {
                subscription.cancel()
                if Task.isCancelled { return }
                log.warning("push failed", metadata: [LogKey.error: "\(error)"])
                setStatus(id, "RECONNECTING", info: "\(error)")
            }
            do {
                try await Task.sleep(for: backoff)
            } catch {
                return
            }
            backoff = min(backoff * 2, Self.maxBackoff)
        }
    }
}
