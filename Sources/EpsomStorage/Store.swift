import EpsomCore
import Foundation

/// Everything Epsom keeps, behind one protocol so that the web app, the CLI and the tests do not
/// care which database is underneath. One implementation, `SQLStore`, runs on SQLite (a file, the
/// default) and on PostgreSQL (many users); one conformance suite checks both.
///
/// Every method that touches a person's records takes their account id, and every query filters
/// on it: a store never returns one person's data to a caller that named another.
public protocol Store: Sendable {
    /// Answers when the database can be reached (for `/readyz`).
    func ping() async throws

    // MARK: Accounts
    /// Throws `StoreError.duplicateEmail` when the email is taken (case-insensitively).
    func createAccount(_ account: NewAccount) async throws -> Account
    func account(email: String) async throws -> Account?
    func account(id: String) async throws -> Account?
    func updateSafetyProfile(accountID: String, _ profile: SafetyProfile) async throws
    /// After how many days without a regular product the home page says so (1…30).
    func updateMissedUseDays(accountID: String, days: Int) async throws
    /// The IANA time zone ("Europe/London") whose clock places the account's doses in days.
    /// Setting it does not move doses already logged (each keeps its instant and offset).
    func updateTimeZone(accountID: String, identifier: String) async throws
    /// Patient or clinician, chosen at sign-up and changeable on the Account page.
    func updateRole(accountID: String, role: Role) async throws
    /// Erases the account and, through foreign keys, every record that belongs to it.
    func deleteAccount(id: String) async throws

    // MARK: Sessions (web sessions and API tokens; only hashes of tokens are stored)
    func createSession(_ session: StoredSession) async throws
    func session(tokenHash: String) async throws -> StoredSession?
    /// The session and its account in one query: every authenticated request asks this first.
    func identity(tokenHash: String) async throws -> (session: StoredSession, account: Account)?
    func deleteSession(tokenHash: String) async throws
    /// Deletes sessions past their expiry, or unused since `idleSince` (seconds since 1970).
    func deleteExpiredSessions(now: Int, idleSince: Int) async throws
    /// Records that a session was used now.
    func touchSession(tokenHash: String, at: Int) async throws
    /// An account's sessions, newest first (for Account: where am I signed in).
    func sessions(accountID: String) async throws -> [StoredSession]
    /// Signs an account out everywhere.
    func deleteSessions(accountID: String) async throws

    // MARK: Diary (one entry per day, editable)
    func saveDiaryEntry(_ entry: DiaryEntry, accountID: String) async throws
    func diaryEntry(accountID: String, date: CalendarDate) async throws -> DiaryEntry?
    /// The newest entry, whatever its date (one row, not the whole diary).
    func latestDiaryEntry(accountID: String) async throws -> DiaryEntry?
    func diaryEntries(accountID: String, from: CalendarDate, to: CalendarDate) async throws -> [DiaryEntry]
    /// At most `limit` entries in the range, by date, after the date `after` (one page).
    func diaryEntries(
        accountID: String, from: CalendarDate, to: CalendarDate, after: CalendarDate?,
        limit: Int
    ) async throws -> [DiaryEntry]
    /// Returns false when there was no entry.
    func deleteDiaryEntry(accountID: String, date: CalendarDate) async throws -> Bool

    // MARK: Doses and products
    /// Returns the new dose's id.
    func addDose(_ dose: Dose, accountID: String) async throws -> String
    func doses(accountID: String, from: CalendarDate, to: CalendarDate) async throws -> [StoredDose]
    /// At most `limit` doses in the range, by minute, instant and id, after `after` (one page).
    func doses(
        accountID: String, from: CalendarDate, to: CalendarDate, after: DoseCursor?,
        limit: Int
    ) async throws -> [StoredDose]
    func deleteDose(id: String, accountID: String) async throws -> Bool
    func saveProduct(_ product: Product, accountID: String) async throws
    func products(accountID: String) async throws -> [Product]
    func deleteProduct(id: String, accountID: String) async throws -> Bool

    // MARK: Sharing with clinicians
    func share(patientID: String, clinicianID: String) async throws
    /// Failures counted under `key` in the fixed window of `window` seconds containing `now`.
    func failures(key: String, window: Int, now: Int) async throws -> Int
    /// Counts one more failure under `key` in that window (atomically, across processes).
    func recordFailure(key: String, window: Int, now: Int) async throws
    /// Records that `viewer` (a clinician) read a patient's data (`what`: the page or route).
    func recordAccess(patientID: String, viewer: Account, what: String) async throws
    /// The latest accesses to a patient's data, newest first.
    func accessLog(patientID: String, limit: Int) async throws -> [AccessRecord]
    /// Shares with an email: now if a clinician has it, else when one signs up with it.
    func share(patientID: String, email: String) async throws
    /// The emails a patient shares with (active or waiting), without saying which.
    func sharedEmails(of patientID: String) async throws -> [String]
    func revoke(patientID: String, email: String) async throws
    /// Turns invitations for this clinician's email into shares (`createAccount` and
    /// `updateRole` call it, so no sign-up path can forget).
    func acceptInvitations(clinician: Account) async throws
    func revoke(patientID: String, clinicianID: String) async throws
    func isShared(patientID: String, clinicianID: String) async throws -> Bool
    func patients(sharedWith clinicianID: String) async throws -> [Account]
    func clinicians(of patientID: String) async throws -> [Account]

    // MARK: Trials (each belongs to one account; every query checks it)
    func createTrial(_ trial: Trial, accountID: String) async throws
    func trials(accountID: String) async throws -> [Trial]
    func trial(id: String, accountID: String) async throws -> Trial?
    /// Writes the trial's current design, schedule, stop and consent, and any amendments not yet
    /// stored, in one transaction. Throws `StoreError.notFound` when the trial is not the account's.
    func updateTrial(_ trial: Trial, accountID: String) async throws
    /// Records a day's adherence (one answer per day, replaced on a second save).
    func saveTrialDay(_ day: TrialDay, trialID: String, accountID: String) async throws
    func trialDays(trialID: String, accountID: String) async throws -> [TrialDay]
    /// Sets (or with nil removes) the hash of the trial's secret calendar-feed token.
    func setTrialFeedToken(trialID: String, accountID: String, tokenHash: String?) async throws
    /// The trial and its owner's account id for a calendar-feed token hash.
    func trial(feedTokenHash: String) async throws -> (trial: Trial, accountID: String)?
    /// Every trial whose owner consented to give its summary to the pooled evidence.
    func consentedTrials() async throws -> [(trial: Trial, accountID: String)]

    // MARK: Studies (an investigator's; every query checks it, but for an invitee's code)
    /// Stores a new draft.
    func createStudy(_ study: Study, investigatorID: String) async throws
    func studies(investigatorID: String) async throws -> [Study]
    /// The study if it is the investigator's, else nil.
    func study(id: String, investigatorID: String) async throws -> Study?
    /// The study if the account is (or was) enrolled in it, else nil.
    func study(id: String, participantID: String) async throws -> Study?
    /// The study an invitation link names (its public code), whoever asks.
    func study(enrolmentCode: String) async throws -> Study?
    /// Replaces a draft's design. Throws `StoreError.studyNotFound` unless the study is the
    /// investigator's and still a draft.
    func updateStudyDraft(id: String, investigatorID: String, design: StudyDesign) async throws
    /// Freezes a draft: its final design, protocol, date and enrolment code. Only a draft.
    func registerStudy(
        id: String, investigatorID: String, design: StudyDesign, registered: StudyProtocol, on date: CalendarDate,
        enrolmentCode: String) async throws
    /// Writes the amended design and the amendment together. Only a registered study.
    func amendStudy(id: String, investigatorID: String, design: StudyDesign, amendment: StudyAmendment) async throws
    /// Stores single-use invitation codes, as hashes.
    func addStudyInvitations(studyID: String, investigatorID: String, codeHashes: [String]) async throws
    /// Whether the investigator has made single-use codes for the study: then every enrolment
    /// needs one.
    func studyUsesInvitations(studyID: String) async throws -> Bool
    /// Counts a screening: eligible or not, and nothing about who answered.
    func recordScreening(studyID: String, eligible: Bool) async throws
    func screeningCounts(studyID: String) async throws -> (eligible: Int, ineligible: Int)
    /// Enrols in one transaction: the study must be registered; the account not yet enrolled in
    /// it and without a trial running into the new one; a single-use code unused (and used by
    /// this). Then the participant's trial and the enrolment are written with the next
    /// participant number. Throws `EnrolmentRefusal`, and then nothing is written.
    func enrol(_ request: EnrolmentRequest) async throws -> Enrolment
    /// A participant leaves: the day, whether the data collected so far stays in the study, and
    /// their trial stopped that day (if it runs on). Throws `StoreError.enrolmentNotFound` when
    /// the account is not (or no longer) taking part.
    func withdraw(studyID: String, accountID: String, on date: CalendarDate, keepsData: Bool) async throws
    /// The dashboard's view of each participant (no outcome by arm), if the study is the
    /// investigator's; a participant who withdrew their data shows no activity. Read from the
    /// stored per-participant summaries, which every write of a participant's diary, trial days
    /// or enrolment recounts in its own transaction: one row per participant, never the diaries.
    func participantSummaries(studyID: String, investigatorID: String) async throws -> [ParticipantSummary]
    /// The study's participants, if the study is the investigator's, in order of enrolment.
    func enrolments(studyID: String, investigatorID: String) async throws -> [Enrolment]
    func enrolments(accountID: String) async throws -> [Enrolment]
    /// What the study's exports are made from, if the study is the investigator's (else nil):
    /// each participant in order of enrolment with their trial, and their diary (without notes)
    /// and adherence answers within the trial's dates and up to any withdrawal; of a participant
    /// who withdrew their data, the enrolment only. A few queries, linear in the rows returned.
    func studyExport(studyID: String, investigatorID: String) async throws -> StudyExport?

    // MARK: Study blinding and closing
    /// Names the study's unblinded pharmacist (the caller checks the account's role), or with
    /// nil nobody. Throws `StoreError.studyNotFound` unless the study is the investigator's and
    /// not closed.
    func setStudyPharmacist(studyID: String, investigatorID: String, pharmacistID: String?) async throws
    /// The studies that name the account as their pharmacist.
    func studies(pharmacistID: String) async throws -> [Study]
    /// The study if it names the account as its pharmacist, else nil.
    func study(id: String, pharmacistID: String) async throws -> Study?
    /// Each participant's enrolment and trial, in order, for the study's investigator or its
    /// pharmacist (anyone else: none). What of the allocation the caller shows is its rule
    /// (`Study.investigatorSeesAllocation`); a participant who withdrew their data is listed,
    /// and the caller must show no data of theirs.
    func studyTrials(studyID: String, accountID: String) async throws -> [(enrolment: Enrolment, trial: Trial)]
    /// Each participant's arms and jar letters, in order, for the same two people as
    /// `studyTrials` (anyone else: none), and nothing else of the trials: what the study's page
    /// shows, in one query of the enrolments, which keep their trial's letters and names.
    func studyAllocations(studyID: String, accountID: String) async throws -> [StudyAllocation]
    /// Closes a registered study of the investigator's on a date, in one transaction: throws
    /// `StudyCloseRefusal.participantsRunning` while any participant's trial runs on that day or
    /// later (neither ended, stopped nor left), and `StoreError.studyNotFound` otherwise.
    func closeStudy(id: String, investigatorID: String, on date: CalendarDate) async throws
    /// Records an emergency unblinding of one participant of a registered study. Throws
    /// `StudyUnblindingRefusal.alreadyUnblinded` for a second one, `StoreError.enrolmentNotFound`
    /// for no such participant, `StoreError.studyNotFound` otherwise.
    func unblind(studyID: String, investigatorID: String, _ unblinding: StudyUnblinding) async throws
    /// The study's single-use invitation codes, made and used, if the study is the investigator's
    /// (else none).
    func studyInvitationCounts(studyID: String, investigatorID: String) async throws -> (made: Int, used: Int)

    // MARK: Study results (computed once, when the study closes)
    /// Stores a closed study's analysis, if the study is the investigator's and closed. The first
    /// save stays: returns false when results were stored already (or the study is not theirs).
    func saveStudyResults(studyID: String, investigatorID: String, _ results: StoredStudyResults) async throws -> Bool
    /// The stored analysis, for the study's investigator.
    func studyResults(studyID: String, investigatorID: String) async throws -> StoredStudyResults?
    /// The stored analysis's JSON, for an account enrolled in the study (withdrawn or not).
    func studyResultsJSON(studyID: String, participantID: String) async throws -> String?
    /// Closed studies without a stored analysis, the latest closed first, at most `limit` (for the
    /// background service that computes what a close could not).
    func studiesAwaitingResults(limit: Int) async throws -> [(studyID: String, investigatorID: String)]

    // MARK: Study publications (the evidence pages)
    /// Publishes (or publishes anew) the investigator's closed study, if its analysis is stored:
    /// returns false otherwise (not theirs, not closed, or no analysis yet).
    func publishStudy(studyID: String, investigatorID: String, _ publication: StudyPublication) async throws -> Bool
    /// Withdraws the investigator's publication of the study, if there is one.
    func unpublishStudy(studyID: String, investigatorID: String) async throws
    /// The study's publication, for its investigator's page.
    func studyPublication(studyID: String, investigatorID: String) async throws -> StudyPublication?
    /// Every published study, the earliest published first: public, for the evidence pages.
    func studyPublications() async throws -> [StudyPublication]

    // MARK: Import
    /// Writes all the records in one transaction: either every one is saved or none is.
    func importRecords(accountID: String, diary: [DiaryEntry], doses: [Dose]) async throws

    // MARK: Archive (export everything, erase, take it back in)
    /// Everything needed to restore the account (see `AccountArchive` for what is left out).
    func archive(accountID: String) async throws -> AccountArchive
    /// Writes a validated archive into the account in one transaction: all or nothing. Throws
    /// `ArchiveConflict` when a record would collide with one already stored, and
    /// `StoreError.notFound` when there is no such account.
    func restore(_ archive: AccountArchive, accountID: String) async throws
}

/// What an account is for. A pharmacist keeps the allocations of the blinded studies that name
/// them (and keeps no diary here, like a clinician).
public enum Role: String, Sendable, Codable, CaseIterable {
    case patient, clinician, pharmacist
}

public struct NewAccount: Sendable {
    public var email: String
    public var name: String
    public var passwordHash: String
    public var role: Role
    /// An IANA time zone id, already checked (`Account.timeZone`).
    public var timeZone: String
    public init(email: String, name: String, passwordHash: String, role: Role = .patient, timeZone: String = "UTC") {
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.role = role
        self.timeZone = timeZone
    }
}

public struct Account: Sendable, Equatable, Identifiable {
    public var id: String
    public var email: String
    public var name: String
    public var passwordHash: String
    public var role: Role
    public var safetyProfile: SafetyProfile
    /// Seconds since 1970.
    public var createdAt: Int
    /// Days without a regular product before the home page says so (default 2).
    public var missedUseDays: Int = 2
    /// The IANA id of the person's time zone: a dose belongs to the local day, on this zone's
    /// clock, on which it was taken. "UTC" unless chosen (accounts made before zones existed
    /// have "UTC", so their doses' wall clocks and days did not move).
    public var timeZone: String = "UTC"

    /// `timeZone` as a zone (UTC if the id is no longer known to this system).
    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? .utc }

    /// A zone id as typed, trimmed, if this system knows it (`TimeZone(identifier:)`, which is
    /// case-sensitive); nil when unknown. Kept as given ("UTC" stays "UTC", which Foundation
    /// would call "GMT").
    public static func timeZoneIdentifier(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.count <= 64, TimeZone(identifier: t) != nil else { return nil }
        return t
    }
}

/// One access by someone else to a patient's data.
public struct AccessRecord: Sendable, Equatable {
    public var viewerEmail: String
    /// The page or route, without ids or dates ("GET /history").
    public var what: String
    /// Seconds since 1970.
    public var at: Int
}

public struct StoredSession: Sendable, Equatable {
    public enum Kind: String, Sendable { case web, api }
    /// SHA-256 of the token, hex: a stolen database does not yield usable tokens.
    public var tokenHash: String
    public var accountID: String
    public var kind: Kind
    /// The CSRF token bound to a web session.
    public var csrfToken: String
    /// Seconds since 1970.
    public var expiresAt: Int
    /// When it was made, and when it was last used (updated at most every few minutes), in
    /// seconds since 1970; 0 for sessions made before these were recorded.
    public var createdAt: Int = 0
    public var lastSeenAt: Int = 0
    public init(
        tokenHash: String, accountID: String, kind: Kind, csrfToken: String, expiresAt: Int,
        createdAt: Int = 0, lastSeenAt: Int = 0
    ) {
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.tokenHash = tokenHash
        self.accountID = accountID
        self.kind = kind
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}

/// Where a page of doses ends: the last dose's wall-clock minute, instant and id (doses are
/// listed by all three: seconds and clock changes order doses within a minute).
public struct DoseCursor: Sendable, Equatable {
    public var takenAt: LocalDateTime
    /// Seconds since 1970, UTC.
    public var instant: Int
    public var id: String
    public init(takenAt: LocalDateTime, instant: Int, id: String) {
        self.takenAt = takenAt
        self.instant = instant
        self.id = id
    }

    public init(_ stored: StoredDose) {
        self.init(takenAt: stored.dose.takenAt, instant: stored.dose.time.instant, id: stored.id)
    }
}

public struct StoredDose: Sendable, Equatable {
    public var id: String
    public var dose: Dose
    public init(id: String, dose: Dose) {
        self.id = id
        self.dose = dose
    }
}

/// Storage failures as the caller may show them: no SQL text and no stored values.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable { case duplicateEmail, notFound, unavailable }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
    public static let duplicateEmail = StoreError(.duplicateEmail, "An account with this email already exists.")
    public static let trialNotFound = StoreError(.notFound, "No such trial.")
    public static let studyNotFound = StoreError(.notFound, "No such study, or it cannot change this way.")
    public static let enrolmentNotFound = StoreError(.notFound, "You are not taking part in this study.")
}
