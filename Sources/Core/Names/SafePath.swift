import Foundation

/// Resolves a user-given file name inside one folder (media/, records/): no `..`, no absolute
/// path, and no symlink that leads out of the folder.
public enum SafePath {
    /// Why a name was refused.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case absolute(String)
        case escapes(String)
        case notFound(String)

        public var description: String {
            switch self {
            case .empty: "file name is empty"
            case .absolute(let n): "'\(n)' is an absolute path; give a name inside the folder"
            case .escapes(let n): "'\(n)' leads outside its folder"
            case .notFound(let n): "No such file: \(n)"
            }
        }
    }

    /// The absolute path of `name` inside `folder`. With `mustExist`, the file must exist, and
    /// its real path (symlinks resolved) must still lie inside the folder's real path.
    public static func resolve(_ name: String, in folder: String, mustExist: Bool) throws(Problem) -> String {
        if name.isEmpty { throw .empty }
        if name.hasPrefix("/") || name.hasPrefix("~") { throw .absolute(name) }
        let parts = name.split(separator: "/", omittingEmptySubsequences: true)
        if parts.contains(where: { $0 == ".." || $0 == "." }) || name.contains("\0") { throw .escapes(name) }
        let root = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
        let candidate = root + "/" + parts.joined(separator: "/")
        guard mustExist else { return candidate }
        guard FileManager.default.fileExists(atPath: candidate) else { throw .notFound(name) }
        let real = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
        guard real.hasPrefix(root + "/") else { throw .escapes(name) }
        return real
    }
}
