/// The catalogue of stable finding codes: what each means and what to do about it.
///
/// Rule codes of the two frameworks (`AP-*`, `AS-*`) come from the interchange contract;
/// the `XML-*`, `XSD` and `FORMAT-*` codes are the gateway's own, for documents that cannot
/// be read or do not match a schema.
public enum FindingCode {
    public static let doctype = "XML-DOCTYPE"
    public static let empty = "XML-EMPTY"
    public static let notXML = "XML-NOT-XML"
    public static let encoding = "XML-ENCODING"
    public static let truncated = "XML-TRUNCATED"
    public static let malformed = "XML-MALFORMED"
    public static let sizeLimit = "XML-LIMIT-SIZE"
    public static let depthLimit = "XML-LIMIT-DEPTH"
    public static let textLimit = "XML-LIMIT-TEXT"
    public static let attributeLimit = "XML-LIMIT-ATTRIBUTES"
    public static let unknownFormat = "FORMAT-UNKNOWN"
    public static let schema = "XSD"
    public static let truncatedList = "FINDINGS-TRUNCATED"

    /// Every code with its severity and a one-line explanation, for `y2a codes` and the README.
    public static let catalogue: [(code: String, severity: Severity, meaning: String)] = [
        (doctype, .error, "The document has a DOCTYPE. None of the formats uses one; it is refused before validation (closes XXE, entity expansion and external DTDs)."),
        (empty, .error, "The file is empty."),
        (notXML, .error, "The file is not XML (binary data or plain text)."),
        (encoding, .error, "Bytes are invalid in the document's declared (or default UTF-8) encoding, or the encoding is unknown."),
        (truncated, .error, "The document ends before its root element is closed: the file was cut short."),
        (malformed, .error, "The document is not well-formed XML."),
        (sizeLimit, .error, "The file is larger than the configured limit."),
        (depthLimit, .error, "Elements are nested deeper than the configured limit."),
        (textLimit, .error, "A text node, attribute, CDATA section or comment is longer than the configured limit (or than libxml2's own 10,000,000 bytes)."),
        (attributeLimit, .error, "An element has more attributes than the configured limit; counted in the raw bytes before the parser sees the tag."),
        (unknownFormat, .error, "Well-formed XML, but not Asset.XML (urn:y2a:asset:1) or AssetPlus.XML (urn:y2a:assetplus:1)."),
        (schema, .error, "Not valid against the format's XSD (element order, cardinality, enumerations, patterns, ids)."),
        ("AP-STAGE-MODULE", .error, "The stage type needs a module the document does not carry."),
        ("AP-EPISODE-MIX", .error, "An episode mixes offences and incidents, or contains another episode."),
        ("AP-EPISODE-OUTSTANDING", .error, "An outstanding offence is in an episode."),
        ("AP-REMOVED-OUTCOME", .error, "An offence with a removing outcome is Outstanding or Current, or is in an episode."),
        ("AP-PREVENTION", .error, "A prevention stage has YOGRS or Scaled Approach, or an out-of-court stage has Scaled Approach."),
        ("AP-COMPLETED-DATE", .error, "CompletedOn is missing for a finished stage, or is before StartedOn."),
        ("AP-REASON", .error, "A stopped or cancelled stage has no Reason."),
        ("AP-COUNTERSIGN", .error, "A completed stage lacks a countersignature that the countersignature policy requires."),
        ("AP-DATES", .error, "Date of birth is not before the stage start, or a date is after the export (GeneratedAt)."),
        ("AP-TRANSFER-AGE", .warning, "A transfer to probation for someone under 17 at the stage start."),
        ("AS-TOTAL", .error, "TotalScore is not the sum of the 12 section scores."),
        ("AS-SECTIONS", .error, "Core profile sections are not numbered 1..12 in order with their fixed names."),
        ("AS-FORM-TRANSFER", .error, "A TransferToAdult or YotTransfer form lacks its transfer element."),
        ("AS-DATES", .error, "DOB is not before AssessmentDate, or a date is after the export (ExportedAt)."),
        ("AS-TRANSFER-AGE", .warning, "A TransferToAdult form for someone under 17 on AssessmentDate."),
        (truncatedList, .warning, "More findings than the per-file cap; the rest are counted, not listed."),
    ]
}
