import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird

/// The regimen log and the daily intake with its safety messages.
struct DosesAPI {
    let store: any Store
    let today: @Sendable () -> CalendarDate

    var endpoints: [Endpoint] {
        [
            Endpoint(
                .post, "doses", "Log a dose or application", for: .owner, body: .json(.init(Wire.DoseInput.self)), success: .created, create
            ),
            Endpoint(
                .get, "doses", "Doses in a date range", for: .ownerOrSharingClinician,
                parameters: [DiaryAPI.from, DiaryAPI.to, DiaryAPI.patient] + Paging.parameters, list),
            Endpoint(
                .delete, "doses/:id", "Delete a dose", for: .owner, parameters: [.path("id", .string, "The dose's id.")], reply: .noContent,
                delete),
            Endpoint(
                .get, "intake", "A day's elemental magnesium by route, with cited safety warnings", for: .ownerOrSharingClinician,
                parameters: [.query("date", .date, "The day, YYYY-MM-DD (default: today)."), DiaryAPI.patient], intake),
        ]
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Wire.Dose> {
        let ownerID = try context.requireSubject()
        let zone = try context.requireIdentity().account.zone
        let dose = try await context.requireBody().validated(Wire.DoseInput.self) { try Dose.validated($0, timeZone: zone) }.value
        let id = try await store.addDose(dose, accountID: ownerID)
        return EditedResponse(status: .created, response: Wire.Dose(StoredDose(id: id, dose: dose)))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Wire.DosePage {
        let subject = try context.requireSubject()
        let (from, to) = try DiaryAPI.range(request, today: today())
        let paging = try Paging(request)
        // The key is the dose's local minute, instant and id: "2026-03-01T08:00 1772352000 <id>".
        let after = try paging.after.map { key in
            let parts = key.split(separator: " ", maxSplits: 2)
            guard parts.count == 3, let time = LocalDateTime(iso: String(parts[0])), let instant = Int(parts[1]) else {
                throw Paging.invalidCursor
            }
            return DoseCursor(takenAt: time, instant: instant, id: String(parts[2]))
        }
        let page = paging.page(try await store.doses(accountID: subject, from: from, to: to, after: after, limit: paging.limit + 1)) {
            "\($0.dose.takenAt) \($0.dose.time.instant) \($0.id)"
        }
        return Wire.DosePage(from: from, to: to, doses: page.records.map(Wire.Dose.init), nextCursor: page.nextCursor)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ownerID = try context.requireSubject()
        guard try await store.deleteDose(id: context.parameters.get("id") ?? "", accountID: ownerID) else {
            throw APIError.notFound
        }
        return Response(status: .noContent)
    }

    @Sendable func intake(_ request: Request, context: AppRequestContext) async throws -> Wire.Intake {
        let subject = try context.requireSubject()
        var date = today()
        if let text = request.uri.queryParameters.get("date") {
            guard let parsed = CalendarDate(iso: text) else {
                throw APIError.invalid(FieldErrors(["date": CalendarDate.requirement]))
            }
            date = parsed
        }
        guard let account = try await store.account(id: subject) else { throw APIError.notFound }
        let doses = try await store.doses(accountID: subject, from: date, to: date).map(\.dose)
        let intake = DailyIntake(date: date, doses: doses, profile: account.safetyProfile)
        return Wire.Intake(
            date: date, supplementalElementalMg: intake.supplementalMilligrams,
            transdermalElementalMg: intake.transdermalMilligrams,
            parenteralElementalMg: intake.parenteralMilligrams, upperLimitMg: DailyIntake.upperLimitMilligrams,
            warnings: intake.warnings.map { Wire.SafetyWarning(code: $0.code, message: $0.message, source: $0.source) },
            disclaimer: SafetySources.noMedicalAdvice)
    }
}
