import Foundation
import TestSupport
import Testing

/// `y2a orgs`, `y2a users`, `y2a audit`, `y2a import --org` and `y2a serve`'s transport checks.
@Suite("y2a accounts and audit commands")
struct AccountCommandTests {
    func y2a(_ arguments: [String], input: String? = nil) throws -> Y2ACommand.Run {
        try Y2ACommand.run(arguments, input: input)
    }

    @Test("a fresh store set up from the command line: organisation, users, roles, import for the organisation, audit in CSV and JSON")
    func setUp() throws {
        let store = try Fixtures.temporaryDirectory().appendingPathComponent("y2a.sqlite").path
        let password = "a long enough password"
        #expect(try y2a(["orgs", "add", "--store", store, "--code", "N07", "--name", "Northtown PDU", "--kind", "probation"]).stdout == "added organisation N07 (probation)\n")
        #expect(try y2a(["orgs", "add", "--store", store, "--code", "N07", "--name", "Again"]).status == 2)
        let add = try y2a(["users", "add", "--store", store, "--org", "N07", "--role", "admin", "--name", "alice", "--password-stdin", "--bcrypt-cost", "4"], input: password + "\n")
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout.hasPrefix("added user alice (id 1) to N07 with roles admin"))
        #expect(!add.stdout.contains(password) && !add.stderr.contains(password))
        let generated = try y2a(["users", "add", "--store", store, "--org", "N07", "--name", "nina", "--bcrypt-cost", "4"])
        #expect(generated.stdout.contains("password (give it to nina once): "))
        #expect(try y2a(["users", "add", "--store", store, "--org", "ZZZ", "--name", "x", "--bcrypt-cost", "4"]).status == 2)
        #expect(try y2a(["users", "add", "--store", store, "--org", "N07", "--role", "boss", "--name", "x"]).stderr.contains("ACCESS-ROLE"))
        #expect(try y2a(["users", "add", "--store", store, "--org", "N07", "--name", "shorty", "--password-stdin"], input: "short\n").stderr.contains("PASSWORD-SHORT"))
        #expect(try y2a(["users", "set-roles", "--store", store, "--name", "nina", "--role", "practitioner", "--role", "auditor"]).stdout == "nina now has roles practitioner,auditor\n")
        #expect(try y2a(["users", "disable", "--store", store, "--name", "nina"]).status == 0)
        #expect(try y2a(["users", "reset-password", "--store", store, "--name", "alice", "--password-stdin", "--bcrypt-cost", "4"], input: "another long password\n").status == 0)
        let totp = try y2a(["users", "totp", "--store", store, "--name", "alice"])
        #expect(totp.stdout.contains("url: otpauth://totp/alice?secret="))
        let list = try y2a(["users", "list", "--store", store])
        #expect(list.stdout.contains("alice\tN07\tadmin\tenabled\tsecond factor"))
        #expect(list.stdout.contains("nina\tN07\tauditor,practitioner\tdisabled\tno second factor"))

        let imported = try y2a(["import", "--quiet", "--store", store, "--org", "N07", "SampleFiles/valid/asset-core-profile.xml"])
        #expect(imported.status == 0, "\(imported.stderr)")

        let csv = try y2a(["audit", "--store", store])
        #expect(csv.status == 0)
        let lines = csv.stdout.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "id,at,actor,accountId,organisation,action,caseId,transferId,address,outcome,detail,requestId")
        let actions = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[5] }
        #expect(actions == ["organisation-added", "user-added", "user-added", "roles-changed", "user-disabled", "password-reset", "second-factor-enrolled", "import"])
        #expect(!csv.stdout.contains(password))
        let json = try y2a(["audit", "--store", store, "--format", "json", "--since", "2000-01-01", "--user", "nobody"])
        #expect(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || json.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        #expect(try y2a(["audit", "--store", store, "--since", "yesterday"]).status == 2)
    }

    @Test("serve refuses plain HTTP off loopback, and off loopback without --public-host")
    func serveRefusals() throws {
        let store = try Fixtures.temporaryDirectory().appendingPathComponent("y2a.sqlite").path
        let plain = try y2a(["serve", "--store", store, "--host", "0.0.0.0", "--public-host", "y2a.example"])
        #expect(plain.status == 2)
        #expect(plain.stderr.contains("SERVE-PLAIN"))
        let noHost = try y2a(["serve", "--store", store, "--host", "0.0.0.0", "--behind-proxy"])
        #expect(noHost.status == 2)
        #expect(noHost.stderr.contains("SERVE-HOST"))
    }
}
