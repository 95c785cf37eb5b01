import BundledResources
import Foundation
import Gateway
public import NOCO

extension NOCOTemplate {
    /// `$Y2A_TEMPLATE_DIR`'s, the checkout's or the install's `Templates/noco.html.mustache`,
    /// else the copy built into y2a: the template `y2a noco` and the portal use when given none.
    public static func installed() throws -> NOCOTemplate {
        let folder: URL?
        do {
            folder = try ResourceLocator.locate(folder: "Templates", marker: defaultFileName, environmentVariable: "Y2A_TEMPLATE_DIR")
        } catch {
            throw GatewayError(code: "TEMPLATE", message: error.message)
        }
        if let folder {
            return try NOCOTemplate(contentsOf: folder.appendingPathComponent(defaultFileName))
        }
        guard let bytes = BundledResources.contents(of: "Templates/\(defaultFileName)") else {
            throw GatewayError(code: "TEMPLATE", message: "this build of y2a has no built-in Templates/\(defaultFileName) (use --template FILE or set Y2A_TEMPLATE_DIR)")
        }
        return try NOCOTemplate(text: String(decoding: bytes, as: UTF8.self), name: "built-in Templates/\(defaultFileName)")
    }
}
