// rtmp-fanout: the load client of bench/rtmp-fanout (and a bare RTMP server to measure).
//
//   rtmp-fanout serve <port> [<wake ms>]        hub + RTMPServer only; prints the hub's total
//                                               dropped packets when it gets SIGTERM/SIGINT;
//                                               <wake ms> sets StreamHub's wakeWindow
//   rtmp-fanout load <url> <players> <seconds>  opens <players> RTMP plays of <url> with the
//                                               project's own client, counts video frames, and
//                                               prints one JSON line of results
import Core
import Foundation
import Logging
import NIOCore
import NIOPosix
import RTMP
import Synchronization

/// Per-player frame counts, shared with the connections' event loops.
final class Counts: Sendable {
    private let frames: Mutex<[Int]>
    init(players: Int) { frames = Mutex([Int](repeating: 0, count: players)) }
    func add(_ player: Int) { frames.withLock { $0[player] += 1 } }
    var snapshot: [Int] { frames.withLock { $0 } }
}

func load(url: String, players: Int, seconds: Int) async throws {
    let eventLoops = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
    let logger = {
        var logger = Logger(label: "load")
        logger.logLevel = .warning
        return logger
    }()
    let target = try RTMPURL(url, hasStreamName: true)
    let counts = Counts(players: players)
    // Connect 32 at a time: serial connects of 1,000 players take minutes on a loaded machine.
    let opened = await withTaskGroup(of: RTMPClient?.self) { group in
        var clients: [RTMPClient] = []
        var next = 0
        func add() {
            guard next < players else { return }
            let i = next
            next += 1
            group.addTask {
                // A refused or failed player is counted as failed below; the reason does not matter here.
                try? await RTMPClient.play(url: target, group: eventLoops, logger: logger) { packet in
                    if packet.kind == .video, !packet.isConfig { counts.add(i) }
                }
            }
        }
        for _ in 0..<32 { add() }
        while let client = await group.next() {
            if let client { clients.append(client) }
            add()
        }
        return clients
    }
    let clients = opened
    let failed = players - clients.count
    FileHandle.standardOutput.write(Data("CONNECTED \(clients.count)\n".utf8))
    let start = counts.snapshot
    try await Task.sleep(for: .seconds(seconds))
    let end = counts.snapshot
    let perPlayer = zip(start, end).map { $1 - $0 }
    for client in clients { client.close() }
    try await eventLoops.shutdownGracefully()
    let sorted = perPlayer.sorted()
    let result: [String: Any] = [
        "players": players, "connected": clients.count, "failed": failed, "seconds": seconds,
        "framesMin": sorted.first ?? 0, "framesMedian": sorted.isEmpty ? 0 : sorted[sorted.count / 2],
        "framesMax": sorted.last ?? 0, "framesTotal": perPlayer.reduce(0, +),
    ]
    let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    FileHandle.standardOutput.write(json + Data("\n".utf8))
}

func serve(port: Int, wakeWindow: TimeAmount?) async throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
    var logger = Logger(label: "serve")
    logger.logLevel = .warning
    let registry = Registry(bus: EventBus())
    let hub = wakeWindow.map { StreamHub(registry: registry, logger: logger, wakeWindow: $0) }
        ?? StreamHub(registry: registry, logger: logger)
    let server = RTMPServer(hub: hub, registry: registry, logger: logger, group: group)
    let bound = try await server.start(host: "127.0.0.1", port: port)
    FileHandle.standardOutput.write(Data("READY rtmp=\(bound)\n".utf8))
    let dropped = Mutex(0)
    let events = registry.bus.subscribe()
    let watcher = Task {
        for await event in events {
            if case .removed(let object) = event, let stream = object as? Core.Stream {
                dropped.withLock { $0 += stream.droppedPackets }
            }
        }
    }
    let (signals, continuation) = AsyncStream<Void>.makeStream()
    let sources = [SIGTERM, SIGINT].map { sig in
        signal(sig, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: sig)
        source.setEventHandler { continuation.yield() }
        source.resume()
        return source
    }
    for await _ in signals { break }
    for source in sources { source.cancel() }
    await server.shutdown()
    try await Task.sleep(for: .milliseconds(300))
    watcher.cancel()
    FileHandle.standardOutput.write(Data("{\"droppedPackets\": \(dropped.withLock { $0 })}\n".utf8))
    try await group.shutdownGracefully()
}

let args = CommandLine.arguments
switch args.dropFirst().first {
case "serve":
    try await serve(port: args.count > 2 ? Int(args[2]) ?? 0 : 0,
                    wakeWindow: args.count > 3 ? Int64(args[3]).map { .milliseconds($0) } : nil)
case "load" where args.count == 5:
    try await load(url: args[2], players: Int(args[3]) ?? 1, seconds: Int(args[4]) ?? 10)
default:
    FileHandle.standardError.write(Data("usage: rtmp-fanout serve <port> [<wake ms>] | load <url> <players> <seconds>\n".utf8))
    exit(2)
}
