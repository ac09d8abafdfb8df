import Core

/// `/pull/*`: WebRTC pulls and pushes between servers, and `/pull/rtmp/*` RTMP pulls.
enum PullController {
    static let methods: [RESTMethod] = [
        RESTMethod("pull/rtmp/pull", "Pull an RTMP stream into a local stream",
                   fields: [.required("uri", .string), .optional("localStreamName", .string),
                            .optional("hasAudio", .boolean), .optional("hasVideo", .boolean),
                            .optional("record", .boolean)],
                   errors: [409: "Conflict"]) { call in
            let request = try call.decode(RTMPPullRequest.self)
            let control = try call.services.require(call.services.rtmpPull, "RTMP pull")
            _ = try await control.pull(request)
            return .empty
        },
        RESTMethod("pull/rtmp/find_all", "Find all pulled RTMP streams", response: .list("RtmpAgent"),
                   errors: [404: "Not found"]) { call in
            .json(try Finder.find(RtmpAgent.self, in: call.services.registry, notFound: "Not found"))
        },
        RESTMethod("pull/rtmp/terminate", "Stop pulling an RTMP stream", fields: [.required("uri", .string)],
                   errors: [404: "Not found"]) { call in
            let uri = call.string("uri") ?? ""
            guard call.services.registry.get(RtmpAgent.self, id: uri) != nil else {
                throw APIError.notFound("Not found", field: "uri")
            }
            try await call.services.require(call.services.rtmpPull, "RTMP pull").terminate(uri: uri)
            return .empty
        },
        RESTMethod("pull/pull", "Pull a WebRTC stream from another server",
                   fields: [.required("uri", .string), .optional("localStreamName", .string),
                            .required("remoteStreamName", .string)],
                   errors: [409: "Conflict"]) { _ in
            throw APIError.notImplemented("WebRTC pull from another server")
        },
        RESTMethod("pull/push", "Push a local stream to another server over WebRTC",
                   fields: [.required("uri", .string), .required("localStreamName", .string),
                            .optional("remoteStreamName", .string), .optional("localMediaSessionId", .string)],
                   errors: [409: "Conflict"]) { _ in
            throw APIError.notImplemented("WebRTC push to another server")
        },
        RESTMethod("pull/find_all", "Find all WebRTC pulls and pushes", response: .list("PullAgent"),
                   errors: [404: "Not found"]) { call in
            .json(try Finder.find(PullAgent.self, in: call.services.registry, notFound: "Not found"))
        },
        RESTMethod("pull/terminate", "Stop WebRTC pulls that match the filter",
                   fields: [.optional("uri", .string), .optional("localMediaSessionId", .string),
                            .optional("remoteMediaSessionId", .string), .optional("localStreamName", .string),
                            .optional("remoteStreamName", .string), .optional("status", .string)],
                   errors: [404: "Not found"]) { call in
            let b = call
            _ = try Finder.find(PullAgent.self, in: call.services.registry, notFound: "Not found") {
                Finder.same(b.string("uri"), $0.uri) && Finder.same(b.string("localStreamName"), $0.localStreamName)
                    && Finder.same(b.string("remoteStreamName"), $0.remoteStreamName)
                    && Finder.same(b.string("localMediaSessionId"), $0.localMediaSessionId)
                    && Finder.same(b.string("remoteMediaSessionId"), $0.remoteMediaSessionId)
                    && Finder.sameStatus(b.string("status"), $0.status)
            }
            throw APIError.notImplemented("WebRTC pull from another server")
        },
    ]
}
