import Core

/// The eight tables, in the order the keys 1…8 select them.
public enum Tab: Int, Sendable, CaseIterable, Equatable {
    case calls, streams, transponders, mixers, transcoders, pulls, vod, connections

    /// The title shown above the table.
    public var title: String {
        switch self {
        case .calls: "Calls"
        case .streams: "Streams"
        case .transponders: "Transponders"
        case .mixers: "Mixers"
        case .transcoders: "Transcoders"
        case .pulls: "Pulls"
        case .vod: "VOD"
        case .connections: "Connections"
        }
    }

    /// The `:` command that shows it (`:streams`).
    public var command: String { title.lowercased() }

    /// Other words that name it in commands (`stream`, `push`, `rtsp`…).
    public var aliases: [String] {
        switch self {
        case .calls: ["call", "sip"]
        case .streams: ["stream", "st"]
        case .transponders: ["transponder", "push", "pushes"]
        case .mixers: ["mixer"]
        case .transcoders: ["transcoder"]
        case .pulls: ["pull", "rtsp", "rtmp", "agents"]
        case .vod: ["vods"]
        case .connections: ["connection", "conn", "sessions"]
        }
    }

    /// The object sets the table lists: Pulls joins RTSP, RTMP and WebRTC agents.
    public var kinds: [ObjectKind] {
        switch self {
        case .calls: [.call]
        case .streams: [.stream]
        case .transponders: [.transponder]
        case .mixers: [.mixer]
        case .transcoders: [.transcoder]
        case .pulls: [.rtspAgent, .rtmpAgent, .pullAgent]
        case .vod: [.vod]
        case .connections: [.connection]
        }
    }

    /// The tab for a command word: a title, an alias, or an unambiguous prefix of one.
    public static func named(_ word: String) -> Tab? {
        let w = word.lowercased()
        guard !w.isEmpty else { return nil }
        if let exact = allCases.first(where: { $0.command == w || $0.aliases.contains(w) }) { return exact }
        let matches = allCases.filter { $0.command.hasPrefix(w) }
        return matches.count == 1 ? matches[0] : nil
    }
}
