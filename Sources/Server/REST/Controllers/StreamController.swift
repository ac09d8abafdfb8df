import Core
import Foundation

/// `/stream/*`: find, terminate, snapshot, recording.
enum StreamController {
    static let filterFields: [Schema.Property] = [
        .optional("name", .string), .optional("mediaSessionId", .string),
        .optional("mediaSessionIds", .array(.string), "terminate only: several sessions at once"),
        .optional("status", .string), .optional("published", .boolean),
    ]

    static let methods: [RESTMethod] = [
        RESTMethod("stream/find_all", "Find all streams (publishers and players)", response: .list("Stream"),
                   errors: [404: "Streams not found"]) { call in
            .json(try Finder.find(Stream.self, in: call.services.registry, notFound: "Streams not found"))
        },
        RESTMethod("stream/find", "Find streams by filter", fields: filterFields, response: .list("Stream"),
                   errors: [404: "Stream not found"]) { call in
            let filter = try call.decode(StreamFilter.self)
            return .json(try Finder.find(Stream.self, in: call.services.registry, notFound: "Stream not found",
                                         where: filter.matches))
        },
        RESTMethod("stream/terminate", "Terminate every stream that matches the filter; {} stops all",
                   fields: filterFields, errors: [404: "Stream not found"]) { call in
            let filter = try call.decode(StreamFilter.self)
            let found = try Finder.find(Stream.self, in: call.services.registry, notFound: "Stream not found",
                                        where: filter.matches)
            let control = try call.services.require(call.services.streams, "stream sessions (RTMP and others)")
            await control.terminate(mediaSessionIds: found.map(\.mediaSessionId), reason: "Stopped by rest /terminate")
            return .empty
        },
        RESTMethod("stream/snapshot", "PNG snapshot of a stream, base64 in `data`",
                   fields: [.required("streamName", .string)], response: .object("Snapshot"),
                   errors: [404: "Stream not found", 409: "The stream has no video"]) { call in
            let name = call.string("streamName") ?? ""
            guard call.services.registry.all(Stream.self).contains(where: { $0.name == name && $0.published }) else {
                throw APIError.notFound("Stream not found", field: "streamName")
            }
            let control = try call.services.require(call.services.snapshots, "snapshots (FFmpeg pipelines)")
            let png = try await control.snapshot(streamName: name)
            return .json(SnapshotBody(data: Data(png).base64EncodedString()))
        },
        RESTMethod("stream/startRecording", "Start recording a media session",
                   fields: [.required("mediaSessionId", .string),
                            .optional("fileTemplate", .string, "file name template: {streamName}, {mediaSessionId}, {startTime}, {endTime}"),
                            .optional("config", .object([.optional("fileTemplate", .string)]), "as later WCS builds send it")],
                   errors: [404: "Not found"]) { call in
            let id = call.string("mediaSessionId") ?? ""
            try requireStream(id, call)
            let control = try call.services.require(call.services.recording, "recording (FFmpeg pipelines)")
            let template = call.body["config"]?["fileTemplate"]?.stringValue ?? call.string("fileTemplate")
            _ = try await control.startRecording(mediaSessionId: id, fileTemplate: template)
            return .empty
        },
        RESTMethod("stream/stopRecording", "Stop recording a media session",
                   fields: [.required("mediaSessionId", .string)], errors: [404: "Not found"]) { call in
            let id = call.string("mediaSessionId") ?? ""
            try requireStream(id, call)
            let control = try call.services.require(call.services.recording, "recording (FFmpeg pipelines)")
            try await control.stopRecording(mediaSessionId: id)
            return .empty
        },
    ]

    private static func requireStream(_ id: String, _ call: MethodCall) throws {
        guard call.services.registry.get(Stream.self, id: id) != nil else {
            throw APIError.notFound("Not found", field: "mediaSessionId")
        }
    }
}

/// `{"data": "<base64 PNG>"}`.
struct SnapshotBody: Codable, Sendable {
    let data: String
}
