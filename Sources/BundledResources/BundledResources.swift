public import Foundation

/// The shipped files compiled into the binary at build time (the `EmbedResources` plugin):
/// the XSDs (`XSD/*.xsd`) and the NOCO template (`Templates/*.mustache`), byte for byte as in
/// the checkout. Used when no folder is given or found, so that a copied `y2a` still works.
public enum BundledResources {
    /// The embedded files' paths relative to the checkout, e.g. `XSD/assetplus.xsd`, sorted.
    public static var paths: [String] { embeddedFiles.keys.sorted() }

    /// The bytes of the embedded file at `path` (relative to the checkout), if there is one.
    public static func contents(of path: String) -> Data? {
        embeddedFiles[path].flatMap { Data(base64Encoded: $0) }
    }
}

#if Y2A_NO_EMBEDDED_FILES
// The fuzzing build (Package.swift, Y2A_FUZZ) runs no build tool: libFuzzer's main would be
// linked into it. Its targets read the checkout's XSD/ instead.
let embeddedFiles: [String: String] = [:]
#endif
