import Core
import Logging
import Synchronization

/// A `vod://` file: the hub offers its stream name, and each player that subscribes gets a
/// private stream that plays the file from its start, ending when that player leaves
/// (WCS: a personal VOD cannot be shared, transcoded or recorded).
final class PersonalVOD: Pipeline {
    private let hub: StreamHub
    private let streamName: String
    private let path: String
    private let loop: Bool
    private let logger: Logger
    /// The playbacks by their private publication's mediaSessionId.
    private let players = PipelineTable<VODPlayer>()
    private let isStopped = Mutex(false)
    private let onPlayers: @Sendable (Int) -> Void

    /// Offers `streamName` to players.
    /// - Parameters:
    ///   - onPlayers: called with the number of playbacks each time one starts or ends.
    /// - Throws: `ServiceError.conflict` when the name is published or offered already.
    init(hub: StreamHub, streamName: String, path: String, loop: Bool, logger: Logger,
         onPlayers: @escaping @Sendable (Int) -> Void) throws(ServiceError) {
        self.hub = hub
        self.streamName = streamName
        self.path = path
        self.loop = loop
        self.logger = logger
        self.onPlayers = onPlayers
        do {
            try hub.offer(name: streamName) { [weak self] publication in
                guard let self else { return publication.end(reason: "VOD stopped") }
                self.play(publication)
            }
        } catch .alreadyPublished {
            throw .conflict("Stream \(streamName) already exists")
        } catch {
            throw .invalid("\(error)", field: "localStreamName")
        }
    }

    /// Stops offering the file and ends every playback.
    func stop() async {
        isStopped.withLock { $0 = true }
        hub.withdraw(name: streamName)
        await players.stopAll()
    }

    /// Starts a playback into one player's private stream (on the hub's subscribe call: no waiting here).
    private func play(_ publication: Publication) {
        guard !isStopped.withLock({ $0 }) else { return publication.end(reason: "VOD stopped") }
        let id = publication.mediaSessionId
        let playerLogger = logger.tagged([LogKey.mediaSession: "\(id)"])
        let player = VODPlayer(path: path, output: publication, loop: loop, logger: playerLogger) { [weak self] in
            guard let self else { return }
            self.players.finish(id)
            self.onPlayers(self.players.count)
        }
        if players.insert(player, for: id) { onPlayers(players.count) }
        // A stop() that listed the players before this one was stored must still end it.
        if isStopped.withLock({ $0 }) { player.interrupt() }
    }
}
