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
    /// Makes mute silence and sound_on clips; without it those requests are not implemented.
    private let audio: (any TransponderAudioFactory)?
    /// The silence clips by audio format, each made once on first use.
    private let silenceClips = Mutex<[AudioFormat: AudioClip]>([:])

    private struct Job {
        var localStreamName: String
        var rtmpUrl: String
        var audio: AudioSwitch
        var task: Task<Void, Never>
    }

    private let jobs = Mutex<[String: Job]>([:])

    /// Makes the push service.
    /// - Parameters:
    ///   - hub: where the pushed streams come from.
    ///   - registry: where `Transponder` objects live.
    ///   - logger: parent logger.
    ///   - group: event loops for the outgoing connections.
    ///   - audio: makes the clips for mute and sound_on; nil leaves them not implemented.
    public init(hub: StreamHub, registry: Registry, logger: Logger, group: any EventLoopGroup,
                audio: (any TransponderAudioFactory)? = nil) {
        self.audio = audio
        self.hub = hub
        self.registry = registry
        self.logger = logger
        self.group = group
    }

    /// Starts a transponder. The far-end name is `rtmp_<streamName>` appended to `rtmpUrl`,
    /// unless `rtmpTransponderFullUrl` says the URL already ends with it.
    /// `options.action` `"mute"` or `"sound_on"` (with `soundFile`, `loop`) starts with that audio.
    /// - Throws: `ServiceError.invalid` (field `streamName` or `rtmpUrl`), `ServiceError.conflict`
    ///   for a second transponder of the same stream to the same URL, `ServiceError.notFound`
    ///   ("No such file") for a missing sound file.
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
        let audioSwitch = AudioSwitch()
        try await applyStartupAudio(request.options ?? [:], streamName: request.streamName, to: audioSwitch)
        transponder.muted = audioSwitch.mode == .muted
        transponder.soundEnabled = audioSwitch.mode == .sound
        let id = transponder.mediaSessionId
        let target = url
        let created = transponder
        try jobs.withLock { jobs in
            guard !jobs.values.contains(where: { $0.localStreamName == request.streamName && $0.rtmpUrl == request.rtmpUrl })
            else { throw ServiceError.conflict("Transponder already exists") }
            registry.upsert(created)
            let task = Task { [self] in
                await run(id: id, streamName: request.streamName, url: target, audio: audioSwitch)
            }
            jobs[id] = Job(localStreamName: request.streamName, rtmpUrl: request.rtmpUrl, audio: audioSwitch,
                           task: task)
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

    /// Replaces the transponder's audio with silence (true), or returns to the stream's audio
    /// when it is muted (false).
    /// - Throws: `ServiceError.notFound` for an unknown transponder, `.notImplemented` without an
    ///   audio factory.
    public func setMuted(mediaSessionId: String, _ muted: Bool) async throws {
        let job = try job(mediaSessionId)
        let audioSwitch = job.audio
        if muted {
            audioSwitch.replace(with: try await silence(format: format(of: job.localStreamName)), loop: true, then: nil,
                                mode: .muted)
        } else {
            audioSwitch.restore(from: .muted)
        }
        showMode(mediaSessionId, audioSwitch.mode)
    }

    /// Plays `soundFile` from the media folder in place of the stream's audio, repeating it when
    /// `loop`, otherwise followed by silence.
    /// - Throws: `ServiceError.notFound` for an unknown transponder or ("No such file") a missing
    ///   file, `.invalid` for a bad file, `.notImplemented` without an audio factory.
    public func soundOn(mediaSessionId: String, soundFile: String, loop: Bool) async throws {
        let job = try job(mediaSessionId)
        let audioSwitch = job.audio
        try await playSound(soundFile, loop: loop, format: format(of: job.localStreamName), on: audioSwitch)
        showMode(mediaSessionId, audioSwitch.mode)
    }

    /// Returns to the stream's audio when a sound plays.
    /// - Throws: `ServiceError.notFound` for an unknown transponder, `.notImplemented` without an
    ///   audio factory.
    public func soundOff(mediaSessionId: String) async throws {
        let audioSwitch = try job(mediaSessionId).audio
        audioSwitch.restore(from: .sound)
        showMode(mediaSessionId, audioSwitch.mode)
    }

    /// The job of a transponder, once the audio factory is known to exist.
    private func job(_ id: String) throws -> Job {
        guard audio != nil else { throw ServiceError.notImplemented("transponder audio") }
        guard let job = jobs.withLock({ $0[id] }) else { throw ServiceError.notFound("Transponder not found") }
        return job
    }

    /// Applies a startup `options.action` before the transponder exists.
    private func applyStartupAudio(_ options: [String: JSONValue], streamName: String,
                                   to audioSwitch: AudioSwitch) async throws {
        guard let value = options["action"] else { return }
        guard audio != nil else { throw ServiceError.notImplemented("transponder audio") }
        let format = format(of: streamName)
        switch value.stringValue {
        case "mute":
            audioSwitch.replace(with: try await silence(format: format), loop: true, then: nil, mode: .muted)
        case "sound_on":
            guard let file = options["soundFile"]?.stringValue, !file.isEmpty else {
                throw ServiceError.invalid("soundFile is required for sound_on", field: "soundFile")
            }
            try await playSound(file, loop: Self.isTrue(options["loop"]), format: format, on: audioSwitch)
        default:
            throw ServiceError.invalid("action must be mute or sound_on", field: "options")
        }
    }

    private func playSound(_ file: String, loop: Bool, format: AudioFormat, on audioSwitch: AudioSwitch) async throws {
        guard let audio else { throw ServiceError.notImplemented("transponder audio") }
        let clip = try await audio.sound(file: file, format: format)
        audioSwitch.replace(with: clip, loop: loop, then: loop ? nil : try await silence(format: format), mode: .sound)
    }

    /// The audio format clips for `streamName` are made in: its AAC's rate and channels, so the
    /// receiver's audio keeps them at each switch; 48 kHz stereo while unknown (not published yet, not AAC).
    private func format(of streamName: String) -> AudioFormat {
        AudioFormat(hub.codecConfig(of: streamName)?.audio) ?? .standard
    }

    /// The silence clip in `format`, made on first use and kept.
    private func silence(format: AudioFormat) async throws -> AudioClip {
        if let clip = silenceClips.withLock({ $0[format] }) { return clip }
        guard let audio else { throw ServiceError.notImplemented("transponder audio") }
        let clip = try await audio.silence(format: format)
        silenceClips.withLock { $0[format] = clip }
        return clip
    }

    /// Lenient Boolean option: true, "true" or a non-zero number.
    private static func isTrue(_ value: JSONValue?) -> Bool {
        switch value {
        case .bool(let b): b
        case .string(let s): s.lowercased() == "true"
        case .number(let n): n != 0
        default: false
        }
    }

    private func showMode(_ id: String, _ mode: AudioSwitch.Mode) {
        registry.update(Transponder.self, id: id) {
            $0.muted = mode == .muted
            $0.soundEnabled = mode == .sound
        }
    }

    private func setStatus(_ id: String, _ status: String, info: String?) {
        registry.update(Transponder.self, id: id) {
            $0.status = status
            $0.info = info
        }
    }

    /// The transponder's life: wait, connect, push, and again, until cancelled.
    private func run(id: String, streamName: String, url: RTMPURL, audio: AudioSwitch) async {
        let log = logger.tagged([LogKey.stream: "\(streamName)", LogKey.uri: "\(url.tcUrl)/\(url.streamName ?? "")"])
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
                                                          audio: self.audio == nil ? nil : audio, group: group,
                                                          logger: log)
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
