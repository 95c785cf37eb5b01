public import Foundation

/// Finds a folder the project ships beside its executable (XSDs, templates) at run time.
///
/// Search order: the folder named by an environment variable; a `<folder>` or
/// `share/y2a/<folder>` beside the executable or in one of its parents (a build folder inside
/// the checkout, or an install prefix); `./<folder>`. A folder counts only when it holds the
/// marker file, so a stray empty folder is never picked.
public enum ResourceLocator {
    public static func locate(folder: String, marker: String, environmentVariable: String) -> URL? {
        let fileManager = FileManager.default
        func holdsMarker(_ url: URL) -> Bool {
            fileManager.fileExists(atPath: url.appendingPathComponent(marker).path)
        }
        if let fromEnvironment = ProcessInfo.processInfo.environment[environmentVariable], holdsMarker(URL(fileURLWithPath: fromEnvironment)) {
            return URL(fileURLWithPath: fromEnvironment)
        }
        var candidate = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<8 {
            for sub in [folder, "share/y2a/\(folder)"] where holdsMarker(candidate.appendingPathComponent(sub)) {
                return candidate.appendingPathComponent(sub)
            }
            candidate.deleteLastPathComponent()
        }
        let local = URL(fileURLWithPath: fileManager.currentDirectoryPath).appendingPathComponent(folder)
        return holdsMarker(local) ? local : nil
    }
}
