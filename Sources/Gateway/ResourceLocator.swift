public import Foundation

/// Where a shipped folder (the XSDs, the templates) is read from.
public enum ResourceOrigin: Sendable, Hashable, CustomStringConvertible {
    /// A folder on disk: given, named by an environment variable, the checkout's, or the install's.
    case folder(URL)
    /// The copy compiled into the binary (`BundledResources`).
    case builtIn

    public var description: String {
        switch self {
        case .folder(let url): url.path
        case .builtIn: "built in"
        }
    }
}

/// Finds a folder the project ships (XSDs, templates) at run time, so that `y2a` works wherever
/// it is installed, copied or linked from.
///
/// Search order, after an explicit option (which the caller checks):
/// 1. the folder named by the environment variable (it must hold the marker file, else this is
///    an error: an override is never ignored in silence);
/// 2. the checkout's `<folder>` when the executable is built inside one (`<checkout>/.build…/`);
/// 3. `<prefix>/share/y2a/<folder>` when the executable is `<prefix>/bin/y2a` (FHS: `/usr`,
///    `/usr/local`, `/opt/y2a`);
/// 4. none: the caller uses the copy compiled into the binary.
///
/// The executable's real path is used (symlinks resolved, `/proc/self/exe` on Linux), so a
/// symlink on `PATH` finds the folder of what it points at. A folder counts only when it holds
/// the marker file, so a stray empty folder is never picked.
public enum ResourceLocator {
    public static func locate(folder: String, marker: String, environmentVariable: String) throws(GatewayError) -> URL? {
        if let fromEnvironment = ProcessInfo.processInfo.environment[environmentVariable], !fromEnvironment.isEmpty {
            let url = URL(fileURLWithPath: fromEnvironment)
            guard holdsMarker(url, marker) else {
                throw GatewayError(code: "RESOURCES", message: "\(environmentVariable)=\(fromEnvironment) holds no \(marker) (point it at a folder like the project's \(folder)/, or unset it to use the built-in copy)")
            }
            return url
        }
        return installed(folder: folder, marker: marker, executable: executableURL)
    }

    /// Step 2 and 3 of the search for an executable at `executable` (a real path).
    static func installed(folder: String, marker: String, executable: URL) -> URL? {
        let binFolder = executable.deletingLastPathComponent()
        // Built in a checkout: .build/debug/y2a, .build/x86_64-unknown-linux-gnu/release/y2a, ...
        var candidate = binFolder
        while candidate.pathComponents.count > 1 {
            if candidate.lastPathComponent.hasPrefix(".build") {
                let checkout = candidate.deletingLastPathComponent().appendingPathComponent(folder)
                if holdsMarker(checkout, marker) { return checkout }
                break
            }
            candidate.deleteLastPathComponent()
        }
        if binFolder.lastPathComponent == "bin" {
            let shared = binFolder.deletingLastPathComponent().appendingPathComponent("share/y2a/\(folder)")
            if holdsMarker(shared, marker) { return shared }
        }
        return nil
    }

    /// The running executable, symlinks resolved.
    public static var executableURL: URL {
        #if os(Linux)
        if let real = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: real).resolvingSymlinksInPath()
        }
        #endif
        if let path = Bundle.main.executablePath {
            return URL(fileURLWithPath: path).resolvingSymlinksInPath()
        }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
    }

    private static func holdsMarker(_ url: URL, _ marker: String) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(marker).path)
    }
}
