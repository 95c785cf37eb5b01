public import Findings

/// What one pass over a document found.
public struct XMLParseResult: Sendable {
    /// The root element, once its start tag was read.
    public var root: XMLRootName?
    /// The line of the root start tag.
    public var rootLine: Int? = nil
    /// Findings, capped at `XMLLimits.maxFindings`.
    public var findings: [Finding]
    /// Findings beyond the cap, counted but not kept.
    public var suppressedFindings: Int
    /// Bytes read from the input.
    public var bytesRead: Int64
    /// True when the pass stopped early on purpose (DOCTYPE, a limit, or after the root tag when sniffing).
    public var stoppedEarly: Bool
    /// True when every byte of the input was read (so an `onBytes` observer saw the whole file).
    public var readToEnd: Bool = false

    /// True when the document is well-formed and (if a schema was given) schema-valid so far.
    public var isValid: Bool { findings.isValid }
}
