public import Foundation
public import XMLSupport
import AssetFormat
import AssetPlusFormat
public import CaseRecord

/// The project's XSDs, compiled once per run and shared by every worker.
public final class SchemaCatalog: Sendable {
    public let directory: URL
    public let asset: CompiledSchema
    public let assetPlus: CompiledSchema
    public let transfer: CompiledSchema
    public let noco: CompiledSchema

    /// Compiles the four XSDs from `directory` (see `locate`).
    public init(directory: URL) throws(GatewayError) {
        self.directory = directory
        func compile(_ name: String) throws(GatewayError) -> CompiledSchema {
            let path = directory.appendingPathComponent(name).path
            do {
                return try CompiledSchema(path: path)
            } catch {
                throw GatewayError(code: "SCHEMA", message: error.description)
            }
        }
        asset = try compile(AssetDocument.schemaFileName)
        assetPlus = try compile(AssetPlusDocument.schemaFileName)
        transfer = try compile("transfer.xsd")
        noco = try compile("noco.xsd")
    }

    public func schema(for framework: Framework) -> CompiledSchema {
        switch framework {
        case .asset: asset
        case .assetPlus: assetPlus
        }
    }

    /// Finds the XSD folder: `explicit`, else `$Y2A_XSD_DIR`, else an `XSD` folder beside the
    /// executable or in one of its parents (a build folder inside the checkout), else `./XSD`
    /// (`ResourceLocator`).
    public static func locate(explicit: String? = nil) throws(GatewayError) -> URL {
        if let explicit {
            let url = URL(fileURLWithPath: explicit)
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("assetplus.xsd").path) else {
                throw GatewayError(code: "SCHEMA", message: "no assetplus.xsd in \(explicit) (point --schemas at the project's XSD folder)")
            }
            return url
        }
        if let found = ResourceLocator.locate(folder: "XSD", marker: "assetplus.xsd", environmentVariable: "Y2A_XSD_DIR") {
            return found
        }
        throw GatewayError(code: "SCHEMA", message: "cannot find the XSD folder (use --schemas DIR or set Y2A_XSD_DIR)")
    }
}
