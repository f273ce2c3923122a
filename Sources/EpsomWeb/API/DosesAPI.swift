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
                .post, "doses", "Log a dose or application", for: .owner,
                request: [
                    "taken_at":
                        "RFC 3339 (2026-11-07T08:00:00Z, 2026-11-07T08:00:00.5-05:00) or YYYY-MM-DDTHH:MM[:SS] on the account's clock",
                    "product": "string", "route": Route.allCases.map(\.rawValue).joined(separator: "|"),
                    "salt": "salt id (optional)", "amount": "number", "unit": DoseUnit.allCases.map(\.rawValue).joined(separator: "|"),
                    "elemental_mg":
                        "number (the label's figure; else from the strength, or for oral doses and baths from salt and a mass amount)",
                    "strength": "number (the label's strength; creams, oils and sprays need it or elemental_mg)",
                    "strength_basis": LabelStrength.Basis.allCases.map(\.rawValue).joined(separator: "|"),
                    "strength_per": "unit the strength is per (g|ml|pump|spray|tablet|capsule|scoop)",
                    "site": "string (transdermal)",
                ], success: .created, create),
            Endpoint(
                .get, "doses", "Doses in a date range", for: .ownerOrSharingClinician,
                query: ["from": "date", "to": "date", "patient": "account id (clinicians)"].merging(Paging.query) { a, _ in a },
                list),
            Endpoint(.delete, "doses/:id", "Delete a dose", for: .owner, success: .noContent, delete),
            Endpoint(
                .get, "intake", "A day's elemental magnesium by route, with cited safety warnings", for: .ownerOrSharingClinician,
                query: ["date": "date (default: today)", "patient": "account id (clinicians)"], intake),
        ]
    }

    struct DoseJSON: ResponseEncodable {
        var id: String
        /// RFC 3339 to the second with the offset in force in the account's time zone then:
        /// "2026-11-07T08:00:00-05:00" ("Z" at offset 0).
        var taken_at: String
        /// The local day the dose belongs to ("2026-11-07"): the date on the account's clock at
        /// that instant.
        var local_date: String
        var product: String
        var route: String
        var salt: String?
        var amount: Double
        var unit: String
        var elemental_mg: Double
        /// "label", "strength" (amount × the label's strength) or "computed:<salt>".
        var elemental_source: String
        var site: String?

        init(_ stored: StoredDose) {
            let d = stored.dose
            id = stored.id
            taken_at = d.time.rfc3339
            local_date = d.time.localDate.description
            product = d.product
            route = d.route.rawValue
            salt = d.salt?.id
            amount = d.amount
            unit = d.unit.rawValue
            elemental_mg = d.elementalMilligrams
            switch d.elementalSource {
            case .label: elemental_source = "label"
            case .computed(let s): elemental_source = "computed:" + s
            case .strength: elemental_source = "strength"
            }
            site = d.site
        }
    }

    struct ListJSON: ResponseEncodable {
        var from: String
        var to: String
        var doses: [DoseJSON]
        /// Pass back as `cursor` for the next page; absent on the last page.
        var next_cursor: String?
    }

    struct WarningJSON: Codable, Sendable {
        var code: String
        var message: String
        var source: String
    }

    struct IntakeJSON: ResponseEncodable {
        var date: String
        var supplemental_elemental_mg: Double
        var transdermal_elemental_mg: Double
        var parenteral_elemental_mg: Double
        var upper_limit_mg: Double
        var warnings: [WarningJSON]
        var disclaimer: String
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<DoseJSON> {
        let ownerID = try context.requireSubject()
        let zone = try context.requireIdentity().account.zone
        let fields = try await JSONFields(request: request)
        let dose: Dose
        do { dose = try Dose.validated(fields.values, timeZone: zone) } catch { throw APIError.invalid(error) }
        let id = try await store.addDose(dose, accountID: ownerID)
        return EditedResponse(status: .created, response: DoseJSON(StoredDose(id: id, dose: dose)))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListJSON {
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
        return ListJSON(from: from.description, to: to.description, doses: page.records.map(DoseJSON.init), next_cursor: page.nextCursor)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let ownerID = try context.requireSubject()
        guard try await store.deleteDose(id: context.parameters.get("id") ?? "", accountID: ownerID) else {
            throw APIError.notFound
        }
        return Response(status: .noContent)
    }

    @Sendable func intake(_ request: Request, context: AppRequestContext) async throws -> IntakeJSON {
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
        return IntakeJSON(
            date: date.description, supplemental_elemental_mg: intake.supplementalMilligrams,
            transdermal_elemental_mg: intake.transdermalMilligrams,
            parenteral_elemental_mg: intake.parenteralMilligrams, upper_limit_mg: DailyIntake.upperLimitMilligrams,
            warnings: intake.warnings.map { WarningJSON(code: $0.code, message: $0.message, source: $0.source) },
            disclaimer: SafetySources.noMedicalAdvice)
    }
}
