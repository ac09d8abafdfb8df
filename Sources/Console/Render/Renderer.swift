import Core

/// Turns objects of one table into rows: pure, so tests render fixtures and compare cells.
public protocol TableRenderer: Sendable {
    /// The columns, in order.
    var columns: [Column] { get }
    /// The row for `object`, with ages measured at `now` (ms since 1970).
    func row(_ object: LiveObject, now: Int64) -> Row
    /// What `object` sorts by in `column`, ideally without formatting the other cells.
    func sortKey(_ object: LiveObject, column: Int, now: Int64) -> SortKey
}

extension TableRenderer {
    /// Formats the whole row and takes the column's key (renderers of small tables keep this).
    public func sortKey(_ object: LiveObject, column: Int, now: Int64) -> SortKey {
        row(object, now: now).sortKey(column)
    }
}

/// The renderer of each tab, in one table (k9s `registrar.go`).
public enum Renderers {
    /// The renderer that draws `tab`.
    public static func renderer(for tab: Tab) -> any TableRenderer {
        switch tab {
        case .calls: CallRenderer()
        case .streams: StreamRenderer()
        case .transponders: TransponderRenderer()
        case .mixers: MixerRenderer()
        case .transcoders: TranscoderRenderer()
        case .pulls: PullRenderer()
        case .vod: VODRenderer()
        case .connections: ConnectionRenderer()
        }
    }

    /// Every row of `tab` from `model`, unsorted; each is formatted only when read.
    public static func rows(_ tab: Tab, model: LiveModel, now: Int64) -> [Row] {
        let renderer = renderer(for: tab)
        return tab.kinds.flatMap { model.list($0) }.map { Row(id: rowID($0), object: $0, renderer: renderer, now: now) }
    }

    /// The row id of an object: kind and key, so rows of Pulls' three kinds never collide.
    public static func rowID(_ object: LiveObject) -> String { object.kind.rawValue + "/" + object.id }

    /// A fallback row when the object's fields did not decode as its Core type.
    static func fallback(_ object: LiveObject, width: Int) -> Row {
        var cells = [Cell(object.name), Cell(object.raw["status"]?.displayText ?? "?")]
        while cells.count < width { cells.append(Cell("")) }
        return Row(id: rowID(object), cells: Array(cells.prefix(width)), tone: .warn)
    }
}

/// Shared cell formatting.
enum Format {
    /// An age such as `42s`, `7m`, `3h12m`, `5d`.
    static func age(since createDate: Int64, now: Int64) -> Cell {
        let seconds = max(0, (now - createDate) / 1000)
        return .number(Double(seconds), duration(seconds))
    }

    /// A duration such as `42s`, `7m05s`, `3h12m`, `5d3h`.
    static func duration(_ seconds: Int64) -> String {
        switch seconds {
        case ..<60: return "\(seconds)s"
        case ..<3600: return "\(seconds / 60)m" + pad2(seconds % 60) + "s"
        case ..<86400: return "\(seconds / 3600)h" + pad2(seconds % 3600 / 60) + "m"
        default: return "\(seconds / 86400)d\(seconds % 86400 / 3600)h"
        }
    }

    private static func pad2(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// A bitrate in kbps for a table cell: `850`, or `12.4M` from 10 Mbps on.
    static func kbps(_ k: Int) -> String {
        k >= 10_000 ? format1(Double(k) / 1000) + "M" : String(k)
    }

    /// A bitrate with its unit for the header: `850k`, `4.5M`.
    static func bitrate(_ k: Int) -> String {
        k >= 1000 ? format1(Double(k) / 1000) + "M" : "\(k)k"
    }

    /// `x` with one decimal, without Foundation formatting.
    static func format1(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// `yes`/`-` for flags, so a column of flags reads at a glance.
    static func flag(_ b: Bool, _ text: String = "yes") -> Cell { Cell(b ? text : "-") }

    /// The row tone of a WCS status word.
    static func tone(_ status: String) -> RowTone {
        switch status.uppercased() {
        case "FAILED", "BUSY": .bad
        case "PENDING", "NEW", "RECONNECTING", "CONNECTING", "TRYING", "RING", "RING_MEDIA", "SESSION_PROGRESS",
            "PAUSED", "HOLD":
            .warn
        default: .normal
        }
    }
}
