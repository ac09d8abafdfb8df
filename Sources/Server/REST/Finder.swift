import Core

/// The find / find_all / terminate-by-filter pattern every object group shares.
enum Finder {
    /// All objects of a kind that pass `matches`; 404 with `notFound` when none does (as WCS answers).
    static func find<T: APIObject>(_ type: T.Type, in registry: Registry, notFound: String,
                                   where matches: (T) -> Bool = { _ in true }) throws -> [T] {
        let found = registry.all(T.self).filter(matches)
        if found.isEmpty { throw APIError.notFound(notFound) }
        return found
    }

    /// true when `filter` is absent or equals `value`.
    static func same(_ filter: String?, _ value: String?) -> Bool {
        guard let filter else { return true }
        return filter == value
    }

    /// Case-insensitive status comparison (clients send "playing" and "PLAYING").
    static func sameStatus(_ filter: String?, _ value: String) -> Bool {
        guard let filter else { return true }
        return filter.uppercased() == value.uppercased()
    }
}
