import ArgumentParser
import Findings
import Foundation

struct Codes: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every finding code, its severity and what it means.")

    @Option(help: "Output: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        switch format {
        case .text:
            let width = FindingCode.catalogue.map(\.code.count).max() ?? 0
            for entry in FindingCode.catalogue {
                let padded = entry.code.padding(toLength: width, withPad: " ", startingAt: 0)
                print("\(padded)  \(entry.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(entry.meaning)")
            }
        case .json:
            let list = FindingCode.catalogue.map { ["code": $0.code, "severity": $0.severity.rawValue, "meaning": $0.meaning] }
            let data = try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys])
            writeOutput(data + Data("\n".utf8))
        }
    }
}
