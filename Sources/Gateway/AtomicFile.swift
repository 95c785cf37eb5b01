public import Foundation

/// Writes files so that a reader never sees half of one: a private temporary file in the same
/// folder, flushed to disk, then renamed over the target. Created 0600 (folders 0700): these
/// are children's records.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws(GatewayError) {
        let directory = url.deletingLastPathComponent()
        try makeDirectory(directory)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        let fd = try create(temporary, directory: directory.path)
        var failure = writeAll(data, to: fd)
        if failure == 0, fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0, rename(temporary, url.path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw writeError(failure, path: url.path)
        }
    }

    /// Writes `data` to a new private file at `temporary` without flushing it (`AtomicFileGroup`
    /// flushes a whole group at once); on failure nothing is left behind.
    static func writeUnsynced(_ data: Data, temporary: String, target: String) throws(GatewayError) {
        let fd = try create(temporary, directory: (temporary as NSString).deletingLastPathComponent)
        let failure = writeAll(data, to: fd)
        if close(fd) != 0 || failure != 0 {
            unlink(temporary)
            throw writeError(failure != 0 ? failure : errno, path: target)
        }
    }

    /// Flushes every file system buffer of the file system holding `path` (one journal commit
    /// for a whole group of files); the `errno` of a failure, or nil.
    static func syncFileSystem(of path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        if let syncfs = syncFileSystemCall {
            return syncfs(fd) == 0 ? nil : errno
        }
        // No syncfs(2) (not Linux): a full fsync of the folder is the closest available.
        return fsync(fd) == 0 ? nil : errno
    }

    /// Linux's syncfs(2), looked up at run time: Glibc's Swift module does not declare it
    /// (it is behind _GNU_SOURCE).
    private static let syncFileSystemCall: (@convention(c) (Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()

    /// Makes renames in a folder durable. Best effort: the files themselves are already on disk.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    static func writeError(_ failure: Int32, path: String) -> GatewayError {
        GatewayError(code: "IO-WRITE", message: "cannot write the file: \(String(cString: strerror(failure))) (check free space and permissions; nothing was half-written)", path: path)
    }

    private static func create(_ temporary: String, directory: String) throws(GatewayError) -> Int32 {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw GatewayError(code: "IO-WRITE", message: "cannot create a file: \(String(cString: strerror(errno))) (check the folder's permissions and free space)", path: directory)
        }
        return fd
    }

    /// 0, or the `errno` of the failed write.
    private static func writeAll(_ data: Data, to fd: Int32) -> Int32 {
        data.withUnsafeBytes { raw -> Int32 in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return 0
        }
    }

    /// Creates a folder (and its parents) with mode 0700 if it does not exist.
    public static func makeDirectory(_ url: URL) throws(GatewayError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw GatewayError(code: "IO-WRITE", message: "exists and is not a folder", path: url.path)
            }
            return
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw GatewayError(code: "IO-WRITE", message: "cannot create the folder (check permissions)", path: url.path)
        }
    }
}
