import Access
import CaseStore
import Foundation
import Hummingbird
import HTTPTypes

extension PortalServer {
    static func addAdminRoutes(_ router: Router<PortalContext>, access: AccessService) {
        router.get("/admin/users") { _, context -> Response in
            let caller = try context.caller(may: .manageUsers)
            return try await usersPage(access, caller, context, notice: nil)
        }
        router.post("/admin/users") { _, context -> Response in
            let caller = try context.caller(may: .manageUsers)
            let organisation = caller.roles.contains(.hubAdmin) ? (context.form["organisation"] ?? caller.organisation) : caller.organisation
            let roles = selectedRoles(context.form)
            guard Policy.may(caller, .manageUsers, .roles(roles, organisation: organisation)) else { throw PortalError.forbidden(.manageUsers) }
            return try await adminAction(access, caller, context) {
                let account = try await access.addUser(
                    by: caller, name: context.form["name"] ?? "", organisation: organisation, roles: roles, password: context.form["password"] ?? "")
                return "Added user \(account.name)."
            }
        }
        router.post("/admin/users/:id/roles") { _, context -> Response in
            let caller = try context.caller(may: .manageUsers)
            let account = try await managed(access, caller, context)
            return try await adminAction(access, caller, context) {
                try await access.setRoles(by: caller, id: account.id, roles: selectedRoles(context.form))
                return "Changed the roles of \(account.name)."
            }
        }
        router.post("/admin/users/:id/disable") { _, context -> Response in
            let caller = try context.caller(may: .manageUsers)
            let account = try await managed(access, caller, context)
            let disable = context.form["disabled"] != "0"
            return try await adminAction(access, caller, context) {
                try await access.setDisabled(by: caller, id: account.id, disable)
                return disable ? "Disabled \(account.name); their sessions have ended." : "Enabled \(account.name)."
            }
        }
        router.post("/admin/users/:id/password") { _, context -> Response in
            let caller = try context.caller(may: .manageUsers)
            let account = try await managed(access, caller, context)
            return try await adminAction(access, caller, context) {
                try await access.resetPassword(by: caller, id: account.id, password: context.form["password"] ?? "")
                return "Set a new password for \(account.name); their sessions have ended."
            }
        }
        router.post("/admin/users/:id/totp") { _, context -> Response in
            let caller = try context.caller(may: .manageUsers)
            let account = try await managed(access, caller, context)
            let secret = try await access.enrolSecondFactor(by: caller, id: account.id)
            var body = HTMLBuilder()
            body.element("h1", "Second factor for \(account.name)")
            body.element("p", "Give this to \(account.name) in person, once; it is not shown again. They add it to an authenticator app.")
            body.facts([("Secret (base32)", SecondFactor.base32Secret(secret)), ("Authenticator URL", SecondFactor.authenticatorURL(secret: secret, account: account.name))])
            body.raw("<p><a href=\"/admin/users\">Back to users</a></p>")
            return Pages.html(PageFrame.page(title: "Second factor — Y2A Gateway", body: body.html, session: context.session))
        }
        router.get("/admin/orgs") { _, context -> Response in
            let caller = try context.caller(may: .manageOrganisations)
            return try await organisationsPage(access, caller, context, notice: nil)
        }
        router.post("/admin/orgs") { _, context -> Response in
            let caller = try context.caller(may: .manageOrganisations)
            do {
                let added = try await access.addOrganisation(
                    by: caller, code: context.form["code"] ?? "", name: context.form["name"] ?? "", kind: context.form["kind"] ?? "yot",
                    requiresTOTP: context.form["totp"] == "1")
                return try await organisationsPage(access, caller, context, notice: "Added \(added.code).")
            } catch let error as AccessError {
                return try await organisationsPage(access, caller, context, notice: error.message, status: .badRequest)
            } catch let error as StoreError {
                return try await organisationsPage(access, caller, context, notice: error.message, status: .badRequest)
            }
        }
        router.post("/admin/orgs/:code/totp") { _, context -> Response in
            let caller = try context.caller(may: .manageOrganisations)
            guard let code = context.parameters.get("code"), try await access.accounts.organisation(code: code) != nil else { throw PortalError.notFound }
            try await access.setRequiresTOTP(by: caller, organisation: code, context.form["required"] == "1")
            return try await organisationsPage(access, caller, context, notice: "Changed \(code).")
        }
    }

    static func selectedRoles(_ form: [String: String]) -> Set<Role> {
        Set(Role.allCases.filter { form["role-\($0.rawValue)"] == "1" })
    }

    /// The user named by the path, if the caller may manage them; another organisation's user is not found.
    static func managed(_ access: AccessService, _ caller: Caller, _ context: PortalContext) async throws -> AccountRecord {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw PortalError.notFound }
        do {
            return try await access.managedUser(by: caller, id: id)
        } catch let error as AccessError where error.code == "USER-UNKNOWN" {
            throw PortalError.notFound
        }
    }

    static func adminAction(_ access: AccessService, _ caller: Caller, _ context: PortalContext, _ body: () async throws -> String) async throws -> Response {
        do {
            return try await usersPage(access, caller, context, notice: try await body())
        } catch let error as AccessError where error.code == "ACCESS-DENIED" {
            throw PortalError.forbidden(.manageUsers)
        } catch let error as AccessError {
            return try await usersPage(access, caller, context, notice: error.message, status: .badRequest)
        } catch let error as StoreError where ["ACCOUNT-EXISTS", "ORG-UNKNOWN", "ACCOUNT-UNKNOWN"].contains(error.code) {
            return try await usersPage(access, caller, context, notice: error.message, status: .badRequest)
        }
    }

    static func usersPage(_ access: AccessService, _ caller: Caller, _ context: PortalContext, notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let users = try await access.users(by: caller)
        let organisations = try await access.organisations(by: caller)
        let csrf = context.session?.csrfToken ?? ""
        let hidden = "<input type=\"hidden\" name=\"csrf\" value=\"\(escapeHTML(csrf))\">"
        let grantable = Role.allCases.filter { $0 != .hubAdmin || caller.roles.contains(.hubAdmin) }
        func roleBoxes(_ selected: Set<String>, prefix: String) -> String {
            grantable.map { role in
                let checked = selected.contains(role.rawValue) ? " checked" : ""
                return "<label><input type=\"checkbox\" name=\"role-\(role.rawValue)\" value=\"1\"\(checked) id=\"\(prefix)-\(role.rawValue)\"> \(role.rawValue)</label>"
            }.joined(separator: " ")
        }
        var body = HTMLBuilder()
        body.element("h1", "Users")
        if let notice { body.raw("<div class=\"notice\" role=\"status\">\(escapeHTML(notice))</div>") }
        body.raw("<table><caption>Users you manage</caption><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Organisation</th><th scope=\"col\">Roles</th><th scope=\"col\">State</th><th scope=\"col\">Second factor</th><th scope=\"col\">Actions</th></tr></thead><tbody>")
        for user in users {
            body.raw("<tr><td>\(escapeHTML(user.name))</td><td>\(escapeHTML(user.organisationCode))</td>")
            body.raw("<td><form method=\"post\" action=\"/admin/users/\(user.id)/roles\">\(hidden)\(roleBoxes(Set(user.roles), prefix: "u\(user.id)")) <button type=\"submit\">Save roles</button></form></td>")
            body.raw("<td>\(user.disabled ? "<strong>Disabled</strong>" : "Enabled")</td><td>\(user.totpSecret == nil ? "None" : "Enrolled")</td><td>")
            body.raw("<form method=\"post\" action=\"/admin/users/\(user.id)/disable\">\(hidden)<input type=\"hidden\" name=\"disabled\" value=\"\(user.disabled ? "0" : "1")\"><button type=\"submit\">\(user.disabled ? "Enable" : "Disable")</button></form>")
            body.raw("<form method=\"post\" action=\"/admin/users/\(user.id)/password\">\(hidden)<label>New password <input type=\"password\" name=\"password\" autocomplete=\"new-password\" minlength=\"\(PasswordHasher.minimumLength)\" required></label> <button type=\"submit\">Set</button></form>")
            body.raw("<form method=\"post\" action=\"/admin/users/\(user.id)/totp\">\(hidden)<button type=\"submit\">New second factor</button></form></td></tr>")
        }
        body.raw("</tbody></table>")
        body.element("h2", "Add a user")
        body.raw("<form class=\"stack\" method=\"post\" action=\"/admin/users\">\(hidden)")
        body.raw("<label for=\"new-name\">User name<input id=\"new-name\" name=\"name\" required maxlength=\"64\"></label>")
        body.raw("<label for=\"new-password\">Password (at least \(PasswordHasher.minimumLength) characters)<input id=\"new-password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required></label>")
        if caller.roles.contains(.hubAdmin) {
            body.raw("<label for=\"new-org\">Organisation<select id=\"new-org\" name=\"organisation\">")
            for organisation in organisations {
                body.raw("<option value=\"\(escapeHTML(organisation.code))\">\(escapeHTML("\(organisation.code) \(organisation.name)"))</option>")
            }
            body.raw("</select></label>")
        }
        body.raw("<fieldset><legend>Roles</legend>\(roleBoxes(["practitioner"], prefix: "new"))</fieldset><button type=\"submit\">Add user</button></form>")
        return Pages.html(PageFrame.page(title: "Users — Y2A Gateway", body: body.html, session: context.session), status: status)
    }

    static func organisationsPage(_ access: AccessService, _ caller: Caller, _ context: PortalContext, notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let organisations = try await access.organisations(by: caller)
        let hidden = "<input type=\"hidden\" name=\"csrf\" value=\"\(escapeHTML(context.session?.csrfToken ?? ""))\">"
        var body = HTMLBuilder()
        body.element("h1", "Organisations")
        if let notice { body.raw("<div class=\"notice\" role=\"status\">\(escapeHTML(notice))</div>") }
        body.raw("<table><caption>Organisations</caption><thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Name</th><th scope=\"col\">Kind</th><th scope=\"col\">Second factor</th></tr></thead><tbody>")
        for organisation in organisations {
            let code = escapeHTML(organisation.code)
            body.raw("<tr><td>\(code)</td><td>\(escapeHTML(organisation.name))</td><td>\(escapeHTML(organisation.kind))</td><td>")
            body.raw("<form method=\"post\" action=\"/admin/orgs/\(code)/totp\">\(hidden)<input type=\"hidden\" name=\"required\" value=\"\(organisation.requiresTOTP ? "0" : "1")\">\(organisation.requiresTOTP ? "Required" : "Optional") <button type=\"submit\">\(organisation.requiresTOTP ? "Make optional" : "Require")</button></form></td></tr>")
        }
        body.raw("</tbody></table>")
        body.element("h2", "Add an organisation")
        body.raw("""
            <form class="stack" method="post" action="/admin/orgs">\(hidden)
            <label for="org-code">Code<input id="org-code" name="code" required maxlength="8"></label>
            <label for="org-name">Name<input id="org-name" name="name" required maxlength="120"></label>
            <label for="org-kind">Kind<select id="org-kind" name="kind"><option value="yot">YOT</option><option value="probation">Probation</option><option value="hub">Hub</option></select></label>
            <label><input type="checkbox" name="totp" value="1"> Require a second factor</label>
            <button type="submit">Add organisation</button></form>
            """)
        return Pages.html(PageFrame.page(title: "Organisations — Y2A Gateway", body: body.html, session: context.session), status: status)
    }
}
