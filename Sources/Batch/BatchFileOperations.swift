public import Foundation
import Gateway

/// The file operations a run performs, as a seam: tests replace one to inject a failure
/// (a full disk, a file that vanishes) that a real machine cannot produce on demand.
public struct BatchFileOperations: Sendable {
    /// Reads a whole file.
    public var read: @Sendable (URL) throws -> Data
    /// Writes a file atomically (temporary file, fsync, rename).
    public var write: @Sendable (Data, URL) throws -> Void
    /// Renames a file (same file system), failing if that is impossible.
    public var rename: @Sendable (URL, URL) throws -> Void

    public init(
        read: @escaping @Sendable (URL) throws -> Data,
        write: @escaping @Sendable (Data, URL) throws -> Void,
        rename: @escaping @Sendable (URL, URL) throws -> Void
    ) {
        self.read = read
        self.write = write
        self.rename = rename
    }

    /// The real file system.
    public static let system = BatchFileOperations(
        read: { url in
            do {
                return try Data(contentsOf: url)
            } catch CocoaError.fileReadNoSuchFile {
                throw BatchError(code: "IO-VANISHED", message: "the file disappeared before it was read (moved or deleted by someone else); nothing was decided", path: url.path)
            } catch {
                throw BatchError(code: "IO-READ", message: "cannot read the file (check its permissions); nothing was decided", path: url.path)
            }
        },
        write: { data, url in try AtomicFile.write(data, to: url) },
        rename: { from, to in
            if Foundation.rename(from.path, to.path) != 0 {
                let failure = errno
                if failure == EXDEV { throw CrossDevice() }
                if failure == ENOENT {
                    throw BatchError(code: "IO-VANISHED", message: "the file disappeared before it could be moved; its decision is kept", path: from.path)
                }
                throw BatchError(code: "IO-MOVE", message: "cannot move the file: \(String(cString: strerror(failure))) (check the folder's permissions and free space; the next run moves it)", path: to.path)
            }
        })

    /// `rename` across file systems: the caller copies instead.
    public struct CrossDevice: Error {}
}

extension BatchFileOperations {
    /// Where `source` will go in `folder`: its own name, never over a different file (if the
    /// name is taken by other bytes, it gets the first 12 hex digits of its SHA-256). `present`
    /// is true when an earlier, interrupted attempt already put these bytes there.
    func target(for source: URL, sha256: String, in folder: URL) throws -> (name: String, present: Bool) {
        let name = source.lastPathComponent
        for candidate in [name, Self.suffixed(name, sha256)] {
            let target = folder.appendingPathComponent(candidate)
            guard FileManager.default.fileExists(atPath: target.path) else { return (candidate, false) }
            if (try? DocumentProcessor.sha256(.file(target.path))) == sha256 { return (candidate, true) }
        }
        throw BatchError(code: "IO-MOVE", message: "two other files already use this name in the folder; rename one of them", path: folder.appendingPathComponent(name).path)
    }

    /// Moves `source` to `folder/name` (from `target`). Safe to repeat after a crash at any
    /// point: if the bytes are already there, only the inbox copy goes.
    func move(_ source: URL, to folder: URL, as target: (name: String, present: Bool)) throws {
        let destination = folder.appendingPathComponent(target.name)
        if target.present {
            unlink(source.path)
            return
        }
        do {
            try rename(source, destination)
        } catch is CrossDevice {
            // Another file system: a complete copy appears atomically, then the original goes.
            try write(try read(source), destination)
            unlink(source.path)
        }
        // Children's records: private in archive and quarantine whatever mode the sender used.
        chmod(destination.path, 0o600)
    }

    /// `name.xml` → `name.0123456789ab.xml`.
    static func suffixed(_ name: String, _ sha256: String) -> String {
        let tag = String(sha256.prefix(12))
        for ending in [".y2a.zip", ".receipt.xml"] where name.lowercased().hasSuffix(ending) {
            return String(name.dropLast(ending.count)) + ".\(tag)" + String(name.suffix(ending.count))
        }
        let ext = (name as NSString).pathExtension
        let stem = (name as NSString).deletingPathExtension
        return ext.isEmpty ? "\(name).\(tag)" : "\(stem).\(tag).\(ext)"
    }
}
