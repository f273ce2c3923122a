import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// Everything a person has stored, as JSON or CSV, and CSV import that writes all rows or none.
struct ExportAPI {
    let store: any Store
    let today: @Sendable () -> CalendarDate

    var endpoints: [Endpoint] {
        [
            Endpoint(.get, "export", "All of the account's data as JSON, with the archive POST import takes back", for: .owner, exportJSON),
            Endpoint(.get, "export/diary.csv", "The diary as CSV", for: .owner, exportDiaryCSV),
            Endpoint(.get, "export/doses.csv", "The dose log as CSV", for: .owner, exportDosesCSV),
            Endpoint(
                .post, "import/diary", "Import diary CSV (all rows or none; 422 lists every bad row)", for: .owner,
                request: ["(body)": "text/csv with the header of export/diary.csv"], importDiary),
            Endpoint(
                .post, "import/doses", "Import dose CSV (all rows or none; 422 lists every bad row)", for: .owner,
                request: ["(body)": "text/csv with the header of export/doses.csv"], importDoses),
            Endpoint(
                .post, "import",
                "Restore an export into this account (all or nothing; 422 names each bad field, 409 each record that already exists)",
                for: .owner,
                request: ["(body)": "application/json: the document GET export answered (its archive is restored), at most 32 MB"],
                importArchive),
        ]
    }

    static let allTime = (CalendarDate.accepted.lowerBound, CalendarDate.accepted.upperBound)

    struct ExportJSON: ResponseEncodable {
        struct AccountJSON: Encodable {
            var id, email, name, role: String
            var created_at: Int
            var kidney_disease: Bool
            var medicines: [String]
            var time_zone: String
        }
        var account: AccountJSON
        var diary: [DiaryAPI.EntryJSON]
        var doses: [DosesAPI.DoseJSON]
        var products: [ProductJSON]
        /// Trials as the API shows them (blinded arms stay coded until the end), with each day's adherence.
        var trials: [TrialExportJSON]
        /// Everything needed to restore the account (`POST /api/v1/import`); blinded trials that
        /// are still running are sealed in it (see `AccountArchive.sealed`).
        var archive: AccountArchive
    }

    struct TrialExportJSON: Encodable {
        var trial: TrialsAPI.TrialJSON
        var days: [TrialDayJSON]
    }

    struct TrialDayJSON: Encodable {
        var date, adherence: String
        var amount: Double?
        var severe_side_effect: Bool
    }

    struct ProductJSON: Encodable {
        var id, name, route, unit: String
        var salt: String?
        var amount: Double
        var elemental_mg: Double?
        var site: String?
        var is_regular: Bool
    }

    @Sendable func exportJSON(_ request: Request, context: AppRequestContext) async throws -> ExportJSON {
        let account = try context.requireIdentity().account
        let (from, to) = Self.allTime
        return ExportJSON(
            account: .init(
                id: account.id, email: account.email, name: account.name, role: account.role.rawValue,
                created_at: account.createdAt, kidney_disease: account.safetyProfile.kidneyDisease,
                medicines: account.safetyProfile.medicines.map(\.rawValue).sorted(), time_zone: account.timeZone),
            diary: try await store.diaryEntries(accountID: account.id, from: from, to: to).map(DiaryAPI.EntryJSON.init),
            doses: try await store.doses(accountID: account.id, from: from, to: to).map(DosesAPI.DoseJSON.init),
            products: try await store.products(accountID: account.id).map {
                ProductJSON(
                    id: $0.id, name: $0.name, route: $0.route.rawValue, unit: $0.unit.rawValue, salt: $0.salt?.id,
                    amount: $0.amount, elemental_mg: $0.elementalMilligrams, site: $0.site, is_regular: $0.isRegular)
            },
            trials: try await trials(accountID: account.id),
            archive: try await store.archive(accountID: account.id).sealed(today: today()))
    }

    func trials(accountID: String) async throws -> [TrialExportJSON] {
        var result: [TrialExportJSON] = []
        for trial in try await store.trials(accountID: accountID) {
            let days = try await store.trialDays(trialID: trial.id, accountID: accountID).map {
                TrialDayJSON(
                    date: $0.date.description, adherence: $0.adherence.rawValue, amount: $0.amount,
                    severe_side_effect: $0.severeSideEffect)
            }
            result.append(TrialExportJSON(trial: TrialsAPI.TrialJSON(trial, today: today()), days: days))
        }
        return result
    }

    static func csv(_ text: String, filename: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func exportDiaryCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireIdentity().account
        let (from, to) = Self.allTime
        let entries = try await store.diaryEntries(accountID: account.id, from: from, to: to)
        let doses = try await store.doses(accountID: account.id, from: from, to: to).map(\.dose)
        let arms = DiaryArms.assign(
            dates: entries.map(\.date), doses: doses, trials: try await store.trials(accountID: account.id),
            today: today())
        return Self.csv(RecordsCSV.diary(entries, arms: arms), filename: "epsom-diary.csv")
    }

    @Sendable func exportDosesCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireIdentity().account
        let (from, to) = Self.allTime
        return Self.csv(
            RecordsCSV.doses(try await store.doses(accountID: account.id, from: from, to: to).map(\.dose)),
            filename: "epsom-doses.csv")
    }

    struct ImportResult: ResponseEncodable { var imported: Int }

    static func body(_ request: Request) async throws -> String {
        do {
            return String(buffer: try await request.body.collect(upTo: 8 * 1024 * 1024))
        } catch {
            throw APIError(.contentTooLarge, "The file is larger than 8 MB.")
        }
    }

    @Sendable func importDiary(_ request: Request, context: AppRequestContext) async throws -> ImportResult {
        let account = try context.requireIdentity().account
        let entries: [DiaryEntry]
        do {
            let text = try await Self.body(request)
            // Parsing 20,000 rows takes tens of milliseconds of CPU: off the handlers' threads.
            entries = try await HeavyWork.run { try RecordsCSV.importDiary(text) }
        } catch { throw APIError.importFailed(error) }
        try await store.importRecords(accountID: account.id, diary: entries, doses: [])
        return ImportResult(imported: entries.count)
    }

    @Sendable func importDoses(_ request: Request, context: AppRequestContext) async throws -> ImportResult {
        let account = try context.requireIdentity().account
        let doses: [Dose]
        do {
            let text = try await Self.body(request)
            let zone = account.zone
            doses = try await HeavyWork.run { try RecordsCSV.importDoses(text, timeZone: zone) }
        } catch { throw APIError.importFailed(error) }
        try await store.importRecords(accountID: account.id, diary: [], doses: doses)
        return ImportResult(imported: doses.count)
    }
}

extension APIError {
    /// 422 with one field per bad row ("line 4: pain" → message), nothing imported.
    static func importFailed(_ error: Error) -> any Error {
        if error is HeavyWork.Busy { return error }
        guard let errors = error as? RecordsCSV.ImportErrors else {
            return error as? APIError ?? APIError(.badRequest, "The file could not be read.")
        }
        var fields: [String: String] = [:]
        for row in errors.rows { fields["line \(row.line): \(row.field)"] = row.message }
        return APIError(.unprocessableContent, "\(errors.rows.count) problem(s) found; nothing was imported.", fields: fields)
    }
}
