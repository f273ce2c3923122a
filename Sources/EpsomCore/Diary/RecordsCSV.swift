import Foundation

/// CSV export and import of the diary and the dose log.
///
/// Diary columns: date,pain,enjoyment,activity,spasms,stiffness,sleep,side_effects,note; the
/// export adds arm and washout after the date (`DiaryArms`), which import ignores.
/// Dose columns: taken_at,product,route,salt,amount,unit,elemental_mg,site,utc_offset.
/// The export's `taken_at` is the person's wall clock as before ("2026-11-07T08:00", with ":SS"
/// when the second is not 0), what a spreadsheet shows; `utc_offset` ("-05:00") is the offset in
/// force then, so that import puts back the exact instant. On import, `utc_offset` is optional:
/// without it a local `taken_at` is read in the account's time zone; `taken_at` may also be RFC
/// 3339 with its own offset (an instant, see `Timestamp`).
/// Import checks every row and reports every bad one; callers write nothing unless all pass.
public enum RecordsCSV {
    public static let diaryHeader = ["date", "pain", "enjoyment", "activity", "spasms", "stiffness", "sleep", "side_effects", "note"]
    public static let doseHeader = ["taken_at", "product", "route", "salt", "amount", "unit", "elemental_mg", "site", "utc_offset"]

    public static func diary(_ entries: [DiaryEntry], arms: [CalendarDate: DiaryArms.Day] = [:]) -> String {
        func n(_ v: Int?) -> String { v.map(String.init) ?? "" }
        let header = [diaryHeader[0], "arm", "washout"] + diaryHeader.dropFirst()
        return CSVWriter.line(header)
            + entries.map { e in
                let day = arms[e.date] ?? DiaryArms.Day(arm: "none", washout: false)
                return CSVWriter.line([
                    e.date.description, CSVWriter.text(day.arm), day.washout ? "true" : "false", String(e.pain),
                    n(e.enjoyment), n(e.activity), n(e.spasms), n(e.stiffness), n(e.sleep),
                    e.sideEffects.map(\.rawValue).sorted().joined(separator: ";"), CSVWriter.text(e.note),
                ])
            }.joined()
    }

    public static func doses(_ doses: [Dose]) -> String {
        CSVWriter.line(doseHeader)
            + doses.map { d in
                CSVWriter.line([
                    d.takenAt.description + (d.time.second == 0 ? "" : ":" + Timestamp.two(d.time.second)),
                    CSVWriter.text(d.product), d.route.rawValue, d.salt?.id ?? "",
                    NumberFormatting.trimmed(d.amount), d.unit.rawValue, NumberFormatting.trimmed(d.elementalMilligrams),
                    CSVWriter.text(d.site ?? ""), Timestamp.offsetText(d.time.utcOffsetMinutes, zulu: false),
                ])
            }.joined()
    }

    /// One bad cell of an import.
    public struct RowError: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var field: String
        public var message: String
        public var description: String { "line \(line), \(field): \(message)" }
    }

    /// Every problem found in a file; nothing was imported.
    public struct ImportErrors: Error, Sendable, Equatable, CustomStringConvertible {
        public var rows: [RowError]
        public var description: String { rows.map(\.description).joined(separator: "\n") }
    }

    public static func importDiary(_ text: String) throws(ImportErrors) -> [DiaryEntry] {
        try importDiary(bytes: Array(text.utf8))
    }

    /// An uploaded file's bytes, read as they came (UTF-8): no `String` of the whole file first.
    public static func importDiary(bytes: [UInt8]) throws(ImportErrors) -> [DiaryEntry] {
        // One entry per day: a second row for a date would silently replace the first.
        try parse(bytes, header: diaryHeader, required: ["date", "pain"], unique: ("date", { $0.date.description })) {
            fields throws(FieldErrors) in
            var f = fields
            f["side_effects"] = f["side_effects"]?.replacingOccurrences(of: ";", with: ",")
            f["note"] = f["note"].map(CSVWriter.untext)
            return try DiaryEntry.validated(f)
        }
    }

    /// `timeZone`: the account's, for times written without an offset.
    public static func importDoses(_ text: String, timeZone: TimeZone = .utc) throws(ImportErrors) -> [Dose] {
        try importDoses(bytes: Array(text.utf8), timeZone: timeZone)
    }

    /// An uploaded file's bytes, as `importDiary(bytes:)`.
    public static func importDoses(bytes: [UInt8], timeZone: TimeZone = .utc) throws(ImportErrors) -> [Dose] {
        try parse(bytes, header: doseHeader, required: ["taken_at", "product", "route", "amount", "unit"]) { fields throws(FieldErrors) in
            var f = fields
            for key in ["product", "site"] { f[key] = f[key].map(CSVWriter.untext) }
            return try Dose.validated(f, timeZone: timeZone)
        }
    }

    static func parse<T>(
        _ bytes: [UInt8], header: [String], required: [String], unique: (field: String, key: (T) -> String)? = nil,
        _ make: ([String: String]) throws(FieldErrors) -> T
    ) throws(ImportErrors) -> [T] {
        let table: CSVTable
        do {
            table = try CSVTable(bytes: bytes)
        } catch {
            throw ImportErrors(rows: [RowError(line: error.line ?? 1, field: "file", message: error.message)])
        }
        let missing = required.filter { table.column($0) == nil }
        guard missing.isEmpty else {
            throw ImportErrors(rows: missing.map { RowError(line: 1, field: $0, message: "the column is missing") })
        }
        var records: [T] = [], errors: [RowError] = []
        var firstLine: [String: Int] = [:]
        for row in table.rows {
            var fields: [String: String] = [:]
            for name in header { if let i = table.column(name) { fields[name] = row.fields[i] } }
            // Control characters other than tab and line breaks are refused, as in forms and JSON.
            let controls = fields.filter {
                $0.value.unicodeScalars.contains { ($0.value < 0x20 && !"\t\n\r".unicodeScalars.contains($0)) || $0.value == 0x7F }
            }
            if !controls.isEmpty {
                for key in controls.keys.sorted() {
                    errors.append(
                        RowError(
                            line: row.line, field: key, message: "must not contain control characters (tab and line breaks are allowed)"))
                }
                continue
            }
            do {
                let record = try make(fields)
                if let unique {
                    let key = unique.key(record)
                    if let first = firstLine[key] {
                        errors.append(
                            RowError(line: row.line, field: unique.field, message: "appears twice in this file (first on line \(first))"))
                        continue
                    }
                    firstLine[key] = row.line
                }
                records.append(record)
            } catch {
                for key in error.messages.keys.sorted() {
                    errors.append(RowError(line: row.line, field: key, message: error.messages[key]!))
                }
            }
        }
        guard errors.isEmpty else { throw ImportErrors(rows: errors) }
        return records
    }
}
