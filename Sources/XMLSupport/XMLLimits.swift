/// Limits that bound the work and memory one document may cause.
///
/// The defaults are generous for real assessments (a contract free-text field is at most 4000
/// characters; the formats nest six deep) and tight enough that a hostile file is refused in
/// milliseconds with bounded memory.
public struct XMLLimits: Sendable, Hashable, Codable {
    /// Largest document read, in bytes (counted while reading, not trusted from `stat`).
    public var maxDocumentBytes: Int64
    /// Deepest element nesting.
    public var maxDepth: Int
    /// Longest text node or attribute value, in bytes.
    public var maxTextBytes: Int
    /// Most findings kept per document; the rest are counted.
    public var maxFindings: Int
    /// Most attributes on one element (the formats use at most three; libxml2's duplicate
    /// check is quadratic in the count, so this is checked in the raw bytes first).
    public var maxAttributes: Int

    public init(
        maxDocumentBytes: Int64 = 2 * 1024 * 1024 * 1024,
        maxDepth: Int = 64,
        maxTextBytes: Int = 1024 * 1024,
        maxFindings: Int = 100,
        maxAttributes: Int = 256
    ) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.maxTextBytes = maxTextBytes
        self.maxFindings = maxFindings
        self.maxAttributes = maxAttributes
    }

    public static let `default` = XMLLimits()
}
