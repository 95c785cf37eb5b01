public import Foundation
import XMLSupport

extension TransferReceipt {
    /// The receipt as `receipt.xml`: UTF-8, elements in the contract's order.
    public func xmlData() -> Data {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <TransferReceipt xmlns="\(TransferManifest.namespace)" version="1">
              <TransferId>\(XMLEscaping.text(transferId))</TransferId>
              <Decision>\(decision.rawValue)</Decision>
              <DecidedAt>\(XMLEscaping.text(decidedAt))</DecidedAt>
              <DecidedBy code="\(XMLEscaping.attribute(decidedBy.code))">\(XMLEscaping.text(decidedBy.name))</DecidedBy>

            """
        for reason in reasons {
            xml += "  <Reason code=\"\(reason.code.rawValue)\">\(XMLEscaping.text(reason.text))</Reason>\n"
        }
        xml += "</TransferReceipt>\n"
        return Data(xml.utf8)
    }

    /// Reads `receipt.xml`: valid against transfer.xsd, root `TransferReceipt`, and a
    /// `Rejected` decision carries at least one `Reason`.
    public static func read(_ bytes: Data, name: String = "receipt.xml", reader: TransferDocumentReader) throws(TransferDocumentError) -> TransferReceipt {
        let root = try reader.read(bytes, name: name, root: "TransferReceipt")
        guard let decision = Decision(rawValue: root.text(of: "Decision") ?? ""), let decidedBy = root.child("DecidedBy") else {
            throw TransferDocumentError(document: name, message: "a required element is missing")
        }
        let reasons = root.children("Reason").compactMap { element in
            ReasonCode(rawValue: element[attribute: "code"] ?? "").map { Reason($0, element.text) }
        }
        if decision == .rejected, reasons.isEmpty {
            throw TransferDocumentError(document: name, message: "a Rejected receipt must give at least one Reason; ask the receiver for a receipt that says why")
        }
        return TransferReceipt(
            transferId: root.text(of: "TransferId") ?? "", decision: decision, decidedAt: root.text(of: "DecidedAt") ?? "",
            decidedBy: Organisation(code: decidedBy[attribute: "code"] ?? "", name: decidedBy.text), reasons: reasons)
    }
}
