import ArgumentParser
import Core
import Foundation
import Logging

/// `switchboard-server`: the media server's command line. Without a subcommand it runs the
/// server, so `--help` lists every flag of the server.
public struct ServerCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "switchboard-server",
        abstract: "Switchboard media server: RTMP, SIP, WebRTC and files behind a WCS-style REST API.",
        usage: """
            switchboard-server [--data-dir <dir>] [--config <file>] [--bind <addr>] [--rest-port <n>] [--ws-port <n>]
                                 [--rtmp-port <n>] [--sip-port <n>] [--sip-incoming <policy>]
                                 [--sip-incoming-users <a,b>] [--media-ports <a-b>] [--log-level <level>]
              switchboard-server hash-password < password
              switchboard-server openapi [--json]
            """,
        discussion: """
            Listens on loopback by default. Files go under --data-dir: records/, media/, logs/, and run/ \
            (server.json, the console's control socket). Port 0 picks a free port; the bound ports are logged \
            and written to run/server.json. Settings can also come from a TOML file (--config) whose keys are \
            the flag names, e.g. rest-port = 8081; flags win over the file.
            """,
        version: ServerApp.version,
        subcommands: [HashPassword.self, OpenAPI.self])

    public init() {}

    @Option(help: "Folder for records/, media/, logs/ and run/ (default ./var).") var dataDir: String?
    @Option(help: "TOML file with the same settings as these flags.") var config: String?
    @Option(help: "Address for every listener (default 127.0.0.1). Non-loopback needs REST users.") var bind: String?
    @Option(help: "REST and event-stream port (default 8081; 0 = any free port).") var restPort: Int?
    @Option(help: "WebSocket signalling port (default 8080; WebRTC is not built yet: it answers 501).") var wsPort: Int?
    @Option(help: "RTMP port (default 1935).") var rtmpPort: Int?
    @Option(help: "SIP port (default 5060).") var sipPort: Int?
    @Option(help: "Incoming SIP INVITEs: decline (603, default) or accept.") var sipIncoming: String?
    @Option(help: "With --sip-incoming accept, the only users that answer (A,B; default any); others get 404.")
    var sipIncomingUsers: String?
    @Option(help: "UDP ports for RTP and ICE, A-B (default 31000-32000).") var mediaPorts: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical (default info).") var logLevel: String?

    public func run() async throws {
        let config: ServerConfig
        do { config = try resolved() } catch { throw ValidationError("\(error)") }
        let bus = EventBus()
        let ring = LogRing(bus: bus)
        let registry = Registry(bus: bus)
        do { try DataDirectory(config.dataDir).prepare() } catch {
            throw ValidationError("cannot create the data directory \(config.dataDir): \(error.localizedDescription)")
        }
        let logFile = JSONLogFile(path: DataDirectory(config.dataDir).logs + "/server.log",
                                  maxBytes: config.logMaxBytes, keep: config.logKeep)
        let level = config.logLevel
        LoggingSystem.bootstrap { label in
            var handler = MultiplexLogHandler([
                StderrLogHandler(logLevel: level, label: label),
                JSONFileLogHandler(logLevel: level, label: label, file: logFile),
                RingLogHandler(label: label, ring: ring, level: level),
            ])
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "switchboard.server")
        logger.logLevel = level
        do {
            try await ServerApp(config: config, logger: logger, registry: registry, logs: ring).run()
        } catch {
            logger.critical("cannot run", metadata: [LogKey.error: "\(error)"])
            logFile.close()
            throw ExitCode.failure
        }
        logFile.close()
    }

    /// Defaults, then the config file, then flags.
    func resolved() throws -> ServerConfig {
        var c = ServerConfig()
        if let config {
            let text: String
            do { text = try String(contentsOfFile: config, encoding: .utf8) } catch {
                throw ServerConfig.Problem(description: "cannot read config file \(config): \(error.localizedDescription)")
            }
            try c.apply(toml: text, source: config)
        }
        if let dataDir { c.dataDir = dataDir }
        if let bind { c.bind = bind }
        if let restPort { c.restPort = try ServerConfig.port(restPort, "--rest-port") }
        if let wsPort { c.wsPort = try ServerConfig.port(wsPort, "--ws-port") }
        if let rtmpPort { c.rtmpPort = try ServerConfig.port(rtmpPort, "--rtmp-port") }
        if let sipPort { c.sipPort = try ServerConfig.port(sipPort, "--sip-port") }
        if let sipIncoming { c.sipIncoming = try ServerConfig.incoming(sipIncoming) }
        if let sipIncomingUsers {
            c.sipIncomingUsers = try ServerConfig.incomingUsers(sipIncomingUsers.split(separator: ",").map(String.init))
        }
        if let mediaPorts { c.mediaPorts = try PortRange(parsing: mediaPorts) }
        if let logLevel { c.logLevel = try ServerConfig.level(logLevel) }
        return c
    }
}

/// Prints a salted hash of a password for the `[users]` table of the config file.
struct HashPassword: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash-password",
        abstract: "Print a salted hash for [users] in the config file.",
        discussion: "Reads the password from standard input (one line), so it stays out of shell history.")

    func run() throws {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("give the password on standard input")
        }
        print(try PasswordHash.make(password: line).encoded)
    }
}

/// Prints the OpenAPI document (docs/openapi.yaml is this output).
struct OpenAPI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi", abstract: "Print the OpenAPI 3.1 document of the REST API.")

    @Flag(help: "JSON instead of YAML.") var json = false

    func run() throws {
        let doc = OpenAPIDocument.build(table: .standard, version: ServerApp.version)
        if json {
            print(String(decoding: EventStream.encode(doc), as: UTF8.self))
        } else {
            print(YAMLWriter.yaml(doc), terminator: "")
        }
    }
}
