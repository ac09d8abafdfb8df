import Core

/// `/rtsp/*`: RTSP pulls.
enum RTSPController {
    static let methods: [RESTMethod] = [
        RESTMethod("rtsp/startup", "Pull an RTSP URL into a local stream",
                   fields: [.required("uri", .string), .optional("localStreamName", .string),
                            .optional("transport", .string(enumValues: ["TCP", "UDP"]), "TCP by default")],
                   errors: [409: "Already in use"]) { call in
            let request = try call.decode(RTSPStartupRequest.self)
            _ = try await call.services.require(call.services.rtsp, "RTSP pull (FFmpeg pipelines)").startup(request)
            return .empty
        },
        RESTMethod("rtsp/find", "Find RTSP pulls by filter",
                   fields: [.optional("uri", .string), .optional("status", .string)],
                   response: .list("RtspAgent"), errors: [404: "RTSP not found"]) { call in
            let b = call
            return .json(try Finder.find(RtspAgent.self, in: call.services.registry, notFound: "RTSP not found") {
                Finder.same(b.string("uri"), $0.uri) && Finder.sameStatus(b.string("status"), $0.status)
            })
        },
        RESTMethod("rtsp/find_all", "Find all RTSP pulls", response: .list("RtspAgent"),
                   errors: [404: "RTSP not found"]) { call in
            .json(try Finder.find(RtspAgent.self, in: call.services.registry, notFound: "RTSP not found"))
        },
        RESTMethod("rtsp/terminate", "Stop an RTSP pull", fields: [.required("uri", .string)],
                   errors: [404: "RTSP not found"]) { call in
            let uri = call.string("uri") ?? ""
            guard call.services.registry.get(RtspAgent.self, id: uri) != nil else {
                throw APIError.notFound("RTSP not found", field: "uri")
            }
            try await call.services.require(call.services.rtsp, "RTSP pull (FFmpeg pipelines)").terminate(uri: uri)
            return .empty
        },
    ]
}

/// `/transcoder/*`.
enum TranscoderController {
    static let filterFields: [Schema.Property] = [
        .optional("uri", .string), .optional("remoteStreamName", .string), .optional("localStreamName", .string),
        .optional("status", .string),
    ]

    static func matching(_ call: MethodCall) -> @Sendable (Transcoder) -> Bool {
        let b = call
        return {
            Finder.same(b.string("uri"), $0.uri) && Finder.same(b.string("remoteStreamName"), $0.remoteStreamName)
                && Finder.same(b.string("localStreamName"), $0.localStreamName)
                && Finder.sameStatus(b.string("status"), $0.status)
        }
    }

    static let methods: [RESTMethod] = [
        RESTMethod("transcoder/startup", "Transcode a stream into a new local stream",
                   fields: [.required("uri", .string, "transcoder://name"), .required("remoteStreamName", .string),
                            .required("localStreamName", .string), .required("encoder", .ref("Encoder"))],
                   errors: [409: "Conflict"]) { call in
            let request = try call.decode(TranscoderStartupRequest.self)
            _ = try await call.services.require(call.services.transcoders, "transcoding (FFmpeg pipelines)")
                .startup(request)
            return .empty
        },
        RESTMethod("transcoder/find", "Find transcoders by filter", fields: filterFields,
                   response: .list("Transcoder"), errors: [404: "Transcoders not found"]) { call in
            .json(try Finder.find(Transcoder.self, in: call.services.registry, notFound: "Transcoders not found",
                                  where: matching(call)))
        },
        RESTMethod("transcoder/find_all", "Find all transcoders", response: .list("Transcoder"),
                   errors: [404: "Transcoders not found"]) { call in
            .json(try Finder.find(Transcoder.self, in: call.services.registry, notFound: "Transcoders not found"))
        },
        RESTMethod("transcoder/terminate", "Stop matching transcoders and their output streams",
                   fields: filterFields, errors: [404: "Transcoder not found"]) { call in
            let found = try Finder.find(Transcoder.self, in: call.services.registry, notFound: "Transcoder not found",
                                        where: matching(call))
            let control = try call.services.require(call.services.transcoders, "transcoding (FFmpeg pipelines)")
            for t in found { try await control.terminate(uri: t.uri) }
            return .empty
        },
    ]
}

/// `/vod/*`: files published as streams.
enum VODController {
    static let filterFields: [Schema.Property] = [
        .optional("uri", .string), .optional("localStreamName", .string), .optional("status", .string),
        .optional("localMediaSessionId", .string),
    ]

    static func matching(_ call: MethodCall) -> @Sendable (VOD) -> Bool {
        let b = call
        return {
            Finder.same(b.string("uri"), $0.uri) && Finder.same(b.string("localStreamName"), $0.localStreamName)
                && Finder.sameStatus(b.string("status"), $0.status)
                && Finder.same(b.string("localMediaSessionId"), $0.localMediaSessionId)
        }
    }

    static let methods: [RESTMethod] = [
        RESTMethod("vod/startup", "Publish a file from the media folder as a stream",
                   fields: [.required("uri", .string, "vod-live://file.mp4 or vod://file.mp4"),
                            .optional("localStreamName", .string), .optional("loop", .boolean)],
                   errors: [409: "Conflict", 404: "File not found"]) { call in
            let request = try call.decode(VODStartupRequest.self)
            _ = try await call.services.require(call.services.vod, "VOD (FFmpeg pipelines)").startup(request)
            return .empty
        },
        RESTMethod("vod/find", "Find VOD streams by filter", fields: filterFields, response: .list("VOD"),
                   errors: [404: "VODs not found"]) { call in
            .json(try Finder.find(VOD.self, in: call.services.registry, notFound: "VODs not found", where: matching(call)))
        },
        RESTMethod("vod/find_all", "Find all VOD streams", response: .list("VOD"), errors: [404: "VODs not found"]) { call in
            .json(try Finder.find(VOD.self, in: call.services.registry, notFound: "VODs not found"))
        },
        RESTMethod("vod/terminate", "Stop matching VOD streams", fields: filterFields,
                   errors: [404: "VOD not found"]) { call in
            let found = try Finder.find(VOD.self, in: call.services.registry, notFound: "VOD not found",
                                        where: matching(call))
            let control = try call.services.require(call.services.vod, "VOD (FFmpeg pipelines)")
            for v in found { try await control.terminate(objectID: v.objectID) }
            return .empty
        },
    ]
}
