/// Writes a case record as the exact bytes `CanonicalJSON.encode` gives (sorted keys, two-space
/// pretty printing with `" : "`, unescaped slashes, `null` for what the source lacks, one
/// trailing newline) without going through `JSONEncoder`.
///
/// Written by hand because `JSONEncoder` was a third of `y2a convert`'s time (a boxed container
/// per value, a dictionary per object, the keys sorted per object); no package in the project's
/// set writes this Foundation-compatible layout. Each type's keys are listed below in the order
/// `.sortedKeys` gives them (byte order). `CaseRecordJSONWriterTests` checks the bytes against
/// `JSONEncoder` over every sample and over generated records, so a key added to the model and
/// not here fails a test.
struct CaseRecordJSONWriter {
    private(set) var bytes: [UInt8] = []
    private var depth = 0

    init(capacity: Int = 16 * 1024) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Layout

    /// True until the open object or array has its first member: the comma, and the empty form.
    private var first = true

    private mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        depth += 1
        first = true
    }

    private mutating func endObject() {
        close(UInt8(ascii: "}"))
    }

    /// Closes on its own line; an empty object or array is `{`, two newlines, the indent, `}`.
    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        bytes.append(0x0A)
        if first { bytes.append(0x0A) }
        indent()
        bytes.append(bracket)
        first = false
    }

    private mutating func indent() {
        for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
    }

    /// The comma after the previous member or element, the newline and the indent.
    private mutating func nextItem() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(0x0A)
        indent()
    }

    /// Starts a member: `"key" : `.
    private mutating func key(_ name: StaticString) {
        nextItem()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), 0x20, UInt8(ascii: ":"), 0x20])
    }

    private mutating func array<Element>(_ elements: [Element], _ write: (inout CaseRecordJSONWriter, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        depth += 1
        first = true
        for element in elements {
            nextItem()
            write(&self, element)
        }
        close(UInt8(ascii: "]"))
    }

    // MARK: - Scalars

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string as `JSONEncoder` escapes it: `"` and `\`, the short forms `\b \t \n \f \r`,
    /// other controls below 0x20 as `\u00xx`; everything else (slashes, non-ASCII) as is.
    private mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func null() {
        bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")])
    }

    private mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    private mutating func integer(_ value: Int?) {
        guard let value else { return null() }
        bytes.append(contentsOf: String(value).utf8)
    }

    private mutating func boolean(_ value: Bool?) {
        guard let value else { return null() }
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    private mutating func strings(_ values: [String]) {
        array(values) { $0.string($1) }
    }

    // MARK: - The record (keys in byte order)

    /// The whole record and its trailing newline.
    mutating func write(_ record: CaseRecord) {
        beginObject()
        key("assessment"); write(record.assessment)
        key("diagnostics"); array(record.diagnostics) { $0.write($1) }
        key("documents"); array(record.documents) { $0.write($1) }
        key("episodes"); array(record.episodes) { $0.write($1) }
        key("incidents"); array(record.incidents) { $0.write($1) }
        key("needs"); array(record.needs) { $0.write($1) }
        key("offences"); array(record.offences) { $0.write($1) }
        key("person"); write(record.person)
        key("plan")
        beginObject()
        key("targets"); array(record.plan.targets) { $0.write($1) }
        endObject()
        key("positiveFactors"); strings(record.positiveFactors)
        key("risk"); write(record.risk)
        key("schema"); string(record.schema)
        key("source"); write(record.source)
        key("transition"); if let transition = record.transition { write(transition) } else { null() }
        key("yotTransfer"); if let transfer = record.yotTransfer { write(transfer) } else { null() }
        endObject()
        bytes.append(0x0A)
    }

    private mutating func write(_ value: CaseRecord.Organisation) {
        beginObject()
        key("code"); string(value.code)
        key("name"); string(value.name)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Source) {
        beginObject()
        key("documentId"); string(value.documentId)
        key("exportedAt"); string(value.exportedAt)
        key("fileName"); string(value.fileName)
        key("format"); string(value.format.rawValue)
        key("organisation"); write(value.organisation)
        key("sha256"); string(value.sha256)
        key("sourceSystem"); string(value.sourceSystem)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Person) {
        beginObject()
        key("cro"); string(value.cro)
        key("dateOfBirth"); string(value.dateOfBirth)
        key("familyName"); string(value.familyName)
        key("gender"); string(value.gender)
        key("givenNames"); string(value.givenNames)
        key("id"); string(value.id)
        key("lookedAfter"); string(value.lookedAfter)
        key("pnc"); string(value.pnc)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Assessment) {
        beginObject()
        key("assessedOn"); string(value.assessedOn)
        key("caseType"); string(value.caseType.rawValue)
        key("countersignedBy"); array(value.countersignedBy) { $0.write($1) }
        key("stage"); string(value.stage)
        key("status"); string(value.status)
        key("transferStatus"); string(value.transferStatus?.rawValue)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Countersignature) {
        beginObject()
        key("managerName"); string(value.managerName)
        key("section"); string(value.section)
        key("signedOn"); string(value.signedOn)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Risk) {
        beginObject()
        key("flags"); write(value.flags)
        key("likelihoodOfReoffending"); string(value.likelihoodOfReoffending)
        key("mappa"); if let mappa = value.mappa { write(mappa) } else { null() }
        key("riskOfSeriousHarm"); string(value.riskOfSeriousHarm)
        key("safetyAndWellbeing"); string(value.safetyAndWellbeing)
        key("scaledApproach"); string(value.scaledApproach)
        key("yogrs"); integer(value.yogrs)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.MAPPA) {
        beginObject()
        key("category"); string(value.category)
        key("level"); string(value.level)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Flags) {
        beginObject()
        key("childProtectionPlan"); string(value.childProtectionPlan)
        key("gangAssociation"); string(value.gangAssociation)
        key("previousIncidents"); string(value.previousIncidents)
        key("riskOfSelfHarm"); string(value.riskOfSelfHarm)
        key("riskToChildren"); string(value.riskToChildren)
        key("staffSafety"); string(value.staffSafety)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Factor) {
        beginObject()
        key("strength"); string(value.strength)
        key("text"); string(value.text)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Need) {
        beginObject()
        key("area"); string(value.area.rawValue)
        key("assetEvidence"); string(value.assetEvidence)
        key("assetScore"); integer(value.assetScore)
        key("factorsAgainst"); array(value.factorsAgainst) { $0.write($1) }
        key("factorsFor"); array(value.factorsFor) { $0.write($1) }
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Offence) {
        beginObject()
        key("date"); string(value.date)
        key("description"); string(value.description)
        key("id"); string(value.id)
        key("outcome"); string(value.outcome)
        key("status"); string(value.status)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Incident) {
        beginObject()
        key("date"); string(value.date)
        key("description"); string(value.description)
        key("id"); string(value.id)
        key("status"); string(value.status)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Episode) {
        beginObject()
        key("id"); string(value.id)
        key("kind"); string(value.kind)
        key("members"); strings(value.members)
        key("status"); string(value.status)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Target) {
        beginObject()
        key("dueBy"); string(value.dueBy)
        key("keyAreas"); strings(value.keyAreas)
        key("text"); string(value.text)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Service) {
        beginObject()
        key("date"); string(value.date)
        key("detail"); string(value.detail)
        key("lead"); string(value.lead)
        key("name"); string(value.name)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Transition) {
        beginObject()
        key("adultEnvironment"); string(value.adultEnvironment)
        key("changeOfSupervisor"); string(value.changeOfSupervisor)
        key("continuingServices"); array(value.continuingServices) { $0.write($1) }
        key("endingServices"); array(value.endingServices) { $0.write($1) }
        key("interventionsToAvoid"); string(value.interventionsToAvoid)
        key("specificNeeds"); string(value.specificNeeds)
        key("supervisionForms"); string(value.supervisionForms)
        key("transitionHelp"); string(value.transitionHelp)
        key("unclearServices"); array(value.unclearServices) { $0.write($1) }
        endObject()
    }

    private mutating func write(_ value: CaseRecord.YotTransfer) {
        beginObject()
        key("caretaking"); boolean(value.caretaking)
        key("reason"); string(value.reason)
        key("receivingYot"); write(value.receivingYot)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Document) {
        beginObject()
        key("fileName"); string(value.fileName)
        key("mediaType"); string(value.mediaType)
        key("sha256"); string(value.sha256)
        endObject()
    }

    private mutating func write(_ value: CaseRecord.Diagnostic) {
        beginObject()
        key("code"); string(value.code)
        key("line"); integer(value.line)
        key("message"); string(value.message)
        key("severity"); string(value.severity)
        endObject()
    }
}
