import CNCursesW
import Foundation

/// The terminal through ncursesw: the only code that calls curses. It owns the screen from
/// `init` to `end()`; nothing else may write to stdout meanwhile.
///
/// Set-up follows htop: the locale from the environment (for UTF-8), raw mode so Ctrl-C is a key
/// that quits the console only, a 25 ms ESCDELAY so Esc is quick over SSH, no mouse, the
/// terminal's default colours (`use_default_colors`). Each frame is drawn into curses' virtual
/// screen; `doupdate` then sends only the cells that changed.
public final class CursesScreen {
    private let window: UnsafeMutablePointer<WINDOW>
    private var pairs: [Role: (attrs: attr_t, pair: Int16)] = [:]
    private var isEnded = false
    /// Whether colours are in use (false for NO_COLOR, --no-color, or a terminal without colours).
    public private(set) var usesColor = false
    /// Colours the terminal has.
    public private(set) var colorCount = 0

    /// Takes over the terminal.
    /// - Parameters:
    ///   - theme: the styles per role.
    ///   - color: false to draw with attributes only.
    /// - Throws: `ConsoleError.usage` when stdin/stdout is not a terminal curses can use.
    public init(theme: Theme, color: Bool) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw ConsoleError.usage("switchboard needs a terminal (use -x \"<command>\" for scripts)")
        }
        guard let w = initscr() else { throw ConsoleError.usage("cannot initialise the terminal (TERM?)") }
        window = w
        raw()
        noecho()
        nonl()
        keypad(window, true)
        _ = cn_set_escdelay(25)
        curs_set(0)
        _ = mousemask(0, nil)
        wtimeout(window, 100)
        apply(theme: theme, color: color)
    }

    deinit { end() }

    /// Gives the terminal back (idempotent).
    public func end() {
        guard !isEnded else { return }
        isEnded = true
        endwin()
    }

    /// Sets the colour pairs for `theme`.
    public func apply(theme: Theme, color: Bool) {
        usesColor = color && has_colors()
        var theme = theme
        if usesColor {
            start_color()
            use_default_colors()
            colorCount = Int(cn_colors())
        } else {
            theme = theme.withoutColor()
        }
        pairs = [:]
        for (i, role) in Role.allCases.enumerated() {
            let style = theme.style(role)
            var attrs = cn_a_normal()
            for a in style.attributes {
                switch a {
                case .bold: attrs |= cn_a_bold()
                case .dim: attrs |= cn_a_dim()
                case .reverse: attrs |= cn_a_reverse()
                case .underline: attrs |= cn_a_underline()
                }
            }
            var pair: Int16 = 0
            if usesColor {
                let fg = clampColor(style.foreground.resolved(colors: colorCount))
                let bg = clampColor(style.background.resolved(colors: colorCount))
                if fg >= 0 || bg >= 0, i + 1 < Int(cn_color_pairs()) {
                    pair = Int16(i + 1)
                    init_pair(pair, Int16(fg), Int16(bg))
                }
            }
            pairs[role] = (attrs, pair)
        }
    }

    private func clampColor(_ c: Int) -> Int { c < colorCount ? c : (c < 0 ? -1 : c % 8) }

    /// Rows and columns now.
    public var size: (rows: Int, cols: Int) { (Int(getmaxy(window)), Int(getmaxx(window))) }

    /// Starts a frame: clears the virtual screen (nothing is sent yet).
    public func beginFrame() { werase(window) }

    /// Ends a frame: sends what changed.
    public func endFrame() {
        wnoutrefresh(window)
        doupdate()
    }

    /// Catches a size change curses missed: KEY_RESIZE can be swallowed while an escape sequence
    /// is being read (Esc pressed during a resize). Asks the terminal itself each loop (one ioctl).
    /// - Returns: true when the size changed and curses was told.
    public func syncSize() -> Bool {
        var ws = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0 else { return false }
        let (rows, cols) = size
        guard Int(ws.ws_row) != rows || Int(ws.ws_col) != cols else { return false }
        resizeterm(Int32(ws.ws_row), Int32(ws.ws_col))
        clearok(window, true)
        return true
    }

    /// Forgets what the terminal shows, so the next frame repaints everything (Ctrl-L, resize).
    public func invalidate() { clearok(window, true) }

    /// Writes text at a cell in a role's style, clipped at the right edge.
    public func put(_ y: Int, _ x: Int, _ text: String, _ role: Role) {
        let (rows, cols) = size
        guard y >= 0, y < rows, x >= 0, x < cols else { return }
        let style = pairs[role] ?? (cn_a_normal(), 0)
        wattr_set(window, style.attrs, style.pair, nil)
        wmove(window, Int32(y), Int32(x))
        // Clip to the line; writing the bottom-right cell would scroll, so leave it.
        let room = cols - x - (y == rows - 1 ? 1 : 0)
        let clipped = TextFit.truncate(text, room, ellipsis: "")
        waddnstr(window, clipped, -1)
    }

    /// Waits up to the input timeout (100 ms) for a key.
    public func readKey() -> Key? {
        var ch: wint_t = 0
        let r = wget_wch(window, &ch)
        if r == ERR { return nil }
        if r == cn_key_code_yes() { return Self.functionKey(Int32(ch)) }
        return Self.characterKey(ch)
    }

    /// The key for a character code from `wget_wch`.
    static func characterKey(_ ch: wint_t) -> Key? {
        switch ch {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26:
            guard let scalar = Unicode.Scalar(UInt32(ch) + 96) else { return nil }
            return .ctrl(Character(scalar))
        default:
            guard let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
            return .char(Character(scalar))
        }
    }

    /// The key for a curses function-key code.
    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME: .home
        case KEY_END: .end
        case KEY_ENTER: .enter
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_BTAB: .backTab
        case KEY_RESIZE: .resize
        case KEY_F0...(KEY_F0 + 12): .function(Int(code - KEY_F0))
        default: nil
        }
    }

    /// Whether the locale's codeset is UTF-8 (otherwise the console draws ASCII).
    public static var localeIsUTF8: Bool {
        setlocale(LC_ALL, "")
        guard let cs = cn_codeset() else { return false }
        let name = String(cString: cs).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }
}

/// Lets the painter draw on the curses screen.
struct CursesCanvas: Canvas {
    /// The screen drawn on.
    let screen: CursesScreen
    /// The size at the start of the frame.
    let size: (rows: Int, cols: Int)
    /// A canvas for one frame.
    init(_ screen: CursesScreen) {
        self.screen = screen
        self.size = screen.size
    }
    /// Draws through the screen.
    mutating func put(_ y: Int, _ x: Int, _ text: String, _ role: Role) { screen.put(y, x, text, role) }
}
