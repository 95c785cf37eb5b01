public import Foundation

/// Runs the built `y2a` executable as scripts and cron do, for the command-line tests.
public enum Y2ACommand {
    public struct Run: Sendable {
        public var status: Int32
        /// True when the process ended on a signal (for instance a test's SIGKILL).
        public var killed: Bool
        public var stdout: String
        public var stderr: String
    }

    /// The `y2a` built beside the test bundle (the test targets depend on it), else the debug build.
    public static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("y2a")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Fixtures.root.appendingPathComponent(".build/debug/y2a")
    }

    /// Runs `y2a arguments` in `directory` (or `executable`, a wrapper such as setpriv, with them). Output goes through temporary files, not pipes, so a
    /// large stdout and stderr cannot block each other. With `killAfter`, sends SIGKILL after
    /// that many seconds unless it has finished.
    public static func run(
        _ arguments: [String], in directory: URL = Fixtures.root, environment: [String: String] = [:],
        killAfter: Double? = nil, executable: URL? = nil
    ) throws -> Run {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let id = UUID().uuidString
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("y2a-\(id).out")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("y2a-\(id).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var killed = false
        if let killAfter {
            let deadline = Date().addingTimeInterval(killAfter)
            while process.isRunning, Date() < deadline { usleep(5_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
        }
        process.waitUntilExit()
        if process.terminationReason == .uncaughtSignal { killed = true }
        return Run(
            status: process.terminationStatus, killed: killed,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
