import ArgumentParser
import EpsomCore
import Foundation

/// Keeping the catalogue alive by pull request: `check` validates a catalogue file (by default
/// the repository's, else the bundled copy), `add` validates new rows and appends them.
struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "Check or grow the evidence catalogue (schema: docs/evidence.md).",
        subcommands: [Check.self, Add.self]
    )

    static let repositoryStudies = "Sources/EpsomCore/Evidence/Catalogue/studies.csv"
    static let repositoryReferences = "Sources/EpsomCore/Evidence/Catalogue/references.csv"

    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("\(path): cannot be read") }
        return String(decoding: data, as: UTF8.self)
    }

    static func report(_ errors: [InputError], file: String) -> CommandFailure {
        CommandFailure(
            "\(file): \(errors.count) problem\(errors.count == 1 ? "" : "s")\n"
                + errors.map { "  \($0)" }.joined(separator: "\n"))
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate every row: required fields, units, ranges, design, scope, risk of bias, a source for each study; "
                + "and the PRISMA counts (prisma.csv) beside the studies, if present.")

        @Option(help: "The studies file (default: \(EvidenceCommand.repositoryStudies) if present, else the bundled catalogue).")
        var studies: String?
        @Option(help: "The references file (default: beside the studies).")
        var references: String?

        func run() async throws {
            let studiesPath =
                studies
                ?? (FileManager.default.fileExists(atPath: EvidenceCommand.repositoryStudies)
                    ? EvidenceCommand.repositoryStudies : nil)
            let studiesText: String, referencesText: String, name: String
            var prismaText: String?
            if let studiesPath {
                let prismaPath = URL(fileURLWithPath: studiesPath).deletingLastPathComponent().appendingPathComponent("prisma.csv").path
                if FileManager.default.fileExists(atPath: prismaPath) { prismaText = try EvidenceCommand.read(prismaPath) }
                studiesText = try EvidenceCommand.read(studiesPath)
                let referencesPath =
                    references
                    ?? URL(fileURLWithPath: studiesPath).deletingLastPathComponent()
                    .appendingPathComponent("references.csv").path
                referencesText = try EvidenceCommand.read(referencesPath)
                name = studiesPath
            } else {
                guard let s = EvidenceCatalogue.resource("studies"), let r = EvidenceCatalogue.resource("references") else {
                    throw CommandFailure("the bundled catalogue is missing from this installation")
                }
                (studiesText, referencesText, name) = (s, r, "bundled catalogue")
                prismaText = EvidenceCatalogue.resource("prisma")
            }
            var prismaNote = ""
            if let prismaText {
                do {
                    let flow = try PrismaFlow(csv: prismaText)
                    let problems = flow.arithmeticProblems
                    if !problems.isEmpty {
                        throw CommandFailure("prisma.csv: the flow does not add up\n" + problems.map { "  " + $0 }.joined(separator: "\n"))
                    }
                    prismaNote = "; PRISMA flow adds up (\(flow.count("included_studies")) studies included)"
                } catch let error as EvidenceErrors {
                    throw EvidenceCommand.report(error.errors, file: "prisma.csv")
                }
            }
            do {
                let catalogue = try EvidenceCatalogue(studiesCSV: studiesText, referencesCSV: referencesText)
                let studies = Set(catalogue.studies.map(\.study)).count
                let controlled = Set(catalogue.studies.filter { $0.design.isControlled }.map(\.study)).count
                print(
                    "ok: \(name): \(catalogue.studies.count) rows (\(studies) studies, \(controlled) controlled), "
                        + "\(catalogue.references.count) references; \(catalogue.studies.filter { !$0.verified }.count) rows marked unverified"
                        + prismaNote)
            } catch {
                throw EvidenceCommand.report(error.errors, file: name)
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate new study rows (a CSV with the catalogue's header) and append them to the catalogue.",
            discussion: "Nothing is written unless every new row is valid and its id is new.")

        @Argument(help: "CSV file with the new rows.")
        var file: String
        @Option(help: "The catalogue to append to (default: \(EvidenceCommand.repositoryStudies)).")
        var catalogue: String = EvidenceCommand.repositoryStudies

        func run() async throws {
            let existingText = try EvidenceCommand.read(catalogue)
            var existingErrors: [InputError] = []
            let existing = EvidenceCatalogue.parseStudies(existingText, errors: &existingErrors)
            if !existingErrors.isEmpty { throw EvidenceCommand.report(existingErrors, file: catalogue) }
            let newText = try EvidenceCommand.read(file)
            var errors: [InputError] = []
            let added = EvidenceCatalogue.parseStudies(newText, errors: &errors, existingIDs: Set(existing.map(\.id)))
            if !errors.isEmpty { throw EvidenceCommand.report(errors, file: file) }
            guard !added.isEmpty else { throw CommandFailure("\(file): no rows to add") }
            // Re-emit the new rows in the catalogue's column order.
            let table = try CSVTable(parsing: newText)
            var appended = existingText.hasSuffix("\n") ? existingText : existingText + "\n"
            for row in table.rows {
                appended +=
                    EvidenceCatalogue.studyColumns.map { CSVWriter.quote(row.fields[table.column($0)!]) }.joined(separator: ",") + "\n"
            }
            try Files.write(appended, to: catalogue)
            print("added \(added.count) row\(added.count == 1 ? "" : "s") to \(catalogue): \(added.map(\.id).joined(separator: ", "))")
        }
    }
}
