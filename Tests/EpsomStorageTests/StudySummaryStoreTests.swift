import EpsomCore
import Foundation
import SQLKit
import Testing

@testable import EpsomStorage

/// The study dashboard reads stored per-participant summaries. They must stay exactly what a
/// recount of the participant's own rows gives, after every kind of write, on every backend: each
/// write path is taken in turn, and after each the stored summary is compared with a recount in
/// SQL (`studySummariesOutOfStep`) and with the counts of a model kept here in Swift.
@Suite struct StudySummaryStoreTests {
    /// What the participant's rows hold, as the test wrote them.
    struct Model {
        var start: CalendarDate, end: CalendarDate
        /// Diary days, and whether each had a side effect.
        var diary: [CalendarDate: Bool] = [:]
        /// The trial's days: adherence and a severe side effect.
        var days: [CalendarDate: (adherence: TrialDay.Adherence, severe: Bool)] = [:]

        var activity: ParticipantSummary.Activity {
            let inTrial = diary.filter { $0.key >= start && $0.key <= end }
            return ParticipantSummary.Activity(
                diaryDays: inTrial.count, lastDiaryDate: inTrial.keys.max(), sideEffectDays: inTrial.values.filter { $0 }.count,
                adherenceDays: days.count, adherentDays: days.values.filter { $0.adherence == .yes }.count,
                severeSideEffectDays: days.values.filter(\.severe).count)
        }
    }

    static func entry(_ date: CalendarDate, sideEffect: Bool, pain: Int = 4) -> DiaryEntry {
        DiaryEntry(date: date, pain: pain, sideEffects: sideEffect ? [.skinIrritation] : [])
    }

    @Test(arguments: Backend.available)
    func everyWritePathKeepsTheStoredSummariesExact(_ backend: Backend) async throws {
        try await backend.with { store in
            let investigator = try await StoreTests.newAccount(store, role: .clinician)
            let study = try await StudyStoreTests.registeredStudy(store, investigator: investigator)
            let ann = try await StoreTests.newAccount(store), bob = try await StoreTests.newAccount(store)
            let request = StudyStoreTests.request(study, ann)
            var model = Model(start: request.trial.design.startDate, end: request.trial.design.endDate)
            func day(_ offset: Int) -> CalendarDate { model.start.adding(days: offset) }

            func check(_ step: String, _ account: Account = ann, code: String = "P-001", expected: ParticipantSummary.Activity?)
                async throws
            {
                #expect(try await store.studySummariesOutOfStep(accountID: account.id).isEmpty, "\(step): stored ≠ recount")
                let summaries = try await store.participantSummaries(studyID: study.id, investigatorID: investigator.id)
                let summary = try #require(summaries.first { $0.participantCode == code }, "\(step)")
                #expect(summary.activity == expected, "\(step)")
            }

            // Diary written before enrolling, one day before the trial: enrolment counts what falls in it.
            for (offset, effect) in [(-1, true), (0, false), (1, true)] {
                try await store.saveDiaryEntry(Self.entry(day(offset), sideEffect: effect), accountID: ann.id)
                model.diary[day(offset)] = effect
            }
            let enrolment = try await store.enrol(request)
            try await check("enrolment", expected: model.activity)
            #expect(model.activity.diaryDays == 2 && model.activity.sideEffectDays == 1)

            // Single saves: a new day, then a day changed (its side effect gone).
            try await store.saveDiaryEntry(Self.entry(day(2), sideEffect: true), accountID: ann.id)
            model.diary[day(2)] = true
            try await check("a new diary day", expected: model.activity)
            try await store.saveDiaryEntry(Self.entry(day(1), sideEffect: false, pain: 6), accountID: ann.id)
            model.diary[day(1)] = false
            try await check("a diary day changed", expected: model.activity)

            // A deletion, and one of a day that has no entry.
            #expect(try await store.deleteDiaryEntry(accountID: ann.id, date: day(0)))
            model.diary[day(0)] = nil
            try await check("a diary day deleted", expected: model.activity)
            #expect(try await store.deleteDiaryEntry(accountID: ann.id, date: day(0)) == false)
            try await check("nothing deleted", expected: model.activity)

            // Trial days: saved, and one answer replaced.
            for (offset, adherence, severe) in [(0, TrialDay.Adherence.yes, false), (1, .partly, true), (2, .yes, false)] {
                try await store.saveTrialDay(
                    TrialDay(date: day(offset), adherence: adherence, severeSideEffect: severe), trialID: enrolment.trialID,
                    accountID: ann.id)
                model.days[day(offset)] = (adherence, severe)
                try await check("trial day \(offset)", expected: model.activity)
            }
            try await store.saveTrialDay(TrialDay(date: day(2), adherence: .no), trialID: enrolment.trialID, accountID: ann.id)
            model.days[day(2)] = (.no, false)
            try await check("a trial day replaced", expected: model.activity)

            // A CSV/API import (SQLite stages it; PostgreSQL writes it in one transaction), with a
            // day after the trial's end and a date given twice (the last row wins).
            var imported = (3...9).map { Self.entry(day($0), sideEffect: $0 % 3 == 0) }
            imported.append(Self.entry(model.end.adding(days: 1), sideEffect: true))
            imported.append(Self.entry(day(9), sideEffect: true))
            try await store.importRecords(accountID: ann.id, diary: imported, doses: [])
            for e in imported { model.diary[e.date] = !e.sideEffects.isEmpty }
            try await check("an import", expected: model.activity)

            // An archive restored into the account: its diary days fall in the trial; its trial is
            // another one, so its days are not this enrolment's.
            let other = try await StoreTests.newAccount(store)
            let otherTrial = StudyStoreTests.request(study, other, start: "2027-06-01").trial
            try await store.createTrial(otherTrial, accountID: other.id)
            try await store.saveTrialDay(
                TrialDay(date: otherTrial.design.startDate, adherence: .yes), trialID: otherTrial.id, accountID: other.id)
            for offset in [20, 21] {
                try await store.saveDiaryEntry(Self.entry(day(offset), sideEffect: offset == 21), accountID: other.id)
            }
            let archive = try await store.archive(accountID: other.id)
            try await store.deleteAccount(id: other.id)
            try await store.restore(archive, accountID: ann.id)
            model.diary[day(20)] = false
            model.diary[day(21)] = true
            try await check("an archive restored", expected: model.activity)
            #expect(model.activity.diaryDays == 11 && model.activity.adherenceDays == 3)

            // Another participant keeps their data when they leave: their counts stay.
            var bobModel = Model(start: model.start, end: model.end)
            _ = try await store.enrol(StudyStoreTests.request(study, bob))
            try await check("a second enrolment", bob, code: "P-002", expected: bobModel.activity)
            try await store.saveDiaryEntry(Self.entry(day(0), sideEffect: true), accountID: bob.id)
            bobModel.diary[day(0)] = true
            try await store.withdraw(studyID: study.id, accountID: bob.id, on: day(1), keepsData: true)
            try await check("withdrawn, data kept", bob, code: "P-002", expected: bobModel.activity)

            // Ann withdraws her data: the dashboard shows none, and the store keeps no count of it,
            // then or after a later diary day.
            try await store.withdraw(studyID: study.id, accountID: ann.id, on: day(22), keepsData: false)
            try await check("withdrawn with the data", expected: nil)
            try await store.saveDiaryEntry(Self.entry(day(23), sideEffect: true), accountID: ann.id)
            try await check("a diary day after withdrawing the data", expected: nil)
            let stored = try #require(
                try await store.db.raw(
                    "SELECT * FROM study_participant_summaries WHERE enrolment_id = \(bind: enrolment.id)"
                ).first())
            for column in ["diary_days", "side_effect_days", "adherence_days", "adherent_days", "severe_days"] {
                #expect(try stored.decode(column: column, as: Int.self) == 0, "\(column)")
            }
            #expect(try stored.decode(column: "last_diary_date", as: Int?.self) == nil)

            // Erasing an account takes its enrolment and its summary with it.
            let bobEnrolment = try #require(try await store.enrolments(accountID: bob.id).first)
            try await store.deleteAccount(id: bob.id)
            let left = try await store.db.raw(
                "SELECT COUNT(*) AS n FROM study_participant_summaries WHERE enrolment_id = \(bind: bobEnrolment.id)"
            ).first()
            #expect(try left?.decode(column: "n", as: Int.self) == 0)
            #expect(
                try await store.participantSummaries(studyID: study.id, investigatorID: investigator.id).map(\.participantCode) == ["P-001"]
            )
        }
    }

    /// Saves of one participant's diary and trial days at the same time (40, each in its own
    /// transaction): on PostgreSQL each recount waits for the one before, so none is lost. (Without
    /// the lock, two saves each counted without the other's uncommitted day, and one count was lost.)
    @Test(arguments: Backend.available)
    func simultaneousWritesOfOneParticipantLoseNoCount(_ backend: Backend) async throws {
        try await backend.with { store in
            let investigator = try await StoreTests.newAccount(store, role: .clinician)
            let study = try await StudyStoreTests.registeredStudy(store, investigator: investigator)
            let ann = try await StoreTests.newAccount(store)
            let enrolment = try await store.enrol(StudyStoreTests.request(study, ann))
            let start = enrolment.startDate
            try await withThrowingTaskGroup(of: Void.self) { group in
                for offset in 0..<20 {
                    group.addTask {
                        try await store.saveDiaryEntry(
                            Self.entry(start.adding(days: offset), sideEffect: offset % 4 == 0), accountID: ann.id)
                    }
                    group.addTask {
                        try await store.saveTrialDay(
                            TrialDay(date: start.adding(days: offset), adherence: offset % 2 == 0 ? .yes : .partly),
                            trialID: enrolment.trialID, accountID: ann.id)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.studySummariesOutOfStep(accountID: ann.id).isEmpty)
            let activity = try await store.participantSummaries(studyID: study.id, investigatorID: investigator.id).first?.activity
            #expect(activity?.diaryDays == 20 && activity?.sideEffectDays == 5 && activity?.lastDiaryDate == start.adding(days: 19))
            #expect(activity?.adherenceDays == 20 && activity?.adherentDays == 10)
        }
    }

    /// Diary days saved while the participant enrols: each is counted, whichever commits first
    /// (on PostgreSQL the enrolment waits for the saves in flight and holds off new ones).
    @Test(arguments: Backend.available)
    func diaryDaysSavedWhileEnrollingAreCounted(_ backend: Backend) async throws {
        try await backend.with { store in
            let investigator = try await StoreTests.newAccount(store, role: .clinician)
            let study = try await StudyStoreTests.registeredStudy(store, investigator: investigator)
            for round in 0..<3 {
                let ann = try await StoreTests.newAccount(store)
                let request = StudyStoreTests.request(study, ann)
                let start = request.trial.design.startDate
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for offset in 0..<10 {
                        group.addTask {
                            try await store.saveDiaryEntry(Self.entry(start.adding(days: offset), sideEffect: false), accountID: ann.id)
                        }
                        if offset == 3 { group.addTask { _ = try await store.enrol(request) } }
                    }
                    try await group.waitForAll()
                }
                #expect(try await store.studySummariesOutOfStep(accountID: ann.id).isEmpty, "round \(round)")
                let summary = try await store.participantSummaries(studyID: study.id, investigatorID: investigator.id).last
                #expect(summary?.activity?.diaryDays == 10, "round \(round)")
            }
        }
    }

    /// Migration 0015 counts the enrolments that exist when it runs, with the same rules, and 0017
    /// copies their trials' jars and arms: a database at migration 0014 gets rows written as the
    /// old code wrote them, then opens.
    @Test(arguments: Backend.available)
    func theMigrationCountsExistingEnrolments(_ backend: Backend) async throws {
        let before = Array(Migrations.all.prefix { $0.name != "0015_study_participant_summaries" })
        #expect(before.last?.name == "0014_study_blinding")
        try await backend.withEmptyDatabase { location in
            let old = try await Database.open(location, migrations: before)
            var ids: [(account: String, enrolment: String)] = []
            var allocations: [StudyAllocation] = []
            let investigator: Account, study: Study
            do {
                let store = old.store
                investigator = try await StoreTests.newAccount(store, role: .clinician)
                study = try await StudyStoreTests.registeredStudy(store, investigator: investigator)
                // Three participants: active, withdrawn keeping their data, withdrawn with it.
                for (number, withdrawal) in [(1, Bool?.none), (2, true), (3, false)] {
                    let account = try await StoreTests.newAccount(store)
                    let request = StudyStoreTests.request(study, account)
                    let start = request.trial.design.startDate
                    try await SQLStore.insert(request.trial, accountID: account.id, createdAt: 0, on: store.db)
                    let enrolmentID = UUID().uuidString.lowercased()
                    try await store.db.raw(
                        """
                        INSERT INTO enrolments (id, study_id, account_id, participant_number, trial_id, consent_sha256, consented_at,
                          start_date, end_date, withdrawn_on, keeps_data)
                        VALUES (\(bind: enrolmentID), \(bind: study.id), \(bind: account.id), \(bind: number), \(bind: request.trial.id),
                          'hash', 0, \(bind: start.dayNumber), \(bind: request.trial.design.endDate.dayNumber),
                          \(bind: withdrawal == nil ? nil : start.adding(days: 5).dayNumber), \(bind: withdrawal))
                        """
                    ).run()
                    for offset in -1..<(10 * number) {
                        let e = Self.entry(start.adding(days: offset), sideEffect: offset % 3 == 0)
                        try await store.db.insert(into: "diary_entries").columns(SQLStore.diaryColumns)
                            .values(SQLStore.diaryValues(e, accountID: account.id)).run()
                    }
                    for offset in 0..<(5 * number) {
                        try await store.db.insert(into: "trial_days").columns("trial_id", "date", "adherence", "severe_side_effect")
                            .values(
                                SQLBind(request.trial.id), start.adding(days: offset).stored, SQLBind(offset % 2 == 0 ? "yes" : "no"),
                                SQLBind(offset == 1)
                            ).run()
                    }
                    ids.append((account.id, enrolmentID))
                    let trial = request.trial
                    allocations.append(
                        StudyAllocation(
                            participantCode: Enrolment.participantCode(number: number), startDate: trial.design.startDate,
                            endDate: trial.design.endDate, withdrawnOn: withdrawal == nil ? nil : start.adding(days: 5),
                            keepsData: withdrawal,
                            arms: trial.design.arms.indices.map { .init(name: trial.design.arms[$0].name, jar: trial.schedule.jars[$0]) }))
                }
            } catch {
                try await old.close()
                throw error
            }
            try await old.close()

            let migrated = try await Database.open(location)
            do {
                for id in ids { #expect(try await migrated.store.studySummariesOutOfStep(accountID: id.account).isEmpty) }
                let summaries = try await migrated.store.participantSummaries(studyID: study.id, investigatorID: investigator.id)
                #expect(summaries.map(\.activity?.diaryDays) == [10, 20, nil])
                #expect(summaries.map(\.activity?.sideEffectDays) == [4, 7, nil])
                #expect(summaries.map(\.activity?.adherentDays) == [3, 5, nil])
                #expect(summaries.map(\.activity?.severeSideEffectDays) == [1, 1, nil])
                let erased = try await migrated.store.db.raw(
                    "SELECT diary_days FROM study_participant_summaries WHERE enrolment_id = \(bind: ids[2].enrolment)"
                ).first()
                #expect(try erased?.decode(column: "diary_days", as: Int.self) == 0)
                // Migration 0017 copies each trial's jar letters and arm names onto its enrolment.
                #expect(try await migrated.store.studyAllocations(studyID: study.id, accountID: investigator.id) == allocations)
            } catch {
                try await migrated.close()
                throw error
            }
            try await migrated.close()
        }
    }
}
