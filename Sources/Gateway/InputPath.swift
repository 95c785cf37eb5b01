#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks on a path named on the command line, before anything opens it: a FIFO would block
/// a read forever, a device would never end, a folder that cannot be listed is not "0 files".
public enum InputPath {
    public enum Kind: Sendable, Equatable {
        case regularFile
        case directory
        /// A FIFO, socket, or character or block device.
        case other(String)
    }

    /// What is at `path` (following a symbolic link, as opening it would); nil when nothing is.
    public static func kind(of path: String) -> Kind? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .directory
        case S_IFIFO: return .other("a FIFO (named pipe)")
        case S_IFSOCK: return .other("a socket")
        case S_IFCHR: return .other("a character device")
        case S_IFBLK: return .other("a block device")
        default: return .other("not a regular file")
        }
    }

    /// Throws `IO-NOT-REGULAR` unless `path` is a regular file (or `IO-MISSING` when absent).
    public static func requireRegularFile(_ path: String) throws(GatewayError) {
        switch kind(of: path) {
        case .regularFile?: return
        case nil: throw GatewayError(code: "IO-MISSING", message: "no such file (check the path)", path: path)
        case .directory?: throw GatewayError(code: "IO-NOT-REGULAR", message: "is a folder; name a file", path: path)
        case .other(let what)?: throw notRegular(path, what)
        }
    }

    static func notRegular(_ path: String, _ what: String) -> GatewayError {
        GatewayError(code: "IO-NOT-REGULAR", message: "is \(what), not a regular file; it is not read (reading it could block forever): name a file or a folder", path: path)
    }

    /// The entries of a folder, or `IO-READ` with the reason ("permission denied").
    static func entries(of directory: String) throws(GatewayError) -> [String] {
        guard let handle = opendir(directory) else {
            let code = errno
            throw GatewayError(code: "IO-READ", message: "cannot list the folder: \(String(cString: strerror(code))) (check its permissions)", path: directory)
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The type of a folder entry without following a link (a link inside a folder is skipped).
    static func entryKind(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }
}
