import ArgumentParser
import BuildInfo
import CaseRecord
import Findings
import Foundation
import Gateway
import NOCO
import Portal

struct Noco: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "noco",
        abstract: "Generate the NOCO template (NOCO.xml and NOCO.html) for a transfer from an assessment.",
        discussion: """
            The assessment is validated first, exactly as by `y2a validate`; an invalid one is \
            reported and no NOCO is written. From a valid one the gateway builds the NOCO from \
            the case record alone (nothing is retyped or invented), checks NOCO.xml against \
            XSD/noco.xsd, renders NOCO.html from a Mustache template, and writes both into \
            --out (atomically, mode 0600).

            The sender is the organisation the assessment names. A field the assessment lacks \
            (a YOGRS score, MAPPA, the youth-to-adult section of a YouthToAdult transfer, ...) \
            becomes a gap, listed here as `gap FIELD: reason` so that the sender completes it \
            by hand; what the receiver must still do (RSR and CAS, a MAPPA meeting, ...) is \
            derived by named rules. docs/noco.md lists the gap and receiver-action rules and \
            the variables a custom template may use.

            The default template is Templates/noco.html.mustache, built into y2a; \
            $Y2A_TEMPLATE_DIR names a folder with another noco.html.mustache, and an installed \
            <prefix>/share/y2a/Templates is read when present. --template uses a service's \
            own; values are always HTML-escaped, and a template that does not parse \
            or uses an unknown variable is refused with its file and line.

            Examples:
              y2a noco AssetPlus.XML --to N07 --to-name "Northtown PDU"
              y2a noco Asset.XML --to N07 --to-name "Northtown PDU" \\
                  --from-contact-name "A. Practitioner" --from-phone "01632 960000" \\
                  --out transfers/17/
              y2a noco Asset.XML --kind YotToYot --to C41 \\
                  --transfer-id 8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33
                  (a YotTransfer form naming C41 as its receiving YOT: no --to-name needed)
              y2a noco AssetPlus.XML --to N07 --to-name "Northtown PDU" \\
                  --template our-noco.html.mustache --format json

            Exit: 0 written (gaps allowed), 1 the assessment is invalid, 2 usage, 3 I/O, \
            template or internal failure.
            """)

    @OptionGroup var reading: ReadingOptions

    @Option(name: .customLong("to"), help: ArgumentHelp("The receiving probation area's or YOT's code (3 to 8 capital letters or digits).", valueName: "code"))
    var toCode: String

    @Option(help: ArgumentHelp("The receiver's name. Default: the receiving YOT the assessment names, when its code is --to.", valueName: "name"))
    var toName: String?

    @Option(help: ArgumentHelp("The kind of transfer: YouthToAdult or YotToYot.", valueName: "kind"), transform: Noco.kind)
    var kind: NOCOKind = .youthToAdult

    @Option(help: ArgumentHelp("The transfer package's id (a UUID, written lower-case). Default: a new random one.", valueName: "uuid"))
    var transferId: String?

    @Option(help: ArgumentHelp("The person to contact at the sending YOT.", valueName: "name"))
    var fromContactName: String?

    @Option(help: ArgumentHelp("The contact's phone number (needs --from-contact-name).", valueName: "phone"))
    var fromPhone: String?

    @Option(help: ArgumentHelp("The contact's e-mail address (needs --from-contact-name).", valueName: "email"))
    var fromEmail: String?

    @Option(help: ArgumentHelp("A Mustache template for NOCO.html instead of the shipped one.", valueName: "file"))
    var template: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Folder for NOCO.xml and NOCO.html (created 0700). Default: the current folder.", valueName: "dir"))
    var out: String?

    @Option(help: "Report format: text or json.")
    var format: OutputFormat = .text

    @Argument(help: ArgumentHelp("The Asset.XML or AssetPlus.XML document.", valueName: "file"))
    var file: String

    func validate() throws {
        guard NOCOGenerator.isOrganisationCode(toCode) else {
            throw ValidationError("--to must be an organisation code: 3 to 8 capital letters or digits, such as N07")
        }
        if let toName, toName.isEmpty || toName.count > NOCOGenerator.maxName {
            throw ValidationError("--to-name must be 1 to \(NOCOGenerator.maxName) characters")
        }
        if let transferId, !NOCORequest.isTransferId(transferId) {
            throw ValidationError("--transfer-id must be a UUID such as 8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33")
        }
        if fromContactName == nil, fromPhone != nil || fromEmail != nil {
            throw ValidationError("--from-phone and --from-email need --from-contact-name (the NOCO contact has a name)")
        }
        for (option, value) in [("--from-contact-name", fromContactName), ("--from-phone", fromPhone), ("--from-email", fromEmail)] {
            if let value, value.isEmpty || value.count > NOCOGenerator.maxText {
                throw ValidationError("\(option) must be 1 to \(NOCOGenerator.maxText) characters")
            }
        }
    }

    func run() throws {
        let started = DispatchTime.now()
        let validator: BatchValidator
        let template: NOCOTemplate
        do {
            validator = try reading.makeValidator()
            template = try loadTemplate()
        } catch {
            printError("y2a noco: \(error)")
            throw ExitCode(ExitStatus.failure)
        }

        let outcome = validator.run([.file(file)], convert: true)[0]
        guard case .success(let processed) = outcome else {
            if case .failure(let error) = outcome { printError(ReportFormatter.line(for: error)) }
            throw ExitCode(ExitStatus.failure)
        }
        guard processed.report.valid, let record = processed.caseRecord else {
            try printInvalid(outcome, seconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
            throw ExitCode(ExitStatus.invalidInput)
        }

        let request = NOCORequest(
            transferId: transferId ?? NOCORequest.newTransferId(),
            kind: kind,
            from: .init(
                code: record.source.organisation.code, name: record.source.organisation.name,
                contact: fromContactName.map { .init(name: $0, phone: fromPhone, email: fromEmail) }),
            to: .init(code: toCode, name: try receiverName(record)),
            generatedAt: Date())

        let outDirectory = URL(fileURLWithPath: out ?? FileManager.default.currentDirectoryPath)
        let xmlURL = outDirectory.appendingPathComponent("NOCO.xml")
        let htmlURL = outDirectory.appendingPathComponent("NOCO.html")
        let document: NOCODocument
        do {
            let generated = try NOCOGenerator().generate(from: record, request: request)
            document = generated.document
            // A NOCO that fails its own XSD is a bug in the gateway, never the sender's problem.
            let findings = try validator.schemas.findings(forGenerated: [UInt8](generated.xml), name: "NOCO.xml", schema: validator.schemas.noco)
            if !findings.isEmpty {
                printError("y2a noco: internal error: the generated NOCO.xml does not validate against noco.xsd; nothing was written (please report this):")
                findings.forEach { printError("  NOCO.xml:\($0)") }
                throw ExitCode(ExitStatus.failure)
            }
            let html = try template.renderData(generated.document)
            try AtomicFile.write(generated.xml, to: xmlURL)
            try AtomicFile.write(html, to: htmlURL)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("y2a noco: \(error)")
            throw ExitCode(ExitStatus.failure)
        }

        switch format {
        case .json:
            writeOutput(try NocoSummary(file: file, report: processed.report, document: document, xml: xmlURL.path, html: htmlURL.path).jsonData())
        case .text:
            var text = ReportFormatter.lines(for: processed.report).map { $0 + "\n" }.joined()
            text += "wrote \(xmlURL.path)\nwrote \(htmlURL.path)\n"
            text += "NOCO \(document.transferId) (\(document.kind.rawValue)) for \(document.to.code): "
            text += "\(document.gaps.count) gap\(document.gaps.count == 1 ? "" : "s") to complete, "
            text += "\(document.receiverActions.count) receiver action\(document.receiverActions.count == 1 ? "" : "s")\n"
            for gap in document.gaps { text += "gap \(gap.field): \(gap.reason)\n" }
            for action in document.receiverActions { text += "action \(action.rule): \(action.text)\n" }
            writeOutput(Data(text.utf8))
        }
    }

    /// `--template`, else `$Y2A_TEMPLATE_DIR`'s, the checkout's or the install's
    /// `Templates/noco.html.mustache`, else the copy built into the binary.
    private func loadTemplate() throws -> NOCOTemplate {
        if let template {
            return try NOCOTemplate(contentsOf: URL(fileURLWithPath: template))
        }
        return try NOCOTemplate.installed()
    }

    private static func kind(_ text: String) throws -> NOCOKind {
        guard let kind = NOCOKind(rawValue: text) else { throw ValidationError("--kind must be YouthToAdult or YotToYot") }
        return kind
    }

    /// `--to-name`, else the receiving YOT the assessment itself names under the same code.
    private func receiverName(_ record: CaseRecord) throws -> String {
        if let toName { return toName }
        if let receiving = record.yotTransfer?.receivingYot, receiving.code == toCode { return receiving.name }
        printError("y2a noco: --to-name is needed: the assessment does not name a receiver with code \(toCode)")
        throw ExitCode(ExitStatus.usage)
    }

    /// The findings of an invalid document, printed as `y2a validate` prints them.
    private func printInvalid(_ outcome: BatchValidator.Outcome, seconds: Double) throws {
        var summary = RunSummary()
        summary.add(outcome)
        summary.seconds = seconds
        switch format {
        case .json:
            writeOutput(try ReportFormatter.json([outcome], summary: summary))
        case .text:
            guard case .success(let processed) = outcome else { return }
            var text = ReportFormatter.lines(for: processed.report).map { $0 + "\n" }.joined()
            text += summary.line + "\n"
            text += "y2a noco: \(file) is invalid; no NOCO was written\n"
            writeOutput(Data(text.utf8))
        }
    }
}

/// `y2a noco --format json`: what was written and what is left to do. No personal data: gaps
/// and actions name fields and codes only.
private struct NocoSummary: Encodable {
    struct Outputs: Encodable {
        var xml: String
        var html: String
    }

    var file: String
    var format: String?
    var findings: [Finding]
    var transferId: String
    var kind: String
    var to: String
    var outputs: Outputs
    var gaps: [NOCODocument.Gap]
    var receiverActions: [NOCODocument.ReceiverAction]
    var y2a = BuildInfo.current

    init(file: String, report: DocumentReport, document: NOCODocument, xml: String, html: String) {
        self.file = file
        format = report.format?.rawValue
        findings = report.findings
        transferId = document.transferId
        kind = document.kind.rawValue
        to = document.to.code
        outputs = Outputs(xml: xml, html: html)
        gaps = document.gaps
        receiverActions = document.receiverActions
    }

    func jsonData() throws -> Data {
        try CanonicalJSON.encode(self)
    }
}
