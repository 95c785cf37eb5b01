import Foundation
import PackagePlugin

/// Writes the version (from `VERSION`), the git commit and the build date into the target that
/// applies it (`BuildInfo`), before every build. A prebuild command, because the commit changes
/// without any input file SwiftPM could watch; `Scripts/stamp-build-info` rewrites the file
/// only when its content changes, so an unchanged tree rebuilds nothing.
@main
struct StampBuildInfo: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "Stamp")
        return [
            .prebuildCommand(
                displayName: "Stamping the build information of \(target.name)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [root.appending(path: "Scripts/stamp-build-info").path, root.path, output.path],
                outputFilesDirectory: output)
        ]
    }
}
