import Core
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

/// The running server: builds every part from a configuration and runs it until SIGINT/SIGTERM.
struct ServerApp {
    static let version = "0.1.0"

    let config: ServerConfig
    let logger: Logger
    let registry: Registry
    let logs: LogRing

    /// Runs until a signal; returns normally after a graceful shutdown.
    func run() async throws {
        // Bind failures end the server with their error, and the file never announces a half-started server.
        let data = DataDirectory(config.dataDir)
        try data.prepare()
        let lock = try InstanceLock(path: data.lockFile, runFile: data.runFile)
        defer { withExtendedLifetime(lock) {} }

        if !config.isLoopbackOnly && config.users.isEmpty {
            throw ServerConfig.Problem(description:
                "refusing to serve REST on \(config.bind) without credentials: anyone who reaches that address could control the server. Add users (switchboard-server hash-password) to the config, or bind to 127.0.0.1")
        }
        let users = try config.users.mapValues { text in
            do { return try PasswordHash(parsing: text) } catch {
                throw ServerConfig.Problem(description: "users: \(error)")
            }
        }

        let info = RuntimeInfo(version: Self.version, dataDir: data.root)
        var services = Services(registry: registry, logger: logger.with(label: "switchboard.rest"))
        let subsystems = Subsystems(registry: registry, data: data, config: config, logger: logger)
        subsystems.wire(&services)
        let table = MethodTable.standard
        let openAPI = ByteBuffer(bytes: EventStream.encode(OpenAPIDocument.build(table: table, version: Self.version)))
        let events = EventStream(registry: registry, logs: logs, info: info)
        func responder(auth: BasicAuthenticator?) -> RESTResponder {
            RESTResponder(table: table, services: services, info: info, events: events, openAPI: openAPI, auth: auth)
        }

        let book = ListenerBook(expecting: ["rest", "ws", "socket", "rtmp", "sip"]) { [logger] in
            do { try RunFile.write(info.body, to: data.runFile) } catch {
                logger.error("cannot write server.json", metadata: [LogKey.error: "\(error)"])
            }
        }
        defer { RunFile.remove(data.runFile) }

        unlink(data.socket)  // a socket file left by a killed server; the lock proves it is stale
        defer { unlink(data.socket) }

        let restLogger = logger.with(label: "switchboard.rest")
        let tcp = Application(
            responder: responder(auth: users.isEmpty ? nil : BasicAuthenticator(users: users)),
            configuration: .init(address: .hostname(config.bind, port: config.restPort), serverName: "switchboard"),
            onServerRunning: { channel in
                let address = Self.describe(channel.localAddress)
                info.set(.rest, address)
                restLogger.info("REST listening", metadata: [LogKey.address: "\(address)", "auth": "\(!users.isEmpty)"])
                book.bound("rest")
            },
            logger: restLogger)
        let wsLogger = logger.with(label: "switchboard.ws")
        let ws = Application(
            responder: SignallingPlaceholder(),
            configuration: .init(address: .hostname(config.bind, port: config.wsPort), serverName: "switchboard"),
            onServerRunning: { channel in
                let address = Self.describe(channel.localAddress)
                info.set(.ws, address)
                wsLogger.info("WebSocket signalling listening (not built yet: answers 501)",
                              metadata: [LogKey.address: "\(address)"])
                book.bound("ws")
            },
            logger: wsLogger)
        let socketPath = data.socket
        let unix = Application(
            responder: responder(auth: nil),
            configuration: .init(address: .unixDomainSocket(path: socketPath), serverName: "switchboard"),
            onServerRunning: { _ in
                chmod(socketPath, 0o600)
                info.set(.socket, socketPath)
                restLogger.info("control socket listening", metadata: [LogKey.file: "\(socketPath)"])
                book.bound("socket")
            },
            logger: restLogger)

        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: tcp), .init(service: unix), .init(service: ws),
                    .init(service: subsystems.rtmpService(bind: config.bind, port: config.rtmpPort, info: info, book: book)),
                    .init(service: subsystems.sipService(bind: config.bind, info: info, book: book)),
                    // Last in the list, so it is asked to stop first: ends event streams so the
                    // HTTP servers can finish their open responses.
                    .init(service: ShutdownCoordinator(bus: registry.bus, logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        logger.info("switchboard-server starting", metadata: ["version": "\(Self.version)", "data_dir": "\(data.root)"])
        try await group.run()
        logger.info("switchboard-server stopped")
    }

    static func describe(_ address: SocketAddress?) -> String {
        guard let address else { return "?" }
        switch address {
        case .v4, .v6: return "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        case .unixDomainSocket: return address.pathname ?? "?"
        }
    }
}

/// Waits for shutdown, then ends what would keep the HTTP servers from finishing.
struct ShutdownCoordinator: Service {
    let bus: EventBus
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()  // throws only when cancelled, which also means: stop now
        logger.info("shutting down")
        bus.finishAll()
    }
}

extension Logger {
    /// A logger with another label and the same handler configuration.
    func with(label: String) -> Logger {
        var l = Logger(label: label)
        l.logLevel = logLevel
        return l
    }
}
