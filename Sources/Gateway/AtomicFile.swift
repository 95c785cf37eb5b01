public import Foundation

/// Writes files so that a reader never sees half of one: a private temporary file in the same
/// folder, flushed to disk, then renamed over the target. Created 0600 (folders 0700): these
/// are children's records.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws(GatewayError) {
        let directory = url.deletingLastPathComponent()
        try makeDirectory(directory)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw GatewayError(code: "IO-WRITE", message: "cannot create a file: \(String(cString: strerror(errno))) (check the folder's permissions and free space)", path: directory.path)
        }
        var failure: Int32 = 0
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0, rename(temporary.path, url.path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary.path)
            throw GatewayError(code: "IO-WRITE", message: "cannot write the file: \(String(cString: strerror(failure))) (check free space and permissions; nothing was half-written)", path: url.path)
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
