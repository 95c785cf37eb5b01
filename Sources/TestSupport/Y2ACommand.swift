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

    /// Runs `y2a arguments` in `directory` (`executable`: another copy of y2a, or any other
    /// program). Output goes through temporary files, not pipes, so a large stdout and stderr
    /// cannot block each other. With `killAfter`, sends SIGKILL after that many seconds unless
    /// it has finished. `input` is its standard input (else none).
    public static func run(
        _ arguments: [String], in directory: URL = Fixtures.root, environment: [String: String] = [:],
        killAfter: Double? = nil, input: String? = nil, executable: URL = binary
    ) throws -> Run {
        try start(arguments, in: directory, environment: environment, input: input, executable: executable).finish(killAfter: killAfter)
    }

    /// Starts `y2a arguments` as `run` does, and answers at once: the test does something
    /// while it runs (restarts its database), then `finish`es it.
    public static func start(
        _ arguments: [String], in directory: URL = Fixtures.root, environment: [String: String] = [:],
        input: String? = nil, executable: URL = binary
    ) throws -> Started {
        try Started(arguments, in: directory, environment: environment, input: input, executable: executable)
    }

    /// A started process, its output going to temporary files (removed by `finish`).
    public final class Started {
        private let process = Process()
        private let out: URL
        private let err: URL
        private let inputFile: URL

        init(_ arguments: [String], in directory: URL, environment: [String: String], input: String?, executable: URL) throws {
            process.executableURL = executable
            process.arguments = arguments
            process.currentDirectoryURL = directory
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let id = UUID().uuidString
            out = FileManager.default.temporaryDirectory.appendingPathComponent("y2a-\(id).out")
            err = FileManager.default.temporaryDirectory.appendingPathComponent("y2a-\(id).err")
            inputFile = FileManager.default.temporaryDirectory.appendingPathComponent("y2a-\(id).in")
            _ = FileManager.default.createFile(atPath: out.path, contents: nil)
            _ = FileManager.default.createFile(atPath: err.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            if let input {
                try Data(input.utf8).write(to: inputFile)
                process.standardInput = try FileHandle(forReadingFrom: inputFile)
            } else {
                process.standardInput = FileHandle.nullDevice
            }
            do {
                try process.run()
            } catch {
                removeFiles()
                throw error
            }
        }

        public var isRunning: Bool { process.isRunning }

        /// Waits for the process to end; with `killAfter`, sends SIGKILL once that many seconds
        /// have passed since this call unless it has ended (the answer says `killed`).
        public func finish(killAfter: Double? = nil) -> Run {
            defer { removeFiles() }
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

        private func removeFiles() {
            for file in [out, err, inputFile] { try? FileManager.default.removeItem(at: file) }
        }
    }
}
