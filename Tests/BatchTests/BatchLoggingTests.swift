import Batch
import Foundation
import TestSupport
import Testing

/// Issue 13, point 8: under cron the batch says little (start, summary, warnings, errors)
/// unless asked; JSON lines when asked.
@Suite("y2a batch: logging", .serialized)
struct BatchLoggingTests {
    static func run(extraConfig: String = "", arguments: [String] = []) throws -> Y2ACommand.Run {
        let space = try Workspace(workers: 1, extra: extraConfig)
        for name in ["valid/asset-bail-asset.xml", "valid/assetplus-review-in-progress.xml", "invalid/binary-garbage.xml"] {
            try space.drop(name)
        }
        // The test's stderr is a file, as under cron.
        return try Y2ACommand.run(["batch", "--config", space.configPath] + arguments)
    }

    @Test("by default, not on a terminal: one summary line on stderr, no line per file")
    func quietUnderCron() async throws {
        let run = try await offThePool { try Self.run() }
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(lines.first?.contains("run finished") == true && lines.first?.contains("stored 2, quarantined 1") == true, "\(run.stderr)")
        #expect(!run.stderr.contains("file decided") && !run.stderr.contains("run started"), "\(run.stderr)")
    }

    @Test("--log-level info, or [log] level = \"info\", adds every file's decision")
    func infoLevel() async throws {
        let flag = try await offThePool { try Self.run(arguments: ["--log-level", "info"]) }
        #expect(flag.stderr.components(separatedBy: "file decided").count - 1 == 3, "\(flag.stderr)")
        let configured = try await offThePool { try Self.run(extraConfig: "[log]\nlevel = \"info\"") }
        #expect(configured.stderr.components(separatedBy: "file decided").count - 1 == 3, "\(configured.stderr)")
        let overridden = try await offThePool { try Self.run(extraConfig: "[log]\nlevel = \"info\"", arguments: ["--log-level", "error"]) }
        #expect(overridden.stderr.isEmpty, "\(overridden.stderr)")
        let verbose = try await offThePool { try Self.run(arguments: ["--verbose"]) }
        #expect(verbose.stderr.components(separatedBy: "file decided").count - 1 == 3, "\(verbose.stderr)")
    }

    @Test("--log-format json: JSON lines without a [log] section")
    func jsonFlag() async throws {
        let run = try await offThePool { try Self.run(arguments: ["--log-format", "json"]) }
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any], "\(run.stderr)")
        #expect(object["level"] as? String == "notice" && object["message"] as? String == "run finished", "\(run.stderr)")
    }

    @Test("[log] format = \"json\": every line is one JSON object with level, message and metadata")
    func jsonLines() async throws {
        let run = try await offThePool { try Self.run(extraConfig: "[log]\nlevel = \"info\"\nformat = \"json\"") }
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 5, "\(run.stderr)")
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["level"] is String && object["message"] is String && object["time"] is String, "\(line)")
        }
        #expect(lines.contains { $0.contains("\"message\":\"file decided\"") && $0.contains("\"file\":\"binary-garbage.xml\"") })
    }

    @Test("a wrong [log] level or format is CONFIG-VALUE")
    func wrongSettings() throws {
        for extra in ["[log]\nlevel = \"loud\"", "[log]\nformat = \"xml\""] {
            #expect(throws: BatchError.self) { _ = try Workspace(extra: extra) }
            do {
                _ = try Workspace(extra: extra)
            } catch let error as BatchError {
                #expect(error.code == "CONFIG-VALUE")
            }
        }
    }
}
