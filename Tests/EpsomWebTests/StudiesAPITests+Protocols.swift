import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// Protocols the API refuses, naming the field, and what time does to a study (a passed opening
/// day, a closed window).
extension StudiesAPITests {
    /// Protocols the form refuses, and the field each names.
    enum BadProtocol: CaseIterable, Sendable {
        case noComparator, comparatorNotFirst, washoutAsLongAsAPeriod, windowEndsBeforeItOpens, opensInThePast, noTitle
        case questionOnTwoLines

        var change: [String: Any?] {
            switch self {
            case .noComparator: ["template": nil, "arms": ["Magnesium cream", "Magnesium oil"]]
            case .comparatorNotFirst: ["template": nil, "arms": ["Magnesium cream", "Placebo cream"]]
            case .washoutAsLongAsAPeriod: ["period_days": 7, "washout_days": 7]
            case .windowEndsBeforeItOpens: ["enrolment_closes": "2026-03-01"]
            case .opensInThePast: ["enrolment_opens": "2026-03-01"]
            case .noTitle: ["title": nil]
            case .questionOnTwoLines: ["screening": [["text": "Are you 18?\nOr older?", "excluding_answer": false]]]
            }
        }

        var field: String {
            switch self {
            case .noComparator, .comparatorNotFirst: "arms"
            case .washoutAsLongAsAPeriod: "washout_days"
            case .windowEndsBeforeItOpens: "enrolment_closes"
            case .opensInThePast: "enrolment_opens"
            case .noTitle: "title"
            case .questionOnTwoLines: "screening"
            }
        }

        var message: String {
            switch self {
            case .noComparator: "a study needs a comparator arm first"
            case .comparatorNotFirst: "put the comparator (Placebo cream) first"
            case .washoutAsLongAsAPeriod: "the washout must be shorter than the period"
            case .windowEndsBeforeItOpens: "the enrolment window ends before it opens (2026-03-20)"
            case .opensInThePast: "cannot be in the past"
            case .noTitle: "write the study's title"
            case .questionOnTwoLines: "line 1: a question is one line of text"
            }
        }
    }

    @Test(arguments: BadProtocol.allCases)
    func anImpossibleProtocolIsRefusedNamingTheField(_ bad: BadProtocol) async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let doctor = try await client.signUp("dr@example.org", role: "clinician")
            let refused = try await client.call(.post, "/api/v1/studies", token: doctor, json: try Self.studyBody(bad.change))
            let fields = try Self.fields(refused)
            #expect(fields[bad.field]?.contains(bad.message) == true, "\(fields)")
            // Nothing was written.
            let listed = try decodeJSON(API.StudyList.self, from: try await client.call(.get, "/api/v1/studies", token: doctor).body)
            #expect(listed.studies.isEmpty)
        }
    }

    /// What time can do to a study: a draft whose opening day has passed is not registered as it
    /// is, and a study whose window has closed takes no screening or enrolment.
    @Test func datesThatHavePassedAreRefused() async throws {
        let test = try await TestApp.make()
        try await test.run { client in
            let store = test.database.store
            let doctor = try await client.signUp("dr@example.org", role: "clinician")
            let doctorID = try #require(try await store.account(email: "dr@example.org")).id
            // Written a month ago, open from 2026-02-20 to 2026-03-10.
            let earlier = TestApp.today.adding(days: -30)
            var fields = StudyPageTests.form
            fields["enrolment_opens"] = "2026-02-20"
            fields["enrolment_closes"] = "2026-03-10"
            let design = try StudyDesign.validated(fields, today: earlier)
            let stale = EpsomCore.Study(id: UUID().uuidString.lowercased(), design: design)
            try await store.createStudy(stale, investigatorID: doctorID)
            let refused = try Self.fields(try await client.call(.post, "/api/v1/studies/\(stale.id)/register", token: doctor))
            #expect(refused.keys.sorted() == ["enrolment_opens"])
            #expect(try await store.study(id: stale.id, investigatorID: doctorID)?.status == .draft)

            let closed = EpsomCore.Study(id: UUID().uuidString.lowercased(), design: design)
            try await store.createStudy(closed, investigatorID: doctorID)
            try await store.registerStudy(
                id: closed.id, investigatorID: doctorID, design: design, registered: StudyProtocol(design: design, registeredOn: earlier),
                on: earlier, enrolmentCode: "closedstudy1")
            let info = try decodeJSON(API.StudyInformation.self, from: try await client.call(.get, "/api/v1/join/closedstudy1").body)
            #expect(!info.enrolling && info.closedReason == "Enrolment closed on 2026-03-10.")
            let ann = try await client.signUp("ann@example.org")
            let screening = try await client.call(
                .post, "/api/v1/join/closedstudy1/screening", token: ann, json: #"{"answers":[true,false]}"#)
            #expect(screening.status == .conflict && screening.body.contains("Enrolment closed"))
            #expect(
                try await client.call(
                    .post, "/api/v1/join/closedstudy1/enrolment", token: ann, json: Self.enrolment(code: nil, start: "2026-03-20")
                ).status == .conflict)
            #expect(try await store.screeningCounts(studyID: closed.id) == (eligible: 0, ineligible: 0))
            // A draft cannot be amended or invited to.
            #expect(
                try await client.call(.post, "/api/v1/studies/\(stale.id)/invitations", token: doctor, json: #"{"count":1}"#).status
                    == .conflict)
            #expect(
                try await client.call(
                    .post, "/api/v1/studies/\(stale.id)/amendments", token: doctor, json: try Self.amendmentBody(reason: "Why not")
                ).status == .conflict)
        }
    }
}
