public import Foundation
import CaseRecord
import XMLSupport

extension TransferManifest {
    /// The manifest as `manifest.xml`: UTF-8, elements in the contract's order.
    public func xmlData() -> Data {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <TransferManifest xmlns="\(Self.namespace)" version="1">
              <TransferId>\(XMLEscaping.text(transferId))</TransferId>
              <Kind>\(kind.rawValue)</Kind>
              <CreatedAt>\(XMLEscaping.text(createdAt))</CreatedAt>
              <Sender code="\(XMLEscaping.attribute(sender.code))">\(XMLEscaping.text(sender.name))</Sender>
              <Recipient code="\(XMLEscaping.attribute(recipient.code))">\(XMLEscaping.text(recipient.name))</Recipient>

            """
        xml += "  <Subject personId=\"\(XMLEscaping.attribute(personId))\""
        if let pnc { xml += " pnc=\"\(XMLEscaping.attribute(pnc))\"" }
        xml += "/>\n"
        xml += "  <Assessment path=\"\(XMLEscaping.attribute(assessment.path))\" format=\"\(format.rawValue)\" sha256=\"\(assessment.sha256)\" size=\"\(assessment.size)\"/>\n"
        for file in files {
            xml += "  <File path=\"\(XMLEscaping.attribute(file.checksum.path))\" role=\"\(file.role.rawValue)\" sha256=\"\(file.checksum.sha256)\" size=\"\(file.checksum.size)\" mediaType=\"\(XMLEscaping.attribute(file.mediaType))\"/>\n"
        }
        xml += "</TransferManifest>\n"
        return Data(xml.utf8)
    }

    /// Reads `manifest.xml`: valid against transfer.xsd, root `TransferManifest`, and the
    /// rules the XSD cannot express (the assessment's path matches its format; a file's role
    /// matches its path; a YouthToAdult manifest lists NOCO.xml).
    public static func read(_ bytes: Data, reader: TransferDocumentReader) throws(TransferDocumentError) -> TransferManifest {
        let root = try reader.read(bytes, name: fileName, root: "TransferManifest")
        func fail(_ message: String) -> TransferDocumentError {
            TransferDocumentError(document: fileName, message: message)
        }
        guard let kind = TransferKind(rawValue: root.text(of: "Kind") ?? ""),
              let sender = root.child("Sender"), let recipient = root.child("Recipient"),
              let subject = root.child("Subject"), let assessment = root.child("Assessment"),
              let format = Framework(rawValue: assessment[attribute: "format"] ?? "")
        else { throw fail("a required element is missing") }

        let assessmentPath = assessment[attribute: "path"] ?? ""
        guard assessmentPath == format.fileName else {
            throw fail("Assessment/@path \(assessmentPath) does not match @format \(format.rawValue) (expected \(format.fileName))")
        }
        var files: [File] = []
        for (index, file) in root.children("File").enumerated() {
            let path = file[attribute: "path"] ?? ""
            let role = FileRole(rawValue: file[attribute: "role"] ?? "") ?? .attachment
            switch role {
            case .noco where path != "NOCO.xml":
                throw fail("File \(index + 1) has role Noco but path \(path); a Noco file is NOCO.xml")
            case .attachment where !path.hasPrefix("attachments/"):
                throw fail("File \(index + 1) has role Attachment but path \(path); an attachment is attachments/<name>")
            default:
                break
            }
            files.append(File(checksum: try checksum(file, fail), role: role, mediaType: file[attribute: "mediaType"] ?? ""))
        }
        if kind == .youthToAdult, !files.contains(where: { $0.role == .noco }) {
            throw fail("a YouthToAdult manifest must list NOCO.xml (role Noco)")
        }
        return TransferManifest(
            transferId: root.text(of: "TransferId") ?? "", kind: kind, createdAt: root.text(of: "CreatedAt") ?? "",
            sender: Organisation(code: sender[attribute: "code"] ?? "", name: sender.text),
            recipient: Organisation(code: recipient[attribute: "code"] ?? "", name: recipient.text),
            personId: subject[attribute: "personId"] ?? "", pnc: subject[attribute: "pnc"],
            format: format, assessment: try checksum(assessment, fail), files: files)
    }

    private static func checksum(_ element: XMLSupport.XMLElement, _ fail: (String) -> TransferDocumentError) throws(TransferDocumentError) -> Checksum {
        guard let size = Int64((element[attribute: "size"] ?? "").trimmingCharacters(in: .whitespaces)) else {
            throw fail("a size is too large to be real")
        }
        return Checksum(path: element[attribute: "path"] ?? "", sha256: element[attribute: "sha256"] ?? "", size: size)
    }
}
