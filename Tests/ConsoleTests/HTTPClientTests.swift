@testable import Console
import Core
import Foundation
import NIOCore
import NIOPosix
import Testing

/// A one-shot HTTP server on a unix socket: reads a whole request (head and Content-Length
/// body), answers with canned bytes chosen by the request line, closes. Answering before the
/// body has arrived made the client's body write fail on a loaded machine.
final class CannedHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let answer: @Sendable (String) -> String
    var request = ""
    init(answer: @escaping @Sendable (String) -> String) { self.answer = answer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        request += buffer.readString(length: buffer.readableBytes) ?? ""
        guard let headEnd = request.range(of: "\r\n\r\n") else { return }
        let head = request[..<headEnd.lowerBound].lowercased()
        let length = head.components(separatedBy: "\r\n")
            .first { $0.hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        guard request[headEnd.upperBound...].utf8.count >= length else { return }
        let line = request.components(separatedBy: "\r\n").first ?? ""
        let out = context.channel.allocator.buffer(string: answer(line))
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)  // small: written at once, before the close
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension CannedHTTPHandler: Sendable {}

@Suite("HTTP client over a unix socket")
struct HTTPClientTests {
    static func serve(_ answer: @escaping @Sendable (String) -> String) async throws -> (String, any Channel) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sb-\(UUID().uuidString.prefix(8)).sock").path
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { ch in
                ch.eventLoop.makeCompletedFuture { try ch.pipeline.syncOperations.addHandler(CannedHTTPHandler(answer: answer)) }
            }
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
        return (path, channel)
    }

    static func response(_ status: String, _ type: String, _ body: String, chunked: Bool = false) -> String {
        if chunked {
            let hex = String(body.utf8.count, radix: 16)
            return "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nTransfer-Encoding: chunked\r\n\r\n\(hex)\r\n\(body)\r\n0\r\n\r\n"
        }
        return "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    @Test("a REST error becomes the server's message")
    func restError() async throws {
        let (path, channel) = try await Self.serve { line in
            #expect(line == "POST /rest-api/stream/startRecording HTTP/1.1")
            return Self.response("501 Not Implemented", "application/json",
                                 #"{"status":501,"error":"Not Implemented","message":"Not implemented yet: recording","field":null}"#)
        }
        defer { channel.close(promise: nil) }
        let rest = RESTClient(http: HTTPClient(endpoint: .unix(path: path)))
        await #expect(throws: ConsoleError.api(status: 501, message: "Not implemented yet: recording")) {
            _ = try await rest.post("stream/startRecording", ["mediaSessionId": .string("x")])
        }
    }

    @Test("the event stream's snapshot arrives through the SSE parser, chunked encoding included")
    func snapshot() async throws {
        let stream = Fixtures.stream("cam1")
        let object = String(decoding: try JSONEncoder().encode(stream), as: UTF8.self)
        let body = ": hi\n\nevent: snapshot\ndata: {\"server\":{\"version\":\"9\",\"pid\":1},\"objects\":{\"stream\":[\(object)]},\"logs\":[]}\n\n"
        let (path, channel) = try await Self.serve { _ in Self.response("200 OK", "text/event-stream", body, chunked: true) }
        defer { channel.close(promise: nil) }
        let model = try await EventClient.fetchSnapshot(http: HTTPClient(endpoint: .unix(path: path)))
        #expect(model.server?.version == "9")
        #expect(model.list(.stream).first?.name == "cam1")
    }

    @Test("a missing socket is a connection error")
    func refused() async {
        let rest = RESTClient(http: HTTPClient(endpoint: .unix(path: "/nonexistent/sb.sock")))
        await #expect(throws: ConsoleError.self) { _ = try await rest.post("stream/find_all") }
    }
}
