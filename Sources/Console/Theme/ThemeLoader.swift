import Foundation
import TOMLKit

/// Reads theme files: TOML with an optional `[palette]` of named colours, then `[roles.<role>]`
/// tables with `fg`, `bg` (a palette name, an ANSI colour name, `default`, or a number 0…255)
/// and `attrs` (bold, dim, reverse, underline).
///
/// ```toml
/// [palette]
/// accent = { c8 = "cyan", c256 = 75 }
/// [roles.header]
/// fg = "accent"
/// attrs = ["bold"]
/// ```
public enum ThemeLoader {
    /// Themes shipped in `themes/`.
    public static let builtInNames = ["default", "light", "high-contrast", "mono"]

    private struct File: Decodable {
        var name: String?
        var palette: [String: PaletteEntry]?
        var roles: [String: RoleEntry]
    }
    private struct PaletteEntry: Decodable {
        var c8: String
        var c256: Int?
    }
    private struct RoleEntry: Decodable {
        var fg: String?
        var bg: String?
        var attrs: [String]?
    }

    /// Parses theme TOML.
    /// - Parameters:
    ///   - text: the file contents.
    ///   - name: the name to use when the file has none.
    /// - Throws: `ConsoleError.theme` naming the line, role, colour or attribute at fault.
    public static func parse(_ text: String, name: String) throws -> Theme {
        let file: File
        do {
            file = try TOMLDecoder().decode(File.self, from: text)
        } catch let error as TOMLParseError {
            throw ConsoleError.theme("line \(error.source.begin.line): \(error.description)")
        } catch let DecodingError.keyNotFound(key, _) {
            throw ConsoleError.theme("missing key '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw ConsoleError.theme("wrong type at '\(path)'")
        } catch {
            throw ConsoleError.theme("\(error)")
        }
        var palette: [String: ThemeColor] = [:]
        for (key, entry) in file.palette ?? [:] {
            let basic = try basicColor(entry.c8, context: "palette.\(key)")
            if let c = entry.c256, !(0...255).contains(c) {
                throw ConsoleError.theme("palette.\(key): c256 \(c) is not 0…255")
            }
            palette[key] = ThemeColor(basic: basic, extended: entry.c256)
        }
        var styles: [Role: Style] = [:]
        for (key, entry) in file.roles {
            guard let role = Role(rawValue: key) else {
                throw ConsoleError.theme("unknown role '\(key)' (roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            var style = Style()
            if let fg = entry.fg { style.foreground = try color(fg, palette: palette, context: "roles.\(key).fg") }
            if let bg = entry.bg { style.background = try color(bg, palette: palette, context: "roles.\(key).bg") }
            for a in entry.attrs ?? [] {
                guard let attribute = Attribute(rawValue: a.lowercased()) else {
                    throw ConsoleError.theme("roles.\(key): unknown attribute '\(a)' (bold, dim, reverse, underline)")
                }
                style.attributes.insert(attribute)
            }
            styles[role] = style
        }
        return Theme(name: file.name ?? name, styles: styles)
    }

    private static func basicColor(_ text: String, context: String) throws -> Int {
        let t = text.lowercased()
        if t == "default" { return -1 }
        if let i = ThemeColor.names.firstIndex(of: t) { return i }
        throw ConsoleError.theme("\(context): unknown colour '\(text)' (default, \(ThemeColor.names.joined(separator: ", ")))")
    }

    private static func color(_ text: String, palette: [String: ThemeColor], context: String) throws -> ThemeColor {
        if let named = palette[text] { return named }
        if let n = Int(text) {
            guard (0...255).contains(n) else { throw ConsoleError.theme("\(context): colour \(n) is not 0…255") }
            // A bare 256-colour number falls back to the nearest basic colour on 8-colour terminals.
            return ThemeColor(basic: n < 8 ? n : (n < 16 ? n - 8 : 7), extended: n)
        }
        return ThemeColor(basic: try basicColor(text, context: context))
    }

    /// Where theme files are looked for: `$SWITCHBOARD_THEMES`, `./themes`, and `themes/`
    /// beside or above the executable (`.build/debug/switchboard` finds the checkout's).
    public static func searchPaths() -> [String] {
        var paths: [String] = []
        if let env = ProcessInfo.processInfo.environment["SWITCHBOARD_THEMES"] { paths.append(env) }
        paths.append(FileManager.default.currentDirectoryPath + "/themes")
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<4 {
            paths.append(dir.appendingPathComponent("themes").path)
            paths.append(dir.appendingPathComponent("share/switchboard/themes").path)
            dir = dir.deletingLastPathComponent()
        }
        return paths
    }

    /// Loads a theme by name (a file in the search paths) or by path (anything with a `/` or `.toml`).
    /// A missing or broken theme falls back to the built-in default with a message saying why.
    /// - Returns: the theme, and a warning for the status line when it fell back.
    public static func load(_ nameOrPath: String, searchPaths: [String] = searchPaths()) -> (Theme, String?) {
        let candidates: [String]
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            candidates = [nameOrPath]
        } else {
            candidates = searchPaths.map { $0 + "/" + nameOrPath + ".toml" }
        }
        guard let path = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) else {
            if nameOrPath == "default" { return (builtInDefault, nil) }
            return (builtInDefault, "theme '\(nameOrPath)' not found; using the default theme")
        }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return (try parse(text, name: nameOrPath), nil)
        } catch {
            return (builtInDefault, "theme \(path): \(error); using the default theme")
        }
    }

    /// The default theme compiled in, so the console looks right with no theme files installed.
    /// It is `themes/default.toml` (a test keeps the two equal).
    public static var builtInDefault: Theme {
        // The embedded text is a constant checked by tests; failing to parse it is a programmer error.
        (try? parse(defaultThemeTOML, name: "default")) ?? Theme(name: "default", styles: [.selected: Style(attributes: [.reverse])])
    }
}
