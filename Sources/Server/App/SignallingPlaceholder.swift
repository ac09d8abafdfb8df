import Core
import Hummingbird

/// What listens on `--ws-port` until WebSocket signalling (WebRTC) is built: the port is bound,
/// logged and written to server.json like every other listener, and every request is answered
/// with a 501 JSON error naming the missing capability, so clients learn why rather than
/// finding nothing there.
struct SignallingPlaceholder: HTTPResponder {
    typealias Context = BasicRequestContext

    static let capability = "WebSocket signalling (WebRTC)"

    func respond(to request: Request, context: Context) async throws -> Response {
        RESTResponder.render(APIError.notImplemented(Self.capability))
    }
}
