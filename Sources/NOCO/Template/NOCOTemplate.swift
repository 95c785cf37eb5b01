public import Foundation
import Mustache

/// A Mustache template that renders a NOCO for people (NOCO.html).
///
/// The project ships `Templates/noco.html.mustache`; a service may use its own. Loading checks
/// the template once (`TemplateScanner`, then Mustache's parser), so a broken template is
/// refused with its file and line before anything is written, never rendered as a blank page.
/// Every value is HTML-escaped: unescaped tags are refused.
public struct NOCOTemplate: Sendable {
    /// The shipped template's file name, inside the `Templates` folder.
    public static let defaultFileName = "noco.html.mustache"

    /// Every variable name a template may use, at any depth (docs/noco.md lists them).
    public static var variableNames: Set<String> { NOCODocument.templateNames }

    /// The template's path, or the name it was given: used in errors.
    public let name: String
    private let template: MustacheTemplate

    /// Checks and parses `text`; `name` identifies it in errors.
    public init(text: String, name: String) throws(NOCOTemplateError) {
        self.name = name
        do {
            try TemplateScanner(knownNames: NOCODocument.templateNames).check(text)
        } catch {
            throw NOCOTemplateError(file: name, line: error.line, column: error.column, message: error.message)
        }
        do {
            template = try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            throw NOCOTemplateError(
                file: name, line: error.context.lineNumber, column: error.context.columnNumber,
                message: "the template does not parse: \(Self.describe(error.error))")
        } catch {
            throw NOCOTemplateError(file: name, message: "the template does not parse: \(error)")
        }
    }

    /// Reads and checks the template file at `url` (UTF-8).
    public init(contentsOf url: URL) throws(NOCOTemplateError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw NOCOTemplateError(file: url.path, message: "cannot read the template (check the path and its permissions)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw NOCOTemplateError(file: url.path, message: "the template is not UTF-8 text")
        }
        try self.init(text: text, name: url.path)
    }

    /// The rendered page.
    public func render(_ document: NOCODocument) throws(NOCOTemplateError) -> String {
        let page = template.render(document.templateContext)
        guard page.contains(where: { !$0.isWhitespace }) else {
            throw NOCOTemplateError(file: name, message: "the template rendered an empty page")
        }
        return page
    }

    /// The rendered page as UTF-8 bytes.
    public func renderData(_ document: NOCODocument) throws(NOCOTemplateError) -> Data {
        Data(try render(document).utf8)
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: "a section is closed with the wrong name"
        case .unfinishedName?: "a tag is not finished (check its closing braces)"
        case .expectedSectionEnd?: "a section is never closed"
        case .invalidSetDelimiter?: "a set-delimiter tag is malformed"
        case .transformAppliedToInheritanceSection?, .illegalTokenInsideInheritSection?, .textInsideInheritSection?:
            "template inheritance is not supported"
        case .invalidConfigVariableSyntax?, .unrecognisedConfigVariable?: "a pragma tag is malformed or unknown"
        case nil: "\(error)"
        }
    }
}
