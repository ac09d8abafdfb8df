import Core

/// `/connection/*`, `/data/*`, `/logger/*` and `/api/*`: client sessions.
enum SessionControllers {
    static let methods: [RESTMethod] = [
        RESTMethod("connection/find_all", "Find all connected clients", response: .list("Connection"),
                   errors: [404: "No connections found"]) { call in
            .json(try Finder.find(Connection.self, in: call.services.registry, notFound: "No connections found"))
        },
        RESTMethod("connection/find", "Find connected clients by filter",
                   fields: [.optional("appKey", .string), .optional("sessionId", .string),
                            .optional("clientVersion", .string)],
                   response: .list("Connection"), errors: [404: "Not found"]) { call in
            let b = call
            return .json(try Finder.find(Connection.self, in: call.services.registry, notFound: "Not found") {
                Finder.same(b.string("appKey"), $0.appKey) && Finder.same(b.string("sessionId"), $0.sessionId)
                    && Finder.same(b.string("clientVersion"), $0.clientVersion)
            })
        },
        RESTMethod("connection/terminate", "Disconnect a client", fields: [.required("sessionId", .string)],
                   errors: [404: "No such connection"]) { call in
            let connection = try requireConnection(call)
            // An RTMP connection ends with the streams it carries.
            let streams = call.services.registry.all(Stream.self).filter { $0.sessionId == connection.sessionId }
            guard !streams.isEmpty, let control = call.services.streams else {
                throw APIError.notImplemented("disconnecting \(connection.mediaProvider) clients")
            }
            await control.terminate(mediaSessionIds: streams.map(\.mediaSessionId), reason: "Stopped by rest /terminate")
            return .empty
        },
        RESTMethod("data/send", "Send data to a connected WebSocket client",
                   fields: [.optional("nodeId", .string), .required("sessionId", .string),
                            .optional("operationId", .string), .required("payload", .freeObject)],
                   errors: [404: "No such connection"]) { call in
            _ = try requireConnection(call)
            throw APIError.notImplemented("WebSocket client API")
        },
        RESTMethod("logger/enable_client_log", "Set a client session's log level",
                   fields: [.required("sessionId", .string), .optional("logLevel", .string)],
                   errors: [404: "Session not found"]) { call in
            _ = try requireConnection(call, message: "Session not found")
            throw APIError.notImplemented("WebSocket client logs")
        },
        RESTMethod("logger/disable_client_log", "Disable a client session's log",
                   fields: [.required("sessionId", .string)], errors: [404: "Session not found"]) { call in
            _ = try requireConnection(call, message: "Session not found")
            throw APIError.notImplemented("WebSocket client logs")
        },
        RESTMethod("api/create-session", "Create a server-side SIP agent session",
                   fields: [.optional("appKey", .string), .optional("clientBrowserVersion", .string),
                            .optional("clientVersion", .string), .optional("mediaProviders", .array(.string)),
                            .optional("sipLogin", .string), .optional("sipAuthenticationName", .string),
                            .optional("sipPassword", .string), .optional("sipDomain", .string),
                            .optional("sipOutboundProxy", .string), .optional("sipPort", .integer),
                            .optional("sipRegisterRequired", .boolean), .optional("urlServer", .string)]) { _ in
            throw APIError.notImplemented("SIP agent sessions")
        },
        RESTMethod("cdn/show_routes", "Show CDN routes") { _ in throw APIError.notImplemented("CDN") },
        RESTMethod("cdn/stream/show_routes", "Show the CDN route to play a stream",
                   fields: [.required("streamName", .string)]) { _ in throw APIError.notImplemented("CDN") },
    ]

    private static func requireConnection(_ call: MethodCall, message: String = "No such connection") throws -> Connection {
        guard let c = call.services.registry.get(Connection.self, id: call.string("sessionId") ?? "") else {
            throw APIError.notFound(message, field: "sessionId")
        }
        return c
    }
}
