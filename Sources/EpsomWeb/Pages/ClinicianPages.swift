import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// A clinician's list of the patients who share with them: for each, the last diary entry, the
/// diary kept over the last two weeks, the magnesium log, a running trial's adherence, and the
/// safety flags (a day above the 350 mg limit for supplements, kidney disease).
struct ClinicianPages {
    let store: any Store
    let clock: AppClock
    static let window = 14

    /// One patient's line on the list.
    struct Summary {
        var account: Account
        var lastEntry: DiaryEntry?
        var daysRecorded: Int
        var doseDays: Int
        var daysAboveLimit: [CalendarDate]
        var trial: (title: String, answered: Int, due: Int)?
    }

    func summary(_ patient: Account) async throws -> Summary {
        let today = clock.today()
        let from = today.adding(days: -(Self.window - 1))
        let entries = try await store.diaryEntries(accountID: patient.id, from: from, to: today)
        let last = try await store.latestDiaryEntry(accountID: patient.id)
        let doses = try await store.doses(accountID: patient.id, from: from, to: today).map(\.dose)
        let byDay = Dictionary(grouping: doses, by: \.takenAt.date)
        let above = byDay.compactMap { date, doses in
            DailyIntake(date: date, doses: doses, profile: patient.safetyProfile).supplementalMilligrams > DailyIntake.upperLimitMilligrams
                ? date : nil
        }.sorted()
        var trial: (String, Int, Int)?
        if let running = try await store.trials(accountID: patient.id).first(where: { $0.status(today: today) == .running }) {
            let answered = try await store.trialDays(trialID: running.id, accountID: patient.id).filter { $0.date <= today }.count
            trial = (running.design.title, answered, today.dayNumber - running.design.startDate.dayNumber + 1)
        }
        return Summary(
            account: patient, lastEntry: last, daysRecorded: entries.count, doseDays: byDay.count,
            daysAboveLimit: above, trial: trial)
    }

    func list(_ identity: Identity) async throws -> HTML {
        let patients = try await store.patients(sharedWith: identity.account.id)
        var cards: [HTML] = []
        for patient in patients {
            cards.append(Self.card(try await summary(patient)))
            try await store.recordAccess(patientID: patient.id, viewer: identity.account, what: "GET / (patient list)")
        }
        let body: HTML = """
            <h1>Patients sharing with you</h1>
            \(patients.isEmpty ? "<p>No one shares their diary with you yet. A patient adds your email on their Account page.</p>" : "\(cards)")
            """
        return Layout.page("Patients", identity: identity, csrf: identity.session.csrfToken, body)
    }

    static func card(_ s: Summary) -> HTML {
        let id = s.account.id
        let last: HTML = s.lastEntry.map { "Last diary entry \($0.date): pain \($0.pain)/10." } ?? "No diary entries yet."
        var flags: [HTML] = []
        if s.account.safetyProfile.kidneyDisease {
            flags.append("<li>Kidney disease recorded in the patient's safety profile.</li>")
        }
        if !s.daysAboveLimit.isEmpty {
            let days = s.daysAboveLimit.map(\.description).joined(separator: ", ")
            flags.append(
                "<li>Oral magnesium above the 350 mg/day limit for supplements on \(s.daysAboveLimit.count) day\(text: s.daysAboveLimit.count == 1 ? "" : "s") (\(text: days)).</li>"
            )
        }
        let trial: HTML =
            s.trial.map { t in
                "<p>In a trial: \(text: t.title); adherence answered on \(t.answered) of \(t.due) days so far.</p>"
            } ?? ""
        return """
            <section class="study" id="patient-\(text: id)">
            <h2>\(text: s.account.name) <small>(\(text: s.account.email))</small></h2>
            <p>\(last) The patient kept the diary on \(s.daysRecorded) of the last \(window) days and logged magnesium on \(s.doseDays) of them.</p>
            \(trial)
            \(flags.isEmpty ? "" : "<div class=\"notice warning\" role=\"status\"><strong>Safety</strong><ul>\(flags)</ul></div>")
            <p><a href="/history?patient=\(text: id)">History</a> · <a href="/doses/log?patient=\(text: id)">Magnesium log</a> ·
            <a href="/trials?patient=\(text: id)">Trials</a></p>
            </section>
            """
    }
}
