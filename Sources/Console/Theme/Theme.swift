/// What a piece of the screen is, so themes give colours by role, not by widget (k9s skins).
public enum Role: String, Sendable, CaseIterable {
    case text, header, headerLabel = "header_label", title, border, tableHeader = "table_header"
    case selected, footerKey = "footer_key", footerText = "footer_text", danger
    case statusOK = "status_ok", statusWarn = "status_warn", statusError = "status_error"
    case detached, rowGood = "row_good", rowWarn = "row_warn", rowBad = "row_bad", prompt, dim
    case logTrace = "log_trace", logDebug = "log_debug", logInfo = "log_info", logNotice = "log_notice"
    case logWarning = "log_warning", logError = "log_error", logCritical = "log_critical"
}

/// A text attribute.
public enum Attribute: String, Sendable, CaseIterable {
    case bold, dim, reverse, underline
}

/// A colour as a theme gives it: the terminal default, one of the 8 ANSI colours, or a
/// 256-colour index with an 8-colour fallback.
public struct ThemeColor: Sendable, Equatable {
    /// `-1` for the terminal default, else 0…7.
    public var basic: Int
    /// 0…255 when the theme gives one.
    public var extended: Int?

    /// The terminal's own colour (`use_default_colors`).
    public static let terminalDefault = ThemeColor(basic: -1, extended: nil)

    /// A colour; `extended` is used on 256-colour terminals.
    public init(basic: Int, extended: Int? = nil) {
        self.basic = basic
        self.extended = extended
    }

    /// The colour number to use on a terminal with `colors` colours.
    public func resolved(colors: Int) -> Int {
        if let extended, colors >= 256 { return extended }
        return basic
    }

    /// The ANSI names of the 8 basic colours, in number order.
    public static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
}

/// How one role looks.
public struct Style: Sendable, Equatable {
    /// Text colour.
    public var foreground: ThemeColor
    /// Background colour.
    public var background: ThemeColor
    /// Bold, dim, reverse, underline.
    public var attributes: Set<Attribute>
    /// A style.
    public init(foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
                attributes: Set<Attribute> = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// A complete theme: a style for every role.
public struct Theme: Sendable {
    /// The theme's name.
    public var name: String
    /// Whether the theme uses colour at all (`mono` does not).
    public var hasColor: Bool { styles.values.contains { $0.foreground.basic >= 0 || $0.background.basic >= 0 } }
    private var styles: [Role: Style]

    /// A theme from styles per role.
    public init(name: String, styles: [Role: Style]) {
        self.name = name
        self.styles = styles
    }

    /// The style of `role`; a role the theme leaves out looks like `text`.
    public func style(_ role: Role) -> Style { styles[role] ?? styles[.text] ?? Style() }

    /// The same theme without colours, keeping attributes (`NO_COLOR`, `--no-color`, no colour support).
    /// The selection stays visible: it is reversed when the theme gives it no attribute.
    public func withoutColor() -> Theme {
        var plain = styles.mapValues { Style(attributes: $0.attributes) }
        if plain[.selected]?.attributes.isEmpty ?? true { plain[.selected] = Style(attributes: [.reverse]) }
        return Theme(name: name + " (no colour)", styles: plain)
    }
}
