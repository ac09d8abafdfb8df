/// Fitting text into terminal columns: display width (wide CJK/emoji count 2, combining marks 0),
/// truncation with an ellipsis, padding.
public enum TextFit {
    /// The columns a scalar takes on a terminal.
    static func width(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if (0x0300...0x036F).contains(v) || (0x200B...0x200F).contains(v) || (0xFE00...0xFE0F).contains(v) { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
        {
            return 2
        }
        return 1
    }

    /// The columns `text` takes.
    public static func width(_ text: String) -> Int { text.unicodeScalars.reduce(0) { $0 + width($1) } }

    /// `text` cut to at most `columns`, ending in `ellipsis` when cut.
    public static func truncate(_ text: String, _ columns: Int, ellipsis: String = "…") -> String {
        guard columns > 0 else { return "" }
        guard width(text) > columns else { return text }
        let room = columns - width(ellipsis)
        guard room > 0 else { return String(repeating: ".", count: columns) }
        var out = String.UnicodeScalarView()
        var used = 0
        for s in text.unicodeScalars {
            let w = width(s)
            if used + w > room { break }
            out.append(s)
            used += w
        }
        return String(out) + ellipsis
    }

    /// `text` truncated or padded with spaces to exactly `columns`.
    public static func fit(_ text: String, _ columns: Int, _ alignment: Alignment = .left, ellipsis: String = "…") -> String {
        let cut = truncate(text, columns, ellipsis: ellipsis)
        let pad = String(repeating: " ", count: max(0, columns - width(cut)))
        return alignment == .left ? cut + pad : pad + cut
    }

    /// Splits `text` into lines of at most `columns` (for wrapped log lines).
    public static func wrap(_ text: String, _ columns: Int) -> [String] {
        guard columns > 0 else { return [] }
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var used = 0
        for s in text.unicodeScalars {
            let w = width(s)
            if used + w > columns {
                lines.append(String(current))
                current = String.UnicodeScalarView()
                used = 0
            }
            current.append(s)
            used += w
        }
        lines.append(String(current))
        return lines
    }

    /// Column widths for a table `total` columns wide, one space between columns. Spare room
    /// is shared by the flexible columns; when short, flexible columns shrink to their minimum,
    /// then columns are dropped from the right (width 0).
    public static func layout(_ columns: [Column], total: Int) -> [Int] {
        var widths = columns.map(\.width)
        let flexible = columns.indices.filter { columns[$0].isFlexible }
        func used() -> Int {
            let shown = widths.filter { $0 > 0 }
            return shown.reduce(0, +) + max(0, shown.count - 1)
        }
        var spare = total - used()
        if spare > 0, !flexible.isEmpty {
            let share = spare / flexible.count
            for i in flexible { widths[i] += share }
            widths[flexible[0]] += spare - share * flexible.count
            return widths
        }
        for i in flexible.reversed() where spare < 0 {
            let take = min(max(0, widths[i] - columns[i].minWidth), -spare)
            widths[i] -= take
            spare += take
            if widths[i] == 0 { spare += 1 }  // its separator goes too
        }
        var j = columns.count - 1
        while used() > total, j > 0 {
            widths[j] = 0
            j -= 1
        }
        if used() > total, !widths.isEmpty { widths[0] = max(0, total) }
        return widths
    }
}
