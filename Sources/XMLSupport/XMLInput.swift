/// Where a document's bytes come from: a file on disk, or bytes already in memory
/// (a ZIP entry, a test's inline document). No Foundation here: libxml2's headers pull in the
/// system ICU, which clashes with Foundation's copy in one module.
public enum XMLInput: Sendable {
    case file(String)
    case data([UInt8], name: String)

    /// True for a file (its bytes are read from disk, not held by the caller).
    public var isFile: Bool {
        if case .file = self { return true }
        return false
    }

    /// The name used in findings and logs: the path, or the given name.
    public var displayName: String {
        switch self {
        case .file(let path): path
        case .data(_, let name): name
        }
    }
}
