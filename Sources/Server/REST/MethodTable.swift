/// Every REST method, by path below `/rest-api/`.
struct MethodTable: Sendable {
    let methods: [String: RESTMethod]
    /// In a stable order for the OpenAPI document.
    let ordered: [RESTMethod]

    init(_ list: [RESTMethod]) {
        var byPath: [String: RESTMethod] = [:]
        for m in list {
            precondition(byPath[m.path] == nil, "REST method \(m.path) is declared twice")
            byPath[m.path] = m
        }
        methods = byPath
        ordered = list
    }

    /// The 57 methods of the WCS reference, grouped as it groups them, then Switchboard's
    /// extensions (`isExtension`: `media/find_all`).
    static let standard = MethodTable(
        CallController.methods + RTSPController.methods + StreamController.methods + SessionControllers.methods
            + PushController.methods + PullController.methods + MixerController.methods
            + TranscoderController.methods + VODController.methods + MediaController.methods)
}
