import Foundation
import PackagePlugin

/// Compiles the XSDs, the NOCO template and the API's OpenAPI document into the target that applies it, so that a `y2a`
/// copied anywhere on its own still has them (`BundledResources`). SwiftPM resource bundles
/// would not do: they are a folder beside the binary and are lost when the binary is copied.
@main
struct EmbedResources: BuildToolPlugin {
    /// The shipped folders and the files of each that are embedded.
    static let folders = [("XSD", ".xsd"), ("Templates", ".mustache"), ("Sources/API", "openapi.yaml")]

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL
        var relativePaths: [String] = []
        for (folder, suffix) in Self.folders {
            let names = try FileManager.default.contentsOfDirectory(atPath: root.appending(path: folder).path)
            relativePaths += names.filter { $0.hasSuffix(suffix) }.sorted().map { "\(folder)/\($0)" }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(relativePaths.count) shipped files into \(target.name)",
                executable: try context.tool(named: "embed-resources").url,
                arguments: [output.path, root.path] + relativePaths,
                inputFiles: relativePaths.map { root.appending(path: $0) },
                outputFiles: [output])
        ]
    }
}
