import EpsomTestSupport
import Foundation
import Testing

@testable import EpsomCore

/// A study's exports: the FHIR bundles are golden files (validated against the R4 models by
/// `scripts/fhir/validate_bundle.py` in .ci/run; EPSOM_UPDATE_FIXTURES=1 rewrites them), and
/// the long CSV is what `epsom series` reads once the study is closed. Four participants: one
/// who completes, one who leaves keeping their data, one who leaves withdrawing it, and one
/// who starts late.
@Suite struct StudyExportTests {
    static let registeredOn = CalendarDate(iso: "2026-11-01")!
    /// While the study runs: P-001 on day 11, P-002 gone, P-004 not started.
    static let running = CalendarDate(iso: "2026-11-12")!
    /// After every trial's end.
    static let closed = CalendarDate(iso: "2026-12-31")!
    static let note = "Saw Dr Jones at St Mary's about it"

    static func design() throws -> StudyDesign {
        try StudyDesign.validated(
            [
                "title": "Magnesium cream vs placebo cream for chronic low back pain",
                "question": "Does magnesium cream lower daily back pain compared with a placebo cream?",
                "condition": "chronic low back pain", "eligibility": "Adults with low back pain for at least 3 months.",
                "information_sheet": "Two creams in turn.", "consent_text": "I agree to take part.",
                "template": "cream-vs-placebo", "period_days": "4", "cycles": "2", "washout_days": "1", "target_participants": "12",
                "enrolment_opens": "2026-11-02", "enrolment_closes": "2026-11-30",
            ], today: registeredOn)
    }

    /// One participant; `logged` is how many of the trial's days have a diary entry and an
    /// adherence answer (magnesium lowers pain by 2 points).
    static func participant(
        _ number: Int, start: String, seed: UInt64, logged: Int, withdrawn: (String, keepsData: Bool)? = nil
    ) throws -> StudyExport.Participant {
        let design = try design()
        let startDate = try #require(CalendarDate(iso: start))
        var trial = Trial(
            id: "trial-secret-\(number)", design: design.trialDesign(startDate: startDate, seed: seed), registeredOn: startDate)
        let withdrawnOn = try withdrawn.map { try #require(CalendarDate(iso: $0.0)) }
        if let withdrawnOn { trial = trial.stopped(for: "Left the study.", today: withdrawnOn) }
        let enrolment = Enrolment(
            id: "enrolment-secret-\(number)", studyID: "study-fixture", participantCode: Enrolment.participantCode(number: number),
            trialID: trial.id, consentSha256: StudyProtocol.consentHash(design), consentedAt: 1_793_000_000, startDate: startDate,
            withdrawnOn: withdrawnOn, keepsData: withdrawn?.keepsData)
        if withdrawn?.keepsData == false { return StudyExport.Participant(enrolment: enrolment, kept: nil) }
        var diary: [DiaryEntry] = [], adherence: [TrialDay] = []
        for offset in 0..<logged {
            let date = startDate.adding(days: offset)
            let arm = try #require(trial.schedule.period(on: date)).arm
            let pain = 6 - 2 * arm + (offset * 7 + number) % 3
            diary.append(
                DiaryEntry(
                    date: date, pain: pain, enjoyment: pain - 1, activity: offset % 3 == 0 ? nil : pain, spasms: pain / 2,
                    sleep: 5 + offset % 2, sideEffects: offset % 5 == 2 ? [.skinIrritation] : [], note: note))
            adherence.append(
                TrialDay(date: date, adherence: offset % 6 == 4 ? .partly : .yes, amount: 2, severeSideEffect: false))
        }
        return StudyExport.Participant(enrolment: enrolment, kept: StudyExport.Kept(trial: trial, diary: diary, adherence: adherence))
    }

    static func export(_ status: Study.Status) throws -> StudyExport {
        let design = try design()
        let study = Study(
            id: "study-fixture", design: design, status: status,
            registeredProtocol: StudyProtocol(design: design, registeredOn: registeredOn), registeredOn: registeredOn,
            enrolmentCode: "a1b2c3d4e5f6")
        return StudyExport(
            study: study,
            participants: [
                try participant(1, start: "2026-11-02", seed: 11, logged: 16),
                try participant(2, start: "2026-11-05", seed: 12, logged: 10, withdrawn: ("2026-11-10", keepsData: true)),
                try participant(3, start: "2026-11-06", seed: 13, logged: 0, withdrawn: ("2026-11-08", keepsData: false)),
                try participant(4, start: "2026-11-30", seed: 14, logged: 5),
            ])
    }

    func golden(_ name: String, _ text: String) throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["EPSOM_UPDATE_FIXTURES"] != nil {
            let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/" + name)
            try text.write(to: source, atomically: true, encoding: .utf8)
        }
        #expect(text == (try String(contentsOf: url, encoding: .utf8)), "regenerate with EPSOM_UPDATE_FIXTURES=1 and validate")
    }

    /// The bundle's resources, and its full URLs by resource.
    static func resources(_ bundle: String) throws -> [(url: String, resource: [String: Any])] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bundle.utf8)) as? [String: Any])
        let entries = try #require(object["entry"] as? [[String: Any]])
        return try entries.map { (try #require($0["fullUrl"] as? String), try #require($0["resource"] as? [String: Any])) }
    }

    static func reference(_ value: Any?) -> String? { (value as? [String: Any])?["reference"] as? String }

    /// What no export may hold: ids that lead back to an account, and the diary's free text.
    static func expectNothingIdentifying(_ text: String) {
        for secret in ["trial-secret", "enrolment-secret", note, "Jones", "\"seed\""] {
            #expect(!text.contains(secret), "\(secret)")
        }
    }

    @Test func whileTheStudyRunsTheBundleHasNoAllocationAndNoObservations() throws {
        let bundle = try #require(
            StudyFHIR.bundle(try Self.export(.registered), today: Self.running, timestamp: "2026-11-12T09:00:00Z"))
        try golden("study-bundle-running.json", bundle)
        let resources = try Self.resources(bundle)
        let kinds = resources.map { $0.resource["resourceType"] as? String ?? "" }
        #expect(kinds.filter { $0 == "ResearchStudy" }.count == 1 && kinds.filter { $0 == "Group" }.count == 1)
        #expect(kinds.filter { $0 == "Patient" }.count == 4 && kinds.filter { $0 == "ResearchSubject" }.count == 4)
        #expect(!kinds.contains("Observation"))
        #expect(!bundle.contains("assignedArm") && !bundle.contains("trial-arm"))
        let study = try #require(resources.first { $0.resource["resourceType"] as? String == "ResearchStudy" }?.resource)
        #expect(study["status"] as? String == "active")
        // The arms are the registered protocol's, public on the registration page.
        #expect((study["arm"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Placebo cream", "Magnesium cream"])
        let subjects = resources.filter { $0.resource["resourceType"] as? String == "ResearchSubject" }.map(\.resource)
        #expect(subjects.compactMap { $0["status"] as? String } == ["on-study", "withdrawn", "withdrawn", "pending-on-study"])
        // The participant who withdrew their data: a status and a coded patient, nothing else.
        #expect(Set(subjects[2].keys) == ["resourceType", "id", "status", "study", "individual"])
        Self.expectNothingIdentifying(bundle)
    }

    @Test func onceClosedTheBundleHasAllocationsAndTheKeptObservations() throws {
        let export = try Self.export(.closed)
        let bundle = try #require(StudyFHIR.bundle(export, today: Self.closed, timestamp: "2026-12-31T09:00:00Z"))
        try golden("study-bundle-closed.json", bundle)
        let resources = try Self.resources(bundle)
        let urls = Set(resources.map(\.url))
        let references = bundle.components(separatedBy: "\"reference\" : \"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(!references.isEmpty && references.allSatisfy(urls.contains))

        // Each patient is their participant code and nothing else.
        var patients: [String: String] = [:]
        for (url, resource) in resources where resource["resourceType"] as? String == "Patient" {
            #expect(Set(resource.keys) == ["resourceType", "id", "identifier"])
            let identifiers = try #require(resource["identifier"] as? [[String: Any]])
            #expect(identifiers.count == 1)
            patients[url] = identifiers.first?["value"] as? String
        }
        #expect(Set(patients.values) == ["P-001", "P-002", "P-003", "P-004"])

        var observations: [String: Int] = [:]
        for (_, resource) in resources where resource["resourceType"] as? String == "Observation" {
            let code = try #require(Self.reference(resource["subject"]).flatMap { patients[$0] })
            observations[code, default: 0] += 1
            let date = try #require((resource["effectiveDateTime"] as? String).flatMap(CalendarDate.init(iso:)))
            if code == "P-002" { #expect(date <= CalendarDate(iso: "2026-11-10")!) }
        }
        // A pain, an enjoyment, an activity on two days in three, and an adherence answer a day.
        #expect(observations == ["P-001": 16 * 3 + 10, "P-002": 6 * 3 + 4, "P-004": 5 * 3 + 3])

        let subjects = resources.filter { $0.resource["resourceType"] as? String == "ResearchSubject" }.map(\.resource)
        #expect(subjects.compactMap { $0["status"] as? String } == ["off-study", "withdrawn", "withdrawn", "off-study"])
        #expect(subjects.map { $0["assignedArm"] != nil } == [true, true, false, true])
        let first = try #require(export.participants[0].kept?.trial)
        #expect(subjects[0]["assignedArm"] as? String == StudyFHIR.sequence(first))
        #expect((subjects[0]["assignedArm"] as? String)?.components(separatedBy: "; ").count == 2)
        #expect(Set(subjects[2].keys) == ["resourceType", "id", "status", "study", "individual"])
        let study = try #require(resources.first { $0.resource["resourceType"] as? String == "ResearchStudy" }?.resource)
        #expect(study["status"] as? String == "completed")
        #expect(bundle.contains("a1b2c3d4e5f6") && bundle.contains(export.study.registeredProtocol?.sha256 ?? "?"))
        Self.expectNothingIdentifying(bundle)
    }

    /// The first participant's diary, as logged.
    func first(_ export: StudyExport) -> [DiaryEntry] { export.participants[0].kept?.diary ?? [] }

    @Test func aDraftIsNotExported() throws {
        let export = try Self.export(.draft)
        #expect(StudyFHIR.bundle(export, today: Self.running, timestamp: "2026-11-12T09:00:00Z") == nil)
    }

    @Test func theCSVHasNoArmWhileTheStudyRuns() throws {
        let csv = StudyCSV.csv(try Self.export(.registered), today: Self.running)
        let table = try CSVTable(parsing: csv)
        #expect(table.header == StudyCSV.header)
        let participant = try #require(table.column("participant")), arm = try #require(table.column("arm"))
        let comparator = try #require(table.column("comparator"))
        let codes = (0..<table.rowCount).map { table.text($0, participant) }
        // P-001 through today (11 days), P-002 up to the withdrawal (6 days); nothing of P-003,
        // and P-004 has not started.
        #expect(codes.filter { $0 == "P-001" }.count == 11 && codes.filter { $0 == "P-002" }.count == 6 && codes.count == 17)
        #expect((0..<table.rowCount).allSatisfy { table.text($0, arm).isEmpty && table.text($0, comparator).isEmpty })
        #expect(throws: InputError.self) { try SeriesInput(table: table) }
        Self.expectNothingIdentifying(csv)
    }

    @Test func onceClosedTheCSVIsASeriesForEpsomSeries() throws {
        let export = try Self.export(.closed)
        let csv = StudyCSV.csv(export, today: Self.closed)
        #expect(
            csv.hasPrefix(
                "participant,date,period,arm,comparator,washout,pain,enjoyment,activity,spasms,stiffness,sleep,side_effects,adherence,"
                    + "severe_side_effect\nP-001,2026-11-02,1,"))
        let input = try SeriesInput(table: try CSVTable(parsing: csv))
        #expect(input.participants.map(\.name) == ["P-001", "P-002", "P-004"])
        #expect(input.arms == ["Placebo cream", "Magnesium cream"])
        #expect(input.participants.map(\.entries.count) == [16, 6, 5])
        // The first participant's rows are their trial: arms, periods and washout as scheduled.
        let trial = try #require(export.participants[0].kept?.trial)
        for entry in input.participants[0].entries {
            let period = try #require(trial.schedule.period(on: entry.date))
            #expect(entry.arm == trial.design.arms[period.arm].name && entry.period == String(period.index + 1))
            #expect(entry.washout == period.isWashout(entry.date))
        }
        // Any diary score can be the outcome, by its name (the primary outcome's).
        let spasms = try SeriesInput(table: try CSVTable(parsing: csv), outcomeColumn: TrialOutcome.spasms.rawValue)
        #expect(spasms.participants[0].entries.map(\.outcome) == first(export).map { $0.spasms.map(Double.init) })
        let report = SeriesReport(input: input)
        #expect(report.participants.count == 3)
        Self.expectNothingIdentifying(csv)
    }
}
