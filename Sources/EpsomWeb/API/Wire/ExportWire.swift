import EpsomCore
import EpsomStorage
import Foundation

extension Wire {
    struct ExportAccount: WireModel {
        var id: String
        var email: String
        var name: String
        var role: Role
        var createdAt: Int
        var kidneyDisease: Bool
        var medicines: [SafetyProfile.Medicine]
        var timeZone: String

        static let summary = "The account as exported (never its password)."
        static let notes: [String: FieldNote] = ["createdAt": FieldNote("Seconds since 1970 (UTC).")]
        static let example = ExportAccount(
            id: "a1b2c3d4e5f6", email: "sam@example.org", name: "Sam", role: .patient, createdAt: 1_794_009_600, kidneyDisease: false,
            medicines: [], timeZone: "Europe/London")
    }

    struct Product: WireModel {
        var id: String
        var name: String
        var route: Route
        var unit: DoseUnit
        var salt: String?
        var amount: Double
        var elementalMg: Double?
        var site: String?
        var isRegular: Bool

        static let summary = "A saved product: what one tap logs."
        static let example = Product(
            id: "p0a1b2c3d4e5", name: "Magnesium cream", route: .transdermalCream, unit: .g, salt: nil, amount: 2, elementalMg: 100,
            site: "soles of the feet", isRegular: true)
    }

    struct ExportTrialDay: WireModel {
        var date: CalendarDate
        var adherence: TrialDay.Adherence
        var amount: Double?
        var severeSideEffect: Bool

        static let summary = "A trial day's adherence."
        static let example = ExportTrialDay(date: Wire.exampleDay, adherence: .yes, amount: 2, severeSideEffect: false)
    }

    struct ExportTrial: WireModel {
        var trial: Trial
        var days: [ExportTrialDay]

        static let summary = "A trial as the API shows it (blinded arms stay coded until the end), with each day's adherence."
        static let example = ExportTrial(trial: .example, days: [.example])
    }

    struct ExportParticipation: WireModel {
        var studyTitle: String
        var registrationCode: String?
        var participantCode: String
        var trialId: String
        var consentSha256: String
        var consentedAt: Int
        var startDate: CalendarDate
        var withdrawnOn: CalendarDate?
        var keepsData: Bool?

        static let summary = "A study the account takes (or took) part in: the consent given, the code, and how it ended."
        static let notes: [String: FieldNote] = [
            "registrationCode": FieldNote("The study's public registration page is /registry/{registration_code}."),
            "consentSha256": FieldNote("The consent version agreed to: SHA-256 of the information sheet and consent statement."),
            "consentedAt": FieldNote("Seconds since 1970 (UTC)."),
            "keepsData": FieldNote("On withdrawal: whether the data given so far stays in the study."),
        ]
        static let example = ExportParticipation(
            studyTitle: "Magnesium cream vs placebo cream for chronic low back pain", registrationCode: "3f9a1c2b7d4e",
            participantCode: "P-007", trialId: "t0a1b2c3d4e5", consentSha256: String(repeating: "ab", count: 32),
            consentedAt: 1_794_009_600, startDate: Wire.exampleDay, withdrawnOn: nil, keepsData: nil)
    }

    struct ExportStudy: WireModel {
        var id: String
        var title: String
        var status: EpsomCore.Study.Status
        var registrationCode: String?
        var protocolSha256: String?
        var registeredOn: CalendarDate?
        var closedOn: CalendarDate?
        /// The day its result was published into the evidence pages (absent when it is not).
        var publishedOn: CalendarDate?

        static let summary =
            "A study the account runs as investigator. Its participants' data is the study's own export (/studies/{id}/export.csv, /fhir)."
        static let example = ExportStudy(
            id: "s0a1b2c3d4e5", title: "Magnesium cream vs placebo cream for chronic low back pain", status: .registered,
            registrationCode: "3f9a1c2b7d4e", protocolSha256: String(repeating: "cd", count: 32), registeredOn: Wire.exampleDay,
            closedOn: nil, publishedOn: nil)
    }

    struct Export: WireModel {
        var account: ExportAccount
        var diary: [DiaryEntry]
        var doses: [Dose]
        var products: [Product]
        var trials: [ExportTrial]
        var studies: [ExportParticipation]
        var studiesRun: [ExportStudy]
        var archive: AccountArchive

        static let summary =
            "Everything the account holds: readable sections, and the archive that POST /api/v1/import restores (see docs/archive.md)."
        static let notes: [String: FieldNote] = [
            "archive": FieldNote(
                "Everything needed to restore the account; blinded trials still running are sealed in it (base64, not encryption)."),
            "studies": FieldNote(
                "Study participations, for the record; a restore does not re-enrol (the enrolment is the study's, see docs/archive.md)."),
        ]
        static let example = Export(
            account: .example, diary: [.example], doses: [.example], products: [.example], trials: [.example], studies: [.example],
            studiesRun: [.example], archive: emptyArchive)

        /// An archive of an account with nothing in it, for the example.
        static let emptyArchive: AccountArchive = {
            let text = """
                {"format": "\(AccountArchive.formatName)", "version": \(AccountArchive.currentVersion),
                 "source": {"account_id": "a1b2c3d4e5f6", "email": "sam@example.org", "created_at": 1794009600},
                 "profile": {"name": "Sam", "role": "patient", "kidney_disease": false, "medicines": [], "missed_use_days": 2,
                             "time_zone": "Europe/London"},
                 "diary": [], "doses": [], "products": [], "trials": [], "shares": []}
                """
            // A constant that `WireModelTests` decodes on every run.
            return try! WireJSON.decoder().decode(AccountArchive.self, from: Data(text.utf8))
        }()
    }

    struct RestoreResult: WireModel {
        var diary: Int
        var doses: Int
        var products: Int
        var trials: Int
        var shares: Int

        static let summary = "How many records of each kind were restored."
        static let example = RestoreResult(diary: 120, doses: 240, products: 2, trials: 1, shares: 1)
    }

    struct ImportResult: WireModel {
        var imported: Int

        static let summary = "How many rows were imported (all of them, or the request failed and none were)."
        static let example = ImportResult(imported: 365)
    }
}
