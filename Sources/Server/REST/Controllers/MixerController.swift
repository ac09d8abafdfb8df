import Core

/// `/mixer/*`. Mixing is not built yet: actions answer 501, finders report what exists.
enum MixerController {
    static let methods: [RESTMethod] = [
        RESTMethod("mixer/startup", "Create a mixer whose output is `localStreamName`",
                   fields: [.required("uri", .string, "mixer://name"), .required("localStreamName", .string),
                            .optional("hasAudio", .boolean), .optional("hasVideo", .boolean)],
                   errors: [409: "Conflict"]) { _ in throw APIError.notImplemented("mixer") },
        RESTMethod("mixer/add", "Add a stream to a mixer",
                   fields: [.required("uri", .string), .required("remoteStreamName", .string)],
                   errors: [404: "Mixer not found / Stream not found"]) { call in
            try requireMixer(call)
            throw APIError.notImplemented("mixer")
        },
        RESTMethod("mixer/remove", "Remove a stream from a mixer",
                   fields: [.required("uri", .string), .required("remoteStreamName", .string)],
                   errors: [404: "Mixer not found / Stream not found"]) { call in
            try requireMixer(call)
            throw APIError.notImplemented("mixer")
        },
        RESTMethod("mixer/find_all", "Find all mixers", response: .list("Mixer"), errors: [404: "Not found"]) { call in
            .json(try Finder.find(Mixer.self, in: call.services.registry, notFound: "Not found"))
        },
        RESTMethod("mixer/terminate", "Stop a mixer", fields: [.required("uri", .string)],
                   errors: [404: "Not found"]) { call in
            try requireMixer(call)
            throw APIError.notImplemented("mixer")
        },
        RESTMethod("mixer/test/start", "Start the mixer load test", fields: Components.mixerTestProperties,
                   errors: [404: "Not found"]) { _ in throw APIError.notImplemented("mixer load test") },
        RESTMethod("mixer/test/stop", "Stop the mixer load test", errors: [404: "Not found"]) { _ in
            throw APIError.notImplemented("mixer load test")
        },
        RESTMethod("mixer/test/get_start_example", "A sample body for /mixer/test/start",
                   response: .object("MixerTest")) { _ in
            .json(MixerTest(feedingStreams: ["stream1", "stream2", "stream3"], mixerCount: 3, streamsInMixer: 1,
                            intervalInSeconds: 60))
        },
    ]

    private static func requireMixer(_ call: MethodCall) throws {
        guard call.services.registry.get(Mixer.self, id: call.string("uri") ?? "") != nil else {
            throw APIError.notFound("Mixer not found", field: "uri")
        }
    }
}
