import Foundation

/// Lists the files of the media folder (`<data>/media/`) for `/media/find_all`.
///
/// Only what the folder holds is listed: hidden entries are skipped, and a symbolic link is
/// listed only when its target lies inside the folder (`SafePath`), so the listing never names
/// a file that the methods taking a file name would refuse.
public struct MediaFolder: MediaListing {
    /// Most files listed (10,000): a media folder is for clips an operator picks by name, and a
    /// bigger answer would only slow the console's completion. Beyond it the first names in
    /// sorted order are kept.
    public static let maxFiles = 10_000
    /// Deepest subfolder level visited (8), so a folder tree of links cannot make the walk endless.
    public static let maxDepth = 8

    /// The folder's path.
    public let path: String

    public init(path: String) { self.path = path }

    /// Every regular file below the folder, sorted by name; empty when the folder does not exist.
    public func files() -> [MediaFile] {
        var out: [MediaFile] = []
        walk(relative: "", depth: 0, into: &out)
        out.sort { $0.fileName < $1.fileName }
        return Array(out.prefix(Self.maxFiles))
    }

    private func walk(relative: String, depth: Int, into out: inout [MediaFile]) {
        let fm = FileManager.default
        let folder = relative.isEmpty ? path : path + "/" + relative
        // A folder that cannot be read (missing, no permission) just lists nothing.
        guard depth <= Self.maxDepth, let names = try? fm.contentsOfDirectory(atPath: folder) else { return }
        for name in names where !name.hasPrefix(".") {
            guard out.count < Self.maxFiles * 2 else { return }  // enough to sort and cut
            let fileName = relative.isEmpty ? name : relative + "/" + name
            // Names that lead outside the folder (a link to /etc) are not offered.
            guard let real = try? SafePath.resolve(fileName, in: path, mustExist: true),
                let attributes = try? fm.attributesOfItem(atPath: real),
                let type = attributes[.type] as? FileAttributeType
            else { continue }
            if type == .typeDirectory {
                walk(relative: fileName, depth: depth + 1, into: &out)
            } else if type == .typeRegular {
                let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
                let modified = (attributes[.modificationDate] as? Date).map { Int64($0.timeIntervalSince1970 * 1000) } ?? 0
                out.append(MediaFile(fileName: fileName, size: size, modified: modified))
            }
        }
    }
}
