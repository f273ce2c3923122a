import Foundation
import Testing

@testable import EpsomCore

/// A study's protocol as the investigator writes it: every field checked and named, the
/// participants' trials made by the personal trial's rules, and registration frozen by a hash.
@Suite struct StudyDesignTests {
    static let today = day("2026-12-01")

    /// A date from its ISO text; a mistyped one becomes 1970-01-01, which no expectation accepts.
    static func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso) ?? CalendarDate(dayNumber: 0) }

    static let fields: [String: String] = [
        "title": "Magnesium cream vs placebo cream for chronic low back pain, 12 weeks",
        "question": "Does magnesium cream on the soles of the feet lower daily back pain compared with a placebo cream?",
        "condition": "chronic low back pain",
        "eligibility": "Adults with low back pain on most days for at least 3 months.",
        "screening": "no: Are you 18 or older?\nyes: Do you have kidney disease?\n",
        "information_sheet": "You will use two creams in turn for 12 weeks and rate your pain each evening.",
        "consent_text": "I agree to take part and know I can leave at any time.",
        "template": "cream-vs-placebo",
        "period_days": "14", "cycles": "3", "washout_days": "3", "mcid": "1",
        "secondary_outcomes": "spasms, stiffness",
        "target_participants": "20",
        "enrolment_opens": "2026-12-07", "enrolment_closes": "2027-03-31",
    ]

    @Test func aStudyIsBuiltFromItsFieldsAndMakesEachParticipantsTrial() throws {
        let study = try StudyDesign.validated(Self.fields, today: Self.today)
        #expect(study.arms.map(\.name) == ["Placebo cream", "Magnesium cream"])
        #expect(study.blinded && study.primaryOutcome == .pain && study.secondaryOutcomes == [.spasms, .stiffness])
        #expect(
            study.screening == [
                .init(text: "Are you 18 or older?", excludingAnswer: false),
                .init(text: "Do you have kidney disease?", excludingAnswer: true),
            ])
        #expect(study.trialDays == 84)
        let start = Self.day("2027-01-04")
        #expect(study.acceptsStart(on: start) && !study.acceptsStart(on: Self.day("2027-04-01")))
        let trial = study.trialDesign(startDate: start, seed: 42)
        #expect(trial.arms == study.arms && trial.blinded && trial.seed == 42 && trial.startDate == start)
        #expect(trial.endDate == Self.day("2027-03-28"))
    }

    @Test func eligibilityFollowsTheExcludingAnswers() throws {
        let study = try StudyDesign.validated(Self.fields, today: Self.today)
        #expect(study.isEligible(answers: [true, false]))
        #expect(!study.isEligible(answers: [false, false]))  // under 18
        #expect(!study.isEligible(answers: [true, true]))  // kidney disease
        #expect(!study.isEligible(answers: [true, nil]))  // unanswered
        #expect(!study.isEligible(answers: [true]))
    }

    @Test(arguments: [
        (
            ["template": "", "arms": "Magnesium cream, Oral magnesium"], "arms",
            "a study needs a comparator arm first, such as placebo cream or no cream"
        ),
        (["template": "", "arms": "Magnesium cream, Placebo cream"], "arms", "put the comparator (Placebo cream) first"),
        (["washout_days": "14"], "washout_days", "the washout must be shorter than the period (14 days), or no day is analysed"),
        (["enrolment_closes": "2026-12-06"], "enrolment_closes", "the enrolment window ends before it opens (2026-12-07)"),
        (["enrolment_opens": "2026-11-30"], "enrolment_opens", "cannot be in the past (today is 2026-12-01)"),
        (["enrolment_opens": "next week"], "enrolment_opens", CalendarDate.requirement),
        (
            ["screening": "Do you have kidney disease?"], "screening",
            "line 1: start with the answer that excludes, then the question (\"yes: Do you have kidney disease?\")"
        ),
        (["secondary_outcomes": "pain"], "secondary_outcomes", "pain is already the primary outcome"),
        (
            ["secondary_outcomes": "mood"], "secondary_outcomes",
            "unknown outcome \"mood\" (use pain, spasms, stiffness, enjoyment, activity)"
        ),
        (["target_participants": "1"], "target_participants", "must be a whole number from 2 to 10000"),
        (["consent_text": "  "], "consent_text", "write the consent text"),
        (["title": ""], "title", "write the study's title"),
    ])
    func badFieldsAreNamed(changes: [String: String], field: String, message: String) {
        let fields = Self.fields.merging(changes) { $1 }
        #expect(throws: FieldErrors.self) { try StudyDesign.validated(fields, today: Self.today) }
        do {
            _ = try StudyDesign.validated(fields, today: Self.today)
        } catch {
            #expect(error[field] == message, "\(error)")
        }
    }

    @Test func registrationFreezesTheProtocolUnderItsHash() throws {
        let study = try StudyDesign.validated(Self.fields, today: Self.today)
        let registered = StudyProtocol(design: study, registeredOn: Self.today)
        #expect(registered.sha256 == Digest.sha256Hex(registered.json) && registered.sha256.count == 64)
        #expect(StudyProtocol(design: study, registeredOn: Self.today) == registered)  // canonical: the same bytes again
        let document = try #require(try JSONSerialization.jsonObject(with: Data(registered.json.utf8)) as? [String: Any])
        #expect(document["format"] as? String == "epsom-study-protocol/1" && document["amendment"] as? Int == 0)
        #expect(document["consent_sha256"] as? String == StudyProtocol.consentHash(study))
        #expect(document["reason"] == nil && document["previous_sha256"] == nil)
        let design = try #require(document["design"] as? [String: Any])
        #expect(design["information_sheet"] as? String == study.informationSheet && design["seed"] == nil)

        // A new consent text is a new consent version and a new protocol.
        var changed = study
        changed.consentText += " My data may be kept if I leave."
        #expect(StudyProtocol.consentHash(changed) != StudyProtocol.consentHash(study))
        let reason = try StudyProtocol.Amendment.validatedReason("  Participants may now keep their data in the study when they leave. ")
        let amended = StudyProtocol(
            design: changed, registeredOn: Self.today,
            amendment: .init(number: 1, date: Self.day("2027-01-10"), reason: reason, previousSha256: registered.sha256))
        let amendedDocument = try #require(try JSONSerialization.jsonObject(with: Data(amended.json.utf8)) as? [String: Any])
        #expect(amendedDocument["previous_sha256"] as? String == registered.sha256 && amendedDocument["amendment"] as? Int == 1)
        #expect(amendedDocument["reason"] as? String == "Participants may now keep their data in the study when they leave.")
        #expect(amended.sha256 != registered.sha256)
        #expect(throws: FieldErrors.self) { try StudyProtocol.Amendment.validatedReason("   ") }
    }
    @Test func participantCodesReadBackAndSafetyStopsAreKnownByTheirReason() {
        #expect(Enrolment.participantNumber(code: "P-007") == 7)
        #expect(Enrolment.participantNumber(code: "P-1234") == 1234)
        for bad in ["P-7", "P-000", "p-007", "P-00x", "", "P-", "007"] { #expect(Enrolment.participantNumber(code: bad) == nil, "\(bad)") }
        #expect(TrialSafety.isSafetyStop(reason: TrialSafety.kidneyReason))
        #expect(TrialSafety.isSafetyStop(reason: TrialSafety.severeSideEffectReason(on: CalendarDate(iso: "2026-03-15")!)))
        #expect(!TrialSafety.isSafetyStop(reason: "Left the study."))
        #expect(!TrialSafety.isSafetyStop(reason: "I had a severe side effect was reported on holiday"))
        #expect(!TrialSafety.isSafetyStop(reason: nil))
        #expect(throws: FieldErrors.self) { try StudyUnblinding.validatedReason("  short  ") }
        #expect((try? StudyUnblinding.validatedReason(" A reason long enough. ")) == "A reason long enough.")
    }
}
