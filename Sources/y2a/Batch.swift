import ArgumentParser
import Batch
import Foundation
import Logging

struct Batch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Sweep the inbox once: store assessments, answer packages, apply receipts; for cron.",
        discussion: """
            Takes an exclusive lock beside the store, then handles every settled file in the \
            inbox: an assessment is validated, converted and stored; a package (*.y2a.zip) is \
            imported and answered with a receipt in the outbox; a receipt updates its transfer. \
            Each file then moves to archive/, or to quarantine/ with <name>.findings.json. A run \
            killed at any moment is finished by the next run: nothing is lost or done twice. \
            Dotfiles, *.tmp and *.part are uploads in progress and are left alone. See docs/batch.md.

            Examples:
              y2a batch --config /etc/y2a/batch.toml
              y2a batch --config /etc/y2a/batch.toml --dry-run
              crontab: 15 2 * * * /usr/local/bin/y2a batch --config /etc/y2a/batch.toml >>/var/log/y2a/batch.log 2>&1

            Exit: 0 all done, 1 some files quarantined, 2 usage or configuration error, \
            3 the run failed or a file could not be handled (the next run retries), \
            4 another run holds the lock (nothing done).
            """)

    @Option(help: ArgumentHelp("The batch configuration (TOML); see docs/batch.example.toml.", valueName: "file"))
    var config: String

    @Flag(help: "Show what would be done; change nothing (no file moved, no row written, no report).")
    var dryRun = false

    @Flag(help: "No progress line on the terminal.")
    var quiet = false

    @Flag(help: "Log every file's decision (the same as --log-level info).")
    var verbose = false

    @Option(help: ArgumentHelp(
        "Least severe log line written to stderr: trace, debug, info (every file and the run's start), notice (the run's summary line), warning, error, critical. Default: [log] level, else notice when stderr is not a terminal (cron) and warning on a terminal.",
        valueName: "level"))
    var logLevel: LogLevelArgument?

    @Option(help: ArgumentHelp("Log line format on stderr: text, or json (one JSON object per line). Default: [log] format, else text.", valueName: "format"))
    var logFormat: LogFormatArgument?

    func run() async throws {
        let configuration: BatchConfiguration
        do {
            configuration = try BatchConfiguration.load(from: URL(fileURLWithPath: config))
        } catch {
            printError("y2a batch: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
        let interactive = isatty(STDERR_FILENO) == 1
        var log = configuration.log
        if let logFormat { log.format = logFormat.format }
        let level = log.effectiveLevel(commandLine: logLevel?.level ?? (verbose ? .info : nil), interactive: interactive)
        LoggingSystem.bootstrap(log.makeHandler(level: level))
        var runner = BatchRunner(configuration: configuration, logger: Logger(label: "y2a.batch"))
        let progress = Progress(total: Int.max, verb: "batch", quiet: quiet || dryRun || !interactive)
        runner.progress = { done, total in progress.show(done, of: total) }
        let report: BatchRunReport
        do {
            report = try await runner.run(dryRun: dryRun)
        } catch {
            progress.finish()
            printError("y2a batch: \(error)")
            throw ExitCode(error.isLocked ? BatchRunReport.ExitCode.locked : BatchRunReport.ExitCode.failure)
        }
        progress.finish()
        if dryRun { writeOutput(Data(report.plan.utf8)) }
        writeOutput(Data(report.text.utf8))
        let status = report.exitStatus
        if status != 0 { throw ExitCode(status) }
    }
}

/// `--log-level`: swift-log's levels, by their names.
enum LogLevelArgument: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .notice }
}

/// `--log-format`.
enum LogFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case text, json

    var format: BatchLogSettings.Format { self == .json ? .json : .text }
}
