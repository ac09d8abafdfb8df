import Core
import Foundation
import Logging
import NIOCore
import HTTPTypes
import Hummingbird
import Testing

@testable import Server

@Suite("error mapping")
struct ErrorMappingTests {
    struct Unexpected: Error {}

    /// What the REST layer answers for `error`: the status, the JSON body's fields, the content type.
    static func body(_ error: any Error) throws -> (Int, [String: JSONValue], String?) {
        let apiError = ErrorMapping.apiError(error, logger: Logger(label: "test"))
        let response = RESTResponder.render(apiError)
        #expect(Int(response.status.code) == apiError.status)
        // render writes exactly this encoding of the error.
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(apiError))
        return (apiError.status, try #require(json.objectValue), response.headers[.contentType])
    }

    @Test("every error becomes a JSON body {status, error, message, field} with the matching HTTP status",
          arguments: [
              (ServiceError.notFound("Stream not found") as any Error, 404),
              (ServiceError.conflict("already exists") as any Error, 409),
              (ServiceError.invalid("bad", field: "uri") as any Error, 400),
              (ServiceError.notImplemented("mixer") as any Error, 501),
              (ServiceError.failed("encoder died") as any Error, 500),
              (NIOTooManyBytesError(maxBytes: 1) as any Error, 413),
              (Unexpected() as any Error, 500),
          ] as [(any Error, Int)])
    func mapsToJSON(error: any Error, status: Int) throws {
        let (code, fields, contentType) = try Self.body(error)
        #expect(code == status)
        #expect(contentType?.hasPrefix("application/json") == true)
        #expect(fields["status"] == .number(Double(status)))
        #expect(fields["error"]?.stringValue?.isEmpty == false)
        #expect(fields["message"]?.stringValue?.isEmpty == false)
        #expect(fields.keys.contains("field"))
    }

    @Test("an unexpected error says no more than 'Internal error' to the client")
    func unexpectedIsOpaque() throws {
        let (_, fields, _) = try Self.body(Unexpected())
        #expect(fields["message"] == .string("Internal error"))
        #expect(fields["field"] == .null)
    }
}
