import EpsomCore
import EpsomStorage
import Foundation

/// What the trial pages and the trial API share: creating, loading with its data, recording a
/// day (and stopping the trial when that day reports a severe side effect), amending, stopping,
/// and deciding who may see results when.
struct TrialService: Sendable {
    let store: any Store
    let clock: AppClock

    /// A trial with everything logged during it.
    struct Loaded: Sendable {
        var trial: Trial
        var ownerID: String
        var diary: [DiaryEntry]
        var adherence: [TrialDay]
    }

    func create(_ fields: [String: String], accountID: String) async throws(FieldErrors) -> Trial {
        var generator = SystemRandomNumberGenerator()
        let design = try TrialDesign.validated(fields, today: clock.today(), randomSeed: generator.next())
        // Two trials at once would give contradictory instructions for the same day.
        let existing: [Trial]
        do { existing = try await store.trials(accountID: accountID) } catch {
            throw FieldErrors(["template": "the trial could not be saved; try again"])
        }
        if let clash = existing.first(where: {
            $0.design.startDate <= $0.lastDay && $0.design.startDate <= design.endDate
                && design.startDate <= $0.lastDay
        }) {
            throw FieldErrors([
                "start_date": "overlaps your trial “\(clash.design.title)” (\(clash.design.startDate) to \(clash.lastDay)); "
                    + "start after \(clash.lastDay)"
            ])
        }
        let trial = Trial(id: UUID().uuidString.lowercased(), design: design, registeredOn: clock.today())
        do { try await store.createTrial(trial, accountID: accountID) } catch {
            throw FieldErrors(["template": "the trial could not be saved; try again"])
        }
        return trial
    }

    func load(id: String, ownerID: String) async throws -> Loaded? {
        guard let trial = try await store.trial(id: id, accountID: ownerID) else { return nil }
        let diary = try await store.diaryEntries(accountID: ownerID, from: trial.design.startDate, to: trial.design.endDate)
        let adherence = try await store.trialDays(trialID: id, accountID: ownerID)
        return Loaded(trial: trial, ownerID: ownerID, diary: diary, adherence: adherence)
    }

    /// The trial running today, if any (the newest one).
    func current(accountID: String) async throws -> Trial? {
        try await store.trials(accountID: accountID).first { $0.status(today: clock.today()) == .running }
    }

    /// Saves a day's adherence. A severe side effect stops the trial with the reason recorded;
    /// the caller shows `TrialSafety.stopAdvice`. Returns the day and the trial as it now is.
    func record(_ fields: [String: String], trial: Trial, accountID: String) async throws -> (day: TrialDay, trial: Trial) {
        if let stopped = trial.stoppedOn {
            throw FieldErrors(["adherence": "the trial was stopped on \(stopped); no more days are recorded"])
        }
        let day = try TrialDay.validated(fields, trial: trial, today: clock.today())
        try await store.saveTrialDay(day, trialID: trial.id, accountID: accountID)
        guard day.severeSideEffect, trial.stoppedOn == nil else { return (day, trial) }
        return (day, try await stop(trial, reason: TrialSafety.severeSideEffectReason(on: day.date), accountID: accountID))
    }

    func stop(_ trial: Trial, reason: String, accountID: String) async throws -> Trial {
        let stopped = trial.stopped(for: reason, today: clock.today())
        try await store.updateTrial(stopped, accountID: accountID)
        return stopped
    }

    /// The study enrolment the trial belongs to, if it is a study participant's: its protocol is
    /// the study's (no amendment by the participant), its allocation the pharmacist's, and it
    /// stops by leaving the study.
    func enrolment(trialID: String, ownerID: String) async throws -> (enrolment: Enrolment, study: Study)? {
        guard let enrolment = try await store.enrolments(accountID: ownerID).first(where: { $0.trialID == trialID }),
            let study = try await store.study(id: enrolment.studyID, participantID: ownerID)
        else { return nil }
        return (enrolment, study)
    }

    /// Kidney disease reported in the safety profile stops every running or planned trial.
    func stopAllForKidneyDisease(accountID: String) async throws {
        for trial in try await store.trials(accountID: accountID) where !trial.isOver(today: clock.today()) {
            _ = try await stop(trial, reason: TrialSafety.kidneyReason, accountID: accountID)
        }
    }

    /// Results are for after the trial; a clinician may look earlier, marked interim.
    enum ResultsAccess { case final, interim, notYet }

    func resultsAccess(_ trial: Trial, viewerIsClinician: Bool) -> ResultsAccess {
        if trial.isOver(today: clock.today()) { return .final }
        return viewerIsClinician && trial.status(today: clock.today()) == .running ? .interim : .notYet
    }

    func report(_ loaded: Loaded, interim: Bool) -> TrialReport {
        TrialReport(trial: loaded.trial, diary: loaded.diary, adherence: loaded.adherence, today: clock.today(), interim: interim)
    }

    /// Now in UTC: the date and "HH", "MM", "SS".
    private func utcNow() -> (date: CalendarDate, h: String, m: String, s: String) {
        let seconds = clock.now()
        let date = CalendarDate(dayNumber: Int((Double(seconds) / 86_400).rounded(.down)))
        let t = seconds - date.dayNumber * 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return (date, two(t / 3600), two(t / 60 % 60), two(t % 60))
    }

    /// iCalendar's DTSTAMP: "YYYYMMDDTHHMMSSZ".
    func icsStamp() -> String {
        let u = utcNow()
        return TrialCalendar.compact(u.date) + "T" + u.h + u.m + u.s + "Z"
    }

    /// FHIR's instant: "YYYY-MM-DDTHH:MM:SSZ".
    func fhirTimestamp() -> String {
        let u = utcNow()
        return "\(u.date)T\(u.h):\(u.m):\(u.s)Z"
    }
}
