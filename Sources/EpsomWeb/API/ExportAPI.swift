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
        let csvBody = { (export: String) in
            Endpoint.Body.other(
                contentType: "text/csv", schema: .string,
                description: "CSV with the header of \(export) (UTF-8, a BOM and CRLF line ends allowed), at most 8 MB.")
        }
        var document = JSONSchema(.object, description: "The document GET /api/v1/export answered; only its archive is read.")
        document.properties = [("archive", .reference("AccountArchive"))]
        document.required = ["archive"]
        document.additional = [JSONSchema()]
        return [
            Endpoint(.get, "export", "All of the account's data as JSON, with the archive POST import takes back", for: .owner, exportJSON),
            Endpoint(
                .get, "export/diary.csv", "The diary as CSV", for: .owner,
                reply: .file(contentType: "text/csv", description: "One row per day: the ratings, side effects, note and arm."),
                exportDiaryCSV),
            Endpoint(
                .get, "export/doses.csv", "The dose log as CSV", for: .owner,
                reply: .file(contentType: "text/csv", description: "One row per dose, with its local time and UTC offset."),
                exportDosesCSV),
            Endpoint(
                .post, "import/diary", "Import diary CSV (all rows or none; 422 lists every bad row)", for: .owner,
                body: csvBody("export/diary.csv"), errors: [.badRequest, .contentTooLarge, .unprocessableContent, .serviceUnavailable],
                importDiary),
            Endpoint(
                .post, "import/doses", "Import dose CSV (all rows or none; 422 lists every bad row)", for: .owner,
                body: csvBody("export/doses.csv"), errors: [.badRequest, .contentTooLarge, .unprocessableContent, .serviceUnavailable],
                importDoses),
            Endpoint(
                .post, "import",
                "Restore an export into this account (all or nothing; 422 names each bad field, 409 each record that already exists)",
                for: .owner,
                body: .other(contentType: "application/json", schema: document, description: "An export document, at most 32 MB."),
                errors: [.badRequest, .conflict, .contentTooLarge, .unprocessableContent, .serviceUnavailable], importArchive),
        ]
    }

    static let allTime = (CalendarDate.accepted.lowerBound, CalendarDate.accepted.upperBound)

    @Sendable func exportJSON(_ request: Request, context: AppRequestContext) async throws -> Wire.Export {
        let account = try context.requireIdentity().account
        let (from, to) = Self.allTime
        return Wire.Export(
            account: Wire.ExportAccount(
                id: account.id, email: account.email, name: account.name, role: account.role,
                createdAt: account.createdAt, kidneyDisease: account.safetyProfile.kidneyDisease,
                medicines: account.safetyProfile.medicines.sorted { $0.rawValue < $1.rawValue }, timeZone: account.timeZone),
            diary: try await store.diaryEntries(accountID: account.id, from: from, to: to).map(Wire.DiaryEntry.init),
            doses: try await store.doses(accountID: account.id, from: from, to: to).map(Wire.Dose.init),
            products: try await store.products(accountID: account.id).map {
                Wire.Product(
                    id: $0.id, name: $0.name, route: $0.route, unit: $0.unit, salt: $0.salt?.id,
                    amount: $0.amount, elementalMg: $0.elementalMilligrams, site: $0.site, isRegular: $0.isRegular)
            },
            trials: try await trials(accountID: account.id), studies: try await participations(accountID: account.id),
            studiesRun: try await studiesRun(investigatorID: account.id),
            archive: try await store.archive(accountID: account.id).sealed(today: today()))
    }

    func studiesRun(investigatorID: String) async throws -> [Wire.ExportStudy] {
        var result: [Wire.ExportStudy] = []
        for study in try await store.studies(investigatorID: investigatorID) {
            // Only a closed study can be published: one more read for each of those alone.
            let published =
                study.status == .closed ? try await store.studyPublication(studyID: study.id, investigatorID: investigatorID) : nil
            result.append(
                Wire.ExportStudy(
                    id: study.id, title: study.design.title, status: study.status, registrationCode: study.enrolmentCode,
                    protocolSha256: study.currentProtocolHash, registeredOn: study.registeredOn, closedOn: study.closedOn,
                    publishedOn: published?.publishedOn))
        }
        return result
    }

    func participations(accountID: String) async throws -> [Wire.ExportParticipation] {
        var result: [Wire.ExportParticipation] = []
        for enrolment in try await store.enrolments(accountID: accountID) {
            let study = try await store.study(id: enrolment.studyID, participantID: accountID)
            result.append(
                Wire.ExportParticipation(
                    studyTitle: study?.design.title ?? "", registrationCode: study?.enrolmentCode,
                    participantCode: enrolment.participantCode, trialId: enrolment.trialID, consentSha256: enrolment.consentSha256,
                    consentedAt: enrolment.consentedAt, startDate: enrolment.startDate, withdrawnOn: enrolment.withdrawnOn,
                    keepsData: enrolment.keepsData))
        }
        return result
    }

    func trials(accountID: String) async throws -> [Wire.ExportTrial] {
        var result: [Wire.ExportTrial] = []
        for trial in try await store.trials(accountID: accountID) {
            let days = try await store.trialDays(trialID: trial.id, accountID: accountID).map {
                Wire.ExportTrialDay(
                    date: $0.date, adherence: $0.adherence, amount: $0.amount,
                    severeSideEffect: $0.severeSideEffect)
            }
            result.append(Wire.ExportTrial(trial: Wire.Trial(trial, today: today()), days: days))
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

    /// The uploaded file's bytes, as they came: parsed from bytes, never made one `String`.
    static func body(_ request: Request) async throws -> [UInt8] {
        do {
            return Array(try await request.body.collect(upTo: 8 * 1024 * 1024).readableBytesView)
        } catch {
            throw APIError(.contentTooLarge, "The file is larger than 8 MB.")
        }
    }

    @Sendable func importDiary(_ request: Request, context: AppRequestContext) async throws -> Wire.ImportResult {
        let account = try context.requireIdentity().account
        let entries: [DiaryEntry]
        do {
            let bytes = try await Self.body(request)
            // Parsing 20,000 rows takes tens of milliseconds of CPU: off the handlers' threads.
            entries = try await HeavyWork.run { try RecordsCSV.importDiary(bytes: bytes) }
        } catch { throw APIError.importFailed(error) }
        try await store.importRecords(accountID: account.id, diary: entries, doses: [])
        return Wire.ImportResult(imported: entries.count)
    }

    @Sendable func importDoses(_ request: Request, context: AppRequestContext) async throws -> Wire.ImportResult {
        let account = try context.requireIdentity().account
        let doses: [Dose]
        do {
            let bytes = try await Self.body(request)
            let zone = account.zone
            doses = try await HeavyWork.run { try RecordsCSV.importDoses(bytes: bytes, timeZone: zone) }
        } catch { throw APIError.importFailed(error) }
        try await store.importRecords(accountID: account.id, diary: [], doses: doses)
        return Wire.ImportResult(imported: doses.count)
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
