import Core

/// Turns a command's target word into an object of the live model.
public enum Resolver {
    /// Finds the object `target` names among `tabs`' kinds: an exact key first, then an exact
    /// name; among several streams of one name the publisher wins.
    /// - Throws: `ConsoleError.notFound` when nothing or too much matches.
    public static func resolve(_ target: String, in tabs: [Tab], model: LiveModel) throws -> LiveObject {
        let kinds = tabs.flatMap(\.kinds)
        let all = kinds.flatMap { model.list($0) }
        if let exact = all.first(where: { $0.id == target }) { return exact }
        var named = all.filter { $0.name == target }
        if named.count > 1 {
            let publishers = named.filter { ($0.typed as? Core.Stream)?.published == true }
            if publishers.count == 1 { named = publishers }
        }
        if named.count == 1 { return named[0] }
        let what = tabs.count == 1 ? tabs[0].title.lowercased() : "objects"
        if named.isEmpty { throw ConsoleError.notFound("no \(what) named '\(target)'") }
        throw ConsoleError.notFound("'\(target)' matches \(named.count) \(what); give its id")
    }
}
