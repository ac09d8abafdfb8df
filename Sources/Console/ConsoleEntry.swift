import ArgumentParser
import Core
import Foundation

/// `switchboard`: the operator console. Attaches to a running server over its control socket
/// or its REST port; quitting never stops the server.
public struct ConsoleOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The server's data directory (finds run/switchboard.sock).")
    var dataDir: String?
    @Option(help: "The server's control socket.")
    var socket: String?
    @Option(help: "The server's REST address, http://host:port.")
    var url: String?
    @Option(help: "User for HTTP Basic auth with --url (password from SWITCHBOARD_PASSWORD or a prompt).")
    var user: String?
    @Flag(help: "Disable every action: watch only.")
    var readonly = false
    @Option(help: "Theme name (default, light, high-contrast, mono) or a .toml file.")
    var theme = "default"
    @Flag(help: "Draw lines with ASCII (automatic when the locale is not UTF-8).")
    var ascii = false
    @Flag(name: .customLong("no-color"), help: "No colours (also when NO_COLOR is set).")
    var noColor = false
    @Option(name: .customShort("x"), help: "Run one command, print the result and exit (e.g. \"streams\", \"terminate stream cam1\").")
    var execute: String?

    /// Options with their defaults (ArgumentParser fills them).
    public init() {}

    /// The command name in help output.
    public static let configuration = CommandConfiguration(commandName: "switchboard")

    /// Rejects contradictory attach options.
    public mutating func validate() throws {
        let given = [dataDir, socket, url].compactMap { $0 }.count
        guard given <= 1 else { throw ValidationError("give only one of --data-dir, --socket and --url") }
        if user != nil, url == nil { throw ValidationError("--user needs --url") }
    }

    /// Where to attach.
    func endpoint() throws -> Endpoint {
        if let socket { return .unix(path: socket) }
        if let url {
            var password: String? = nil
            if let user {
                password = ProcessInfo.processInfo.environment["SWITCHBOARD_PASSWORD"]
                if password == nil, let p = getpass("password for \(user): ") { password = String(cString: p) }
            }
            return try Endpoint.url(url, user: user, password: password)
        }
        let dir = dataDir ?? "var"
        let serverJSON = dir + "/run/server.json"
        if let data = FileManager.default.contents(atPath: serverJSON),
            let info = try? JSONDecoder().decode([String: JSONValue].self, from: data),
            let path = info["socket"]?.stringValue, !path.isEmpty
        {
            return .unix(path: path)
        }
        let socketPath = dir + "/run/switchboard.sock"
        if dataDir != nil || FileManager.default.fileExists(atPath: socketPath) { return .unix(path: socketPath) }
        return .tcp(host: "127.0.0.1", port: 8081, authorization: nil)
    }
}

/// The entry point `main.swift` calls.
public enum ConsoleEntry {
    /// Parses the options, then runs `-x` or the interactive console; exits with its code.
    public static func main() async {
        let options = ConsoleOptions.parseOrExit()
        let endpoint: Endpoint
        do {
            endpoint = try options.endpoint()
        } catch {
            FileHandle.standardError.write(Data("switchboard: \(error)\n".utf8))
            exit(2)
        }
        if let line = options.execute {
            exit(await OneShot(endpoint: endpoint, isReadOnly: options.readonly).run(line))
        }
        let noColor = options.noColor || !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let utf8 = CursesScreen.localeIsUTF8
        var (theme, warning) = ThemeLoader.load(noColor ? "mono" : options.theme)
        if noColor, options.theme != "default", options.theme != "mono" {
            // NO_COLOR wins over a colour theme; keep its attributes only.
            let chosen = ThemeLoader.load(options.theme)
            theme = chosen.0
            warning = chosen.1
        }
        let app = ConsoleApp(
            endpoint: endpoint, isReadOnly: options.readonly, theme: theme, themeWarning: warning,
            useColor: !noColor, glyphs: options.ascii || !utf8 ? .ascii : .unicode)
        do {
            try await app.run()
        } catch {
            FileHandle.standardError.write(Data("switchboard: \(error)\n".utf8))
            exit(1)
        }
    }
}
