public import Foundation
public import XMLSupport
import AssetFormat
import AssetPlusFormat
public import CaseRecord
import BundledResources

/// The project's XSDs, compiled once per run and shared by every worker.
public final class SchemaCatalog: Sendable {
    /// Where the XSDs were read from.
    public let origin: ResourceOrigin
    public let asset: CompiledSchema
    public let assetPlus: CompiledSchema
    public let transfer: CompiledSchema
    public let noco: CompiledSchema

    /// The XSD files, as named in the XSD folder.
    static let fileNames = [AssetDocument.schemaFileName, AssetPlusDocument.schemaFileName, "transfer.xsd", "noco.xsd"]

    /// Compiles the four XSDs from `directory`.
    public convenience init(directory: URL) throws(GatewayError) {
        try self.init(origin: .folder(directory))
    }

    /// Compiles the four XSDs from a folder or from the copy compiled into the binary.
    public init(origin: ResourceOrigin) throws(GatewayError) {
        self.origin = origin
        func compile(_ name: String) throws(GatewayError) -> CompiledSchema {
            let compiled: Result<CompiledSchema, SchemaError>
            switch origin {
            case .folder(let directory):
                compiled = Result { () throws(SchemaError) in try CompiledSchema(path: directory.appendingPathComponent(name).path) }
            case .builtIn:
                guard let bytes = BundledResources.contents(of: "XSD/\(name)") else {
                    throw GatewayError(code: "SCHEMA", message: "this build of y2a has no built-in XSD/\(name) (use --schemas DIR)")
                }
                compiled = Result { () throws(SchemaError) in try CompiledSchema(bytes: [UInt8](bytes), name: "built-in XSD/\(name)") }
            }
            do {
                return try compiled.get()
            } catch {
                throw GatewayError(code: "SCHEMA", message: error.description)
            }
        }
        asset = try compile(Self.fileNames[0])
        assetPlus = try compile(Self.fileNames[1])
        transfer = try compile(Self.fileNames[2])
        noco = try compile(Self.fileNames[3])
    }

    /// The schemas `explicit` (`--schemas`) or the search of `locate` names, compiled.
    public static func load(explicit: String? = nil) throws(GatewayError) -> SchemaCatalog {
        try SchemaCatalog(origin: locate(explicit: explicit))
    }

    public func schema(for framework: Framework) -> CompiledSchema {
        switch framework {
        case .asset: asset
        case .assetPlus: assetPlus
        }
    }

    /// Where the XSDs are: `explicit` (a folder that must hold them), else `$Y2A_XSD_DIR`, else
    /// the checkout's or the install's folder, else the copy built into the binary
    /// (`ResourceLocator`).
    public static func locate(explicit: String? = nil) throws(GatewayError) -> ResourceOrigin {
        if let explicit {
            let url = URL(fileURLWithPath: explicit)
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("assetplus.xsd").path) else {
                throw GatewayError(code: "SCHEMA", message: "no assetplus.xsd in \(explicit) (point --schemas at the project's XSD folder)")
            }
            return .folder(url)
        }
        do {
            return try ResourceLocator.locate(folder: "XSD", marker: "assetplus.xsd", environmentVariable: "Y2A_XSD_DIR").map { .folder($0) } ?? .builtIn
        } catch {
            throw GatewayError(code: "SCHEMA", message: error.message)
        }
    }
}
