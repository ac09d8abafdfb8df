import Core

/// Streams: publishers and players.
struct StreamRenderer: TableRenderer {
    let columns = [
        Column("NAME", width: 16, flexible: true, min: 12), Column("STATUS", width: 10), Column("DIR", width: 4),
        Column("VIA", width: 5), Column("CODECS", width: 8), Column("SIZE", width: 9, .right),
        Column("KBPS", width: 6, .right), Column("FPS", width: 3, .right), Column("AGE", width: 6, .right),
        Column("REC", width: 3), Column("INFO", width: 20, flexible: true, min: 0),
    ]
    func row(_ o: LiveObject, now: Int64) -> Row {
        guard let s = o.typed as? Core.Stream else { return Renderers.fallback(o, width: columns.count) }
        return Row(id: Renderers.rowID(o), cells: columns.indices.map { cell(s, $0, now: now) },
                   tone: Format.tone(s.status.rawValue))
    }

    /// One cell, so that sorting thousands of streams formats only the sort column.
    func sortKey(_ o: LiveObject, column: Int, now: Int64) -> SortKey {
        guard let s = o.typed as? Core.Stream else { return row(o, now: now).sortKey(column) }
        return cell(s, column, now: now).sortKey
    }

    /// The cell of `column` (in the order of `columns`).
    private func cell(_ s: Core.Stream, _ column: Int, now: Int64) -> Cell {
        switch column {
        case 0: return Cell(s.name)
        case 1: return Cell(s.status.rawValue)
        case 2: return Cell(s.published ? "pub" : "play")
        case 3: return Cell(s.mediaProvider)
        case 4:
            let codecs = [s.videoCodec, s.audioCodec].compactMap { $0 }.joined(separator: "/")
            return Cell(codecs.isEmpty ? "-" : codecs)
        case 5: return Cell(s.width > 0 ? "\(s.width)x\(s.height)" : "-", sort: .number(Double(s.width * s.height)))
        case 6: return .number(Double(s.bitrate), Format.kbps(s.bitrate))
        case 7: return .int(s.fps)
        case 8: return Format.age(since: s.createDate, now: now)
        case 9: return Format.flag(s.record, "rec")
        default:
            var info = s.info ?? ""
            if s.droppedPackets > 0 { info = "dropped \(s.droppedPackets) " + info }
            if s.audioState.muted { info = "audio muted " + info }
            return Cell(info)
        }
    }
}

/// SIP calls.
struct CallRenderer: TableRenderer {
    let columns = [
        Column("CALLEE", width: 14, flexible: true), Column("CALLER", width: 12, flexible: true),
        Column("STATUS", width: 11), Column("SIP", width: 3, .right), Column("DIR", width: 3),
        Column("MUTE", width: 4), Column("AGE", width: 6, .right), Column("CALL ID", width: 10, flexible: true),
        Column("INFO", width: 16, flexible: true, min: 0),
    ]
    func row(_ o: LiveObject, now: Int64) -> Row {
        guard let c = o.typed as? Call else { return Renderers.fallback(o, width: columns.count) }
        return Row(id: Renderers.rowID(o), cells: [
            Cell(c.callee), Cell(c.caller ?? "-"), Cell(c.status.rawValue),
            c.sipStatus.map { .int($0) } ?? Cell("-"), Cell(c.incoming ? "in" : "out"),
            Format.flag(c.muted, "mute"), Format.age(since: c.createDate, now: now), Cell(c.callId), Cell(c.info ?? ""),
        ], tone: Format.tone(c.status.rawValue))
    }
}

/// RTMP republishers.
struct TransponderRenderer: TableRenderer {
    let columns = [
        Column("STREAM", width: 14, flexible: true), Column("STATUS", width: 15), Column("MUTE", width: 4),
        Column("SOUND", width: 5), Column("SIZE", width: 9, .right), Column("AGE", width: 6, .right),
        Column("RTMP URL", width: 24, flexible: true), Column("INFO", width: 12, flexible: true, min: 0),
    ]
    func row(_ o: LiveObject, now: Int64) -> Row {
        guard let t = o.typed as? Transponder else { return Renderers.fallback(o, width: columns.count) }
        return Row(id: Renderers.rowID(o), cells: [
            Cell(t.localStreamName), Cell(t.status), Format.flag(t.muted, "mute"), Format.flag(t.soundEnabled, "on"),
            Cell(t.width > 0 ? "\(t.width)x\(t.height)" : "-", sort: .number(Double(t.width * t.height))),
            Format.age(since: t.createDate, now: now), Cell(t.rtmpUrl + "/" + t.streamName), Cell(t.info ?? ""),
        ], tone: Format.tone(t.status))
    }
}

/// Mixers.
struct MixerRenderer: TableRenderer {
    let columns = [
        Column("OUTPUT", width: 14, flexible: true), Column("STATUS", width: 15), Column("INPUTS", width: 6, .right),
        Column("REC", width: 3), Column("AGE", width: 6, .right), Column("URI", width: 20, flexible: true),
        Column("INPUT STREAMS", width: 20, flexible: true, min: 0),
    ]
    func row(_ o: LiveObject, now: Int64) -> Row {
        guard let m = o.typed as? Mixer else { return Renderers.fallback(o, width: columns.count) }
        return Row(id: Renderers.rowID(o), cells: [
            Cell(m.localStreamName), Cell(m.status), .int(m.mediaSessions.count), Format.flag(m.record, "rec"),
            Format.age(since: m.createDate, now: now), Cell(m.uri),
            Cell(m.mediaSessions.map(\.localStreamName).joined(separator: ",")),
        ], tone: Format.tone(m.status))
    }
}

/// Transcoders.
struct TranscoderRenderer: TableRenderer {
    let columns = [
        Column("OUTPUT", width: 14, flexible: true), Column("FROM", width: 12, flexible: true),
        Column("STATUS", width: 12), Column("CODEC", width: 5), Column("SIZE", width: 9, .right),
        Column("KBPS", width: 6, .right), Column("AGE", width: 6, .right), Column("URI", width: 16, flexible: true),
    ]
    func row(_ o: LiveObject, now: Int64) -> Row {
        guard let t = o.typed as? Transcoder else { return Renderers.fallback(o, width: columns.count) }
        let e = t.encoder
        let size = (e.width ?? 0) > 0 || (e.height ?? 0) > 0 ? "\(e.width ?? 0)x\(e.height ?? 0)" : "-"
        return Row(id: Renderers.rowID(o), cells: [
            Cell(t.localStreamName), Cell(t.remoteStreamName), Cell(t.status), Cell(e.codec ?? "-"), Cell(size),
            e.bitrate.map { .int($0) } ?? Cell("-"), Format.age(since: t.createDate, now: now), Cell(t.uri),
        ], tone: Format.tone(t.status))
    }
}

/// RTSP, RTMP and WebRTC pulls in one table.
struct PullRenderer: TableRenderer {
    let columns = [
        Column("STREAM", width: 14, flexible: true), Column("TYPE", width: 6), Column("STATUS", width: 16),
        Column("AGE", width: 6, .right), Column("URI", width: 24, flexible: true), Column("INFO", width: 14, flexible: true, min: 0),
    ]
    func row(_ o: LiveObject, now: Int64) -> Row {
        let type: String, status: String, uri: String, info: String?, created: Int64
        switch o.typed {
        case let a as RtspAgent: (type, status, uri, info, created) = ("RTSP", a.status, a.uri, a.info, a.createDate)
        case let a as RtmpAgent: (type, status, uri, info, created) = ("RTMP", a.status, a.uri, a.info, a.createDate)
        case let a as PullAgent:
            (type, status, uri, info, created) = ("WebRTC", a.status, a.uri + " " + a.remoteStreamName, a.info, a.createDate)
        default: return Renderers.fallback(o, width: columns.count)
        }
        return Row(id: Renderers.rowID(o), cells: [
            Cell(o.name), Cell(type), Cell(status), Format.age(since: created, now: now), Cell(uri), Cell(info ?? ""),
        ], tone: Format.tone(status))
    }
}

/// Files played as streams.
struct VODRenderer: TableRenderer {
    let columns = [
        Column("STREAM", width: 14, flexible: true), Column("STATUS", width: 12), Column("LOOP", width: 4),
        Column("REC", width: 3), Column("AGE", width: 6, .right), Column("URI", width: 24, flexible: true),
        Column("INFO", width: 14, flexible: true, min: 0),
    ]
    func row(_ o: LiveObject, now: Int64) -> Row {
        guard let v = o.typed as? VOD else { return Renderers.fallback(o, width: columns.count) }
        return Row(id: Renderers.rowID(o), cells: [
            Cell(v.localStreamName), Cell(v.status), Format.flag(v.loop), Format.flag(v.record, "rec"),
            Format.age(since: v.createDate, now: now), Cell(v.uri), Cell(v.info ?? ""),
        ], tone: Format.tone(v.status))
    }
}

/// Client sessions (WebSocket, RTMP).
struct ConnectionRenderer: TableRenderer {
    let columns = [
        Column("SESSION", width: 30, flexible: true), Column("VIA", width: 9), Column("STATUS", width: 11),
        Column("APP", width: 10), Column("CLIENT", width: 12, flexible: true), Column("AGE", width: 6, .right),
    ]
    func row(_ o: LiveObject, now: Int64) -> Row {
        guard let c = o.typed as? Connection else { return Renderers.fallback(o, width: columns.count) }
        let client = [c.clientVersion, c.clientOSVersion, c.clientBrowserVersion].compactMap { $0 }.joined(separator: " ")
        return Row(id: Renderers.rowID(o), cells: [
            Cell(c.sessionId), Cell(c.mediaProvider), Cell(c.status), Cell(c.appKey), Cell(client.isEmpty ? "-" : client),
            Format.age(since: c.createDate, now: now),
        ], tone: Format.tone(c.status))
    }
}
