import Core
import Logging

/// One transcoder's life, like a transponder's: wait until the input stream is published,
/// transcode it into the output stream until it ends, then wait again, until stopped or until
/// its output stream is terminated. The `Transcoder` object shows PENDING ("waiting for
/// stream") while it waits and PROCESSED_LOCAL while it transcodes.
final class TranscoderAgent: Pipeline {
    private let task: Task<Void, Never>

    /// Starts waiting for `request.remoteStreamName`.
    /// - Parameter onEnd: called once the transcoder ended for good.
    init(request: TranscoderStartupRequest, hub: StreamHub, registry: Registry, logger: Logger,
         onEnd: @escaping @Sendable () -> Void) {
        task = Task {
            await Self.run(request: request, hub: hub, registry: registry, logger: logger)
            onEnd()
        }
    }

    /// Stops the transcoder (its output stream ends) and waits until it ended.
    func stop() async {
        task.cancel()
        await task.value
    }

    private static func run(request: TranscoderStartupRequest, hub: StreamHub, registry: Registry,
                            logger: Logger) async {
        let uri = request.uri
        func show(_ status: String, _ info: String?, _ change: (inout Transcoder) -> Void = { _ in }) {
            registry.update(Transcoder.self, id: uri) {
                $0.status = status
                $0.info = info
                change(&$0)
            }
        }
        while !Task.isCancelled {
            if !hub.isPublished(request.remoteStreamName) {
                show("PENDING", "waiting for stream") { $0.localMediaSessionId = nil }
                logger.info("transcoder waiting for stream")
            }
            do {
                try await hub.waitUntilPublished(request.remoteStreamName)
            } catch {
                return
            }
            let input: Subscription
            do {
                input = try hub.subscribe(name: request.remoteStreamName)
            } catch {
                continue  // ended in between: wait again
            }
            let output: Publication
            do {
                output = try hub.publishOutput(name: request.localStreamName, mediaProvider: "Transcoder")
            } catch {
                input.cancel()
                show("FAILED", "\(error)")
                logger.warning("transcoder output refused", metadata: [LogKey.error: "\(error)"])
                return
            }
            let config = hub.codecConfig(of: request.remoteStreamName)
            show("PROCESSED_LOCAL", nil) {
                $0.localMediaSessionId = output.mediaSessionId
                $0.hasVideo = config?.video != nil
                $0.hasAudio = config?.audio != nil
            }
            logger.info("transcoding started")
            let pipeline = TranscoderPipeline(input: input, output: output, settings: request.encoder, logger: logger)
            let isInputEnded = await withTaskCancellationHandler {
                await pipeline.wait()
            } onCancel: {
                input.cancel()
            }
            guard isInputEnded else { return }
        }
    }
}
