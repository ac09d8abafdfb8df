import Core

/// `/call/*`: SIP calls ("SIP as RTMP").
enum CallController {
    static let startupFields: [Schema.Property] = [
        .required("callId", .string), .required("callee", .string, "a user at sipDomain, or a full SIP URI"),
        .optional("rtmpStream", .string), .optional("rtmpUrl", .string), .optional("hasAudio", .boolean),
        .optional("hasVideo", .boolean, "also offer H.264 video; the call's `hasVideo` says whether the far end took it"),
        .optional("sipLogin", .string), .optional("sipAuthenticationName", .string),
        .optional("sipPassword", .string, "used for digest auth only; never returned or logged"),
        .optional("sipDomain", .string), .optional("sipOutboundProxy", .string), .optional("sipPort", .integer),
        .optional("appKey", .string), .optional("sipRegisterRequired", .boolean), .optional("toStream", .string),
        .optional("visibleName", .string),
    ]
    static let idField: [Schema.Property] = [.required("callId", .string)]

    static let methods: [RESTMethod] = [
        RESTMethod("call/startup", "Place a SIP call; media goes to `toStream` and/or `rtmpUrl`",
                   fields: startupFields, errors: [409: "Conflict"]) { call in
            let request = try call.decode(CallStartupRequest.self)
            _ = try await call.services.require(call.services.calls, "SIP calls").startup(request)
            return .empty
        },
        RESTMethod("call/find_all", "Find all SIP calls", response: .list("Call"), errors: [404: "Call not found"]) { call in
            .json(try Finder.find(Call.self, in: call.services.registry, notFound: "Call not found"))
        },
        RESTMethod("call/find", "Find SIP calls by filter",
                   fields: [.optional("callId", .string), .optional("callee", .string), .optional("rtmpUrl", .string),
                            .optional("status", .string)],
                   response: .list("Call"), errors: [404: "Call not found"]) { call in
            let b = call
            return .json(try Finder.find(Call.self, in: call.services.registry, notFound: "Call not found") {
                Finder.same(b.string("callId"), $0.callId) && Finder.same(b.string("callee"), $0.callee)
                    && Finder.same(b.string("rtmpUrl"), $0.rtmpUrl) && Finder.sameStatus(b.string("status"), $0.status.rawValue)
            })
        },
        callAction("call/terminate", "Hang up (BYE, or CANCEL before the answer)") { c, id, _ in
            try await c.terminate(callId: id)
        },
        callAction("call/send_dtmf", "Send DTMF digits in an established call",
                   extra: [.required("dtmf", .string),
                           .optional("type", .string(enumValues: ["RFC2833", "INFO", "INFO_RELAY"]), "RFC2833 by default")]) { c, id, call in
            try await c.sendDTMF(callId: id, dtmf: call.string("dtmf") ?? "", type: call.string("type") ?? "RFC2833")
        },
        callAction("call/inject_stream", "Replace what the call hears with a stream's audio",
                   extra: [.required("streamName", .string)], errors: [404: "Call not found / Stream not found"]) { c, id, call in
            try await c.injectStream(callId: id, streamName: call.string("streamName") ?? "")
        },
        callAction("call/inject_stream/startup", "Replace what the call hears with a stream's audio (WCS 5.2 name)",
                   extra: [.required("streamName", .string)], errors: [404: "Call not found / Stream not found"]) { c, id, call in
            try await c.injectStream(callId: id, streamName: call.string("streamName") ?? "")
        },
        callAction("call/inject_stream/terminate", "Stop an injected stream or sound: the call hears silence") { c, id, _ in
            try await c.stopInjection(callId: id)
        },
        callAction("call/inject_sound", "Play a WAV from the media folder into the call",
                   extra: [.required("fileName", .string), .optional("loop", .boolean, "repeat the file until replaced")],
                   errors: [404: "Call not found / No such file"]) { c, id, call in
            let loop: Bool = if case .bool(let b) = call.body["loop"] { b } else { call.string("loop") == "true" }
            try await c.injectSound(callId: id, fileName: call.string("fileName") ?? "", loop: loop)
        },
    ]

    private static func callAction(
        _ path: String, _ summary: String, extra: [Schema.Property] = [], errors: [Int: String] = [404: "Call not found"],
        _ action: @escaping @Sendable (any CallControl, String, MethodCall) async throws -> Void
    ) -> RESTMethod {
        RESTMethod(path, summary, fields: idField + extra, errors: errors) { call in
            let id = call.string("callId") ?? ""
            guard call.services.registry.get(Call.self, id: id) != nil else {
                throw APIError.notFound("Call not found", field: "callId")
            }
            try await action(try call.services.require(call.services.calls, "SIP calls"), id, call)
            return .empty
        }
    }
}
