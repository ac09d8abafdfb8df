@testable import Console
import Foundation
import Testing

@Suite("Themes")
struct ThemeTests {
    static let themesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes").path

    @Test("every shipped theme parses and styles every role", arguments: ThemeLoader.builtInNames)
    func shipped(name: String) throws {
        let text = try String(contentsOfFile: Self.themesDir + "/\(name).toml", encoding: .utf8)
        let theme = try ThemeLoader.parse(text, name: name)
        #expect(theme.name == name)
        let (loaded, warning) = ThemeLoader.load(name, searchPaths: [Self.themesDir])
        #expect(warning == nil)
        #expect(loaded.name == name)
        #expect(loaded.style(.selected) != loaded.style(.text))
    }

    @Test("the compiled-in default equals themes/default.toml")
    func embeddedDefault() throws {
        let text = try String(contentsOfFile: Self.themesDir + "/default.toml", encoding: .utf8)
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines)
            == defaultThemeTOML.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("palette colours resolve to 256-colour indexes or their 8-colour fallback")
    func colourDepth() throws {
        let theme = try ThemeLoader.parse("""
            [palette]
            accent = { c8 = "cyan", c256 = 75 }
            [roles.title]
            fg = "accent"
            bg = "default"
            attrs = ["bold", "underline"]
            [roles.dim]
            fg = "244"
            """, name: "t")
        let title = theme.style(.title)
        #expect(title.foreground.resolved(colors: 256) == 75)
        #expect(title.foreground.resolved(colors: 8) == 6)
        #expect(title.background.resolved(colors: 256) == -1)
        #expect(title.attributes == [.bold, .underline])
        #expect(theme.style(.dim).foreground.resolved(colors: 8) == 7)
        #expect(theme.style(.header) == theme.style(.text))
    }

    @Test("errors name what is wrong", arguments: [
        ("[roles.nope]\nfg = \"red\"", "unknown role 'nope'"),
        ("[roles.text]\nfg = \"purple\"", "unknown colour 'purple'"),
        ("[roles.text]\nattrs = [\"blink\"]", "unknown attribute 'blink'"),
        ("[roles.text\nfg=1", "line "),
        ("[roles.text]\nfg = \"300\"", "not 0…255"),
    ])
    func errors(text: String, message: String) {
        #expect {
            try ThemeLoader.parse(text, name: "bad")
        } throws: { error in
            (error as? ConsoleError)?.description.contains(message) == true
        }
    }

    @Test("a broken or missing theme falls back to the default with a message")
    func fallback() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("themes-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "[roles.text\n".write(to: dir.appendingPathComponent("broken.toml"), atomically: true, encoding: .utf8)
        let (theme, warning) = ThemeLoader.load("broken", searchPaths: [dir.path])
        #expect(theme.name == "default")
        #expect(warning?.contains("broken.toml") == true)
        let (_, missing) = ThemeLoader.load("nosuch", searchPaths: [dir.path])
        #expect(missing?.contains("not found") == true)
    }

    @Test("without colour a theme keeps attributes and the selection stays visible")
    func noColor() {
        let plain = ThemeLoader.builtInDefault.withoutColor()
        #expect(!plain.hasColor)
        #expect(!plain.style(.selected).attributes.isEmpty)
        #expect(plain.style(.header).attributes.contains(.bold))
    }
}
