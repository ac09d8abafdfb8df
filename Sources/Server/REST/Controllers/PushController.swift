import Core

/// `/push/*`: RTMP republishing (transponders).
enum PushController {
    static let idField: [Schema.Property] = [.required("mediaSessionId", .string)]

    static let methods: [RESTMethod] = [
        RESTMethod("push/startup", "Republish a stream to an RTMP URL; returns the Transponder",
                   fields: [.required("streamName", .string), .required("rtmpUrl", .string),
                            .optional("rtmpTransponderFullUrl", .boolean, "the URL already names the far-end stream"),
                            .optional("rtmpFlashVersion", .string), .optional("options", .freeObject)],
                   response: .object("Transponder"), errors: [409: "Conflict", 404: "No such file"]) { call in
            let request = try call.decode(PushStartupRequest.self)
            let control = try call.services.require(call.services.push, "RTMP republishing")
            return .json(try await control.startup(request))
        },
        RESTMethod("push/find", "Find transponders by filter",
                   fields: [.optional("streamName", .string), .optional("rtmpUrl", .string)],
                   response: .list("Transponder"), errors: [404: "Transponder not found"]) { call in
            let name = call.string("streamName"), url = call.string("rtmpUrl")
            return .json(try Finder.find(Transponder.self, in: call.services.registry, notFound: "Transponder not found") {
                (name == nil || $0.streamName == name || $0.localStreamName == name) && Finder.same(url, $0.rtmpUrl)
            })
        },
        RESTMethod("push/find_all", "Find all transponders", response: .list("Transponder"),
                   errors: [404: "Not found any transponder"]) { call in
            .json(try Finder.find(Transponder.self, in: call.services.registry, notFound: "Not found any transponder"))
        },
        transponderAction("push/terminate", "Terminate a transponder") { try await $0.terminate(mediaSessionId: $1) },
        transponderAction("push/mute", "Send silence instead of the stream's audio") {
            try await $0.setMuted(mediaSessionId: $1, true)
        },
        transponderAction("push/unmute", "Send the stream's audio again") {
            try await $0.setMuted(mediaSessionId: $1, false)
        },
        RESTMethod("push/sound_on", "Play a WAV from the media folder into the transponder's audio",
                   fields: idField + [.required("soundFile", .string), .optional("loop", .boolean)],
                   errors: [404: "Not found transponder / No such file"]) { call in
            let id = call.string("mediaSessionId") ?? ""
            try requireTransponder(id, call)
            let control = try call.services.require(call.services.push, "RTMP republishing")
            let loop: Bool = if case .bool(let b) = call.body["loop"] { b } else { false }
            try await control.soundOn(mediaSessionId: id, soundFile: call.string("soundFile") ?? "", loop: loop)
            return .empty
        },
        transponderAction("push/sound_off", "Stop injecting audio") { try await $0.soundOff(mediaSessionId: $1) },
    ]

    private static func transponderAction(
        _ path: String, _ summary: String,
        _ action: @escaping @Sendable (any PushControl, String) async throws -> Void
    ) -> RESTMethod {
        RESTMethod(path, summary, fields: idField, errors: [404: "Not found transponder"]) { call in
            let id = call.string("mediaSessionId") ?? ""
            try requireTransponder(id, call)
            try await action(try call.services.require(call.services.push, "RTMP republishing"), id)
            return .empty
        }
    }

    private static func requireTransponder(_ id: String, _ call: MethodCall) throws {
        guard call.services.registry.get(Transponder.self, id: id) != nil else {
            throw APIError.notFound("Not found transponder", field: "mediaSessionId")
        }
    }
}
