public import Foundation

/// One file waiting in the inbox, as seen when the run listed it.
public struct InboxFile: Sendable, Hashable {
    public var name: String
    public var url: URL
    public var size: Int64
    public var modified: Date
}

/// The partial-upload convention: senders write a dotfile or `*.tmp` / `*.part` and rename it
/// when complete; the batch takes only regular, visible files that have settled.
public enum Inbox {
    /// Whether a name is an upload in progress by convention (never picked up).
    public static func isPartial(_ name: String) -> Bool {
        let lower = name.lowercased()
        return name.hasPrefix(".") || lower.hasSuffix(".tmp") || lower.hasSuffix(".part")
    }

    /// The files to take now, sorted by name, and how many were left for a later run (still
    /// being written by convention, or modified less than `settleSeconds` ago).
    public static func list(_ folder: URL, settleSeconds: Int, now: Date) throws(BatchError) -> (files: [InboxFile], leftForLater: Int) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw BatchError(code: "IO-INBOX", message: "cannot list the inbox (check that it exists and is readable)", path: folder.path)
        }
        var files: [InboxFile] = []
        var later = 0
        for name in names.sorted() {
            if isPartial(name) {
                later += 1
                continue
            }
            let url = folder.appendingPathComponent(name)
            var info = stat()
            // lstat: a symbolic link is never followed out of the inbox.
            guard lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
            if settleSeconds > 0, now.timeIntervalSince(modified) < Double(settleSeconds) {
                later += 1
                continue
            }
            files.append(InboxFile(name: name, url: url, size: Int64(info.st_size), modified: modified))
        }
        return (files, later)
    }

    /// True when the file still has the size and time it had when listed (it was not replaced
    /// while it was being decided).
    static func unchanged(_ file: InboxFile) -> Bool {
        var info = stat()
        guard lstat(file.url.path, &info) == 0 else { return false }
        let modified = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
        return Int64(info.st_size) == file.size && modified == file.modified
    }
}
