import Access
import ArgumentParser
import CaseStore
import Foundation

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print the audit trail: who did what, when, to which case, from where.",
        discussion: """
            The trail is append-only (the store refuses to change or delete a row). Searches \
            are recorded as "search" with their number of results, never the words searched.

            Examples:
              y2a audit --store y2a.sqlite --since 2026-12-01
              y2a audit --store y2a.sqlite --user alice --format json
              y2a audit --store y2a.sqlite --case 42 > case-42-access.csv
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json
    }

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Events at or after this date (YYYY-MM-DD) or instant (ISO 8601).") var since: String?
    @Option(help: "Only this user's events.") var user: String?
    @Option(name: .customLong("case"), help: "Only events about this case id.") var caseId: Int64?
    @Option(help: "Only this organisation's events.") var org: String?
    @Option(help: "csv or json.") var format: Format = .csv

    func run() async throws {
        var sinceValue: String?
        if let since {
            guard let parsed = AuditExport.since(since) else {
                printError("y2a: AUDIT-SINCE: --since takes a date (2026-12-01) or an ISO 8601 instant (2026-12-01T09:00:00Z)")
                throw ExitCode(ExitStatus.usage)
            }
            sinceValue = parsed
        }
        let store = try await storeOptions.openExisting()
        let events = try await store.auditEvents(AuditQuery(since: sinceValue, actor: user, caseId: caseId, organisation: org, limit: Int.max))
        switch format {
        case .csv: writeOutput(Data(AuditExport.csv(events).utf8))
        case .json: writeOutput(try AuditExport.json(events) + Data("\n".utf8))
        }
    }
}
