import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import EpsomWeb

/// A closed study published into the evidence pages by its investigator: the form checks every
/// field and keeps what was typed; the card everybody reads carries the stored analysis's numbers,
/// "not peer reviewed", the registration and (for the demo) "synthetic"; the workbench lists it;
/// withdrawing the publication takes it out at once; nobody else can publish it.
@Suite struct StudyPublicationPageTests {
    @Test func theInvestigatorPublishesTheDemoStudyAndEveryoneReadsIt() async throws {
        let test = try await TestApp.make()
        let store = test.database.store
        try await test.run { client in
            let login = try #require(try await DemoStudySeed.seed(in: store, today: TestApp.today, bcryptCost: 4))
            let investigator = Browser(client)
            try await investigator.signIn(login.investigator, password: login.password)
            let list = try await investigator.request(.get, "/studies").body
            let location = try #require(try PageText.attributes("href", in: list).first { $0.hasPrefix("/studies/") && $0 != "/studies" })
            let page = try await investigator.request(.get, location).body
            #expect(StudyBlindingTests.text(page).contains("Publishing the result Not published."))
            let csrf = Browser.csrf(in: page)

            // Missing dose and no confirmation: the form again, with both messages and what was typed.
            let refused = try await investigator.request(
                .post, location + "/publish",
                form: [
                    "csrf": csrf, "condition_group": "chronic low back pain", "route": "transdermal", "salt": "MgCl2 flakes", "dose": "",
                    "arm": "Magnesium cream",
                ])
            #expect(refused.status == .unprocessableContent)
            let refusedText = StudyBlindingTests.text(refused.body)
            #expect(refusedText.contains("say the dose of magnesium each participant used"))
            #expect(refusedText.contains("tick the box to confirm that this result may be shown to everyone"))
            #expect(refused.body.contains("value=\"MgCl2 flakes\""))
            let badGroup = try await investigator.request(
                .post, location + "/publish",
                form: [
                    "csrf": csrf, "condition_group": "backache", "route": "transdermal", "dose": "2 g", "arm": "Magnesium cream",
                    "confirm": "yes",
                ])
            #expect(badGroup.status == .unprocessableContent)
            #expect(StudyBlindingTests.text(badGroup.body).contains("choose one of the catalogue's condition groups"))
            #expect(try await store.studyPublications().isEmpty)

            // Someone else's publish or withdrawal changes nothing.
            let other = try await Browser.signedUp(client, "other-dr@example.org", role: "clinician")
            let otherCSRF = Browser.csrf(in: try await other.request(.get, "/account").body)
            let form = [
                "condition_group": "chronic low back pain", "route": "transdermal", "salt": "magnesium chloride",
                "dose": "2 g of 20% cream a day", "arm": "Magnesium cream", "confirm": "yes",
            ]
            #expect(
                try await other.request(.post, location + "/publish", form: form.merging(["csrf": otherCSRF]) { $1 }).status == .notFound)
            #expect(try await store.studyPublications().isEmpty)

            #expect(
                try await investigator.request(.post, location + "/publish", form: form.merging(["csrf": csrf]) { $1 }).status == .seeOther)
            let publication = try #require(try await store.studyPublications().first)
            let investigatorID = try #require(try await store.account(email: login.investigator)).id
            let stored = try #require(try await store.studyResults(studyID: publication.studyID, investigatorID: investigatorID))
            let results = try StudyResults.decoded(stored.json)
            let pooled = try #require(results.pooled.first)
            #expect(publication.muMean == pooled.muMean && publication.muSd == pooled.muSd && publication.synthetic)
            // The investigator's account export says when it was published ("every export complete").
            let export = try JSONDocument(try await investigator.request(.get, "/api/v1/export").body)
            #expect(export.value["studies_run"]?[0]?["published_on"]?.string == TestApp.today.description)

            // The catalogue, to anyone: the card in words, with the stored numbers and the registration.
            let visitor = Browser(client)
            let evidence = try await visitor.request(.get, "/evidence")
            let text = StudyBlindingTests.text(evidence.body)
            let f = { (x: Double?) in NumberFormatting.fixed(x ?? .nan, 2) }
            #expect(text.contains("Epsom series of N-of-1 trials (not peer reviewed)"))
            #expect(
                text.contains(
                    "Epsom series: \(DemoStudy.title) (\(publication.closedOn.year)) · chronic low back pain not peer reviewed synthetic demo data"
                ))
            #expect(text.contains("Series of randomised N-of-1 trials, blinded (coded jars) · Transdermal (magnesium chloride)"))
            #expect(text.contains("\(pooled.k) analysed of 20 enrolled"))
            #expect(
                text.contains(
                    "Average effect of Magnesium cream against Placebo cream, μ = \(f(pooled.muMean)) points (95% interval \(f(pooled.muCiLower)) to \(f(pooled.muCiUpper)); posterior SD \(f(pooled.muSd)))"
                ))
            #expect(text.contains("The participants are synthetic: this is Epsom's demo study, not evidence."))
            #expect(text.contains("; 1 of 1 Epsom series."))
            let links = try PageText.attributes("href", in: evidence.body)
            #expect(links.contains("/registry/\(publication.registryCode)"))
            #expect(try await visitor.request(.get, "/registry/\(publication.registryCode)").status == .ok)
            #expect(!text.contains("NaN") && !text.contains("Demo Participant"))
            // "p<0.05" is the catalogue's text; a "<" before a letter or "/" is markup shown as text.
            for context in text.components(separatedBy: "<").dropFirst() where context.first.map({ $0.isLetter || $0 == "/" }) == true {
                Issue.record("markup shown: <\(context.prefix(40))")
            }
            // Filters: only the series by design; none by another route or by a risk-of-bias judgement.
            let seriesOnly = StudyBlindingTests.text(try await visitor.request(.get, "/evidence?design=epsom-series").body)
            #expect(seriesOnly.contains("0 of ") && seriesOnly.contains("1 of 1 Epsom series"))
            let oral = StudyBlindingTests.text(try await visitor.request(.get, "/evidence?route=oral").body)
            #expect(oral.contains("0 of 1 Epsom series") && oral.contains("None matches the filters."))
            #expect(StudyBlindingTests.text(try await visitor.request(.get, "/evidence?risk=low").body).contains("0 of 1 Epsom series"))

            // The workbench: alone in its condition group and measure, it is listed as left out, with the reason.
            let workbench = StudyBlindingTests.text(try await visitor.request(.get, "/evidence/workbench").body)
            #expect(workbench.contains("1 Epsom series) and why"))
            #expect(
                workbench.contains(
                    "(Epsom series, chronic low back pain): no other study in chronic low back pain reports this outcome measure"))

            // The investigator's page shows the card as published, and withdrawing it takes it out everywhere.
            let published = StudyBlindingTests.text(try await investigator.request(.get, location).body)
            #expect(published.contains("Published on \(TestApp.today.description)"))
            #expect(try await other.request(.post, location + "/unpublish", form: ["csrf": otherCSRF]).status == .notFound)
            #expect(try await store.studyPublications().count == 1)
            #expect(try await investigator.request(.post, location + "/unpublish", form: ["csrf": csrf]).status == .seeOther)
            #expect(try await store.studyPublications().isEmpty)
            let after = StudyBlindingTests.text(try await visitor.request(.get, "/evidence").body)
            #expect(!after.contains("Epsom series: ") && !after.contains("Epsom series of N-of-1 trials (not peer reviewed) Studies run"))
        }
    }

    /// The same through the API: field errors by key, the publication's numbers, the public
    /// list, and the withdrawal.
    @Test func theAPIPublishesListsAndWithdraws() async throws {
        let test = try await TestApp.make()
        let store = test.database.store
        try await test.run { client in
            let login = try #require(try await DemoStudySeed.seed(in: store, today: TestApp.today, bcryptCost: 4))
            let session = try await client.call(
                .post, "/api/v1/sessions", json: #"{"email":"\#(login.investigator)","password":"\#(login.password)"}"#)
            let token = try decodeJSON(API.Session.self, from: session.body).token
            let studies = try JSONDocument(try await client.call(.get, "/api/v1/studies", token: token).body)
            let id = try #require(studies.value["studies"]?[0]?["id"]?.string)
            let path = "/api/v1/studies/\(id)/publication"
            #expect(try await client.call(.get, path, token: token).status == .notFound)

            let bad = try await client.call(
                .put, path, token: token, json: #"{"condition_group":"backache","route":"transdermal","dose":"","arm":"Magnesium cream"}"#)
            #expect(bad.status == .unprocessableContent)
            let fields = try JSONDocument(bad.body).value["error"]?["fields"]
            #expect(fields?["condition_group"]?.string != nil && fields?["dose"]?.string != nil, "\(bad.body)")
            #expect(try await store.studyPublications().isEmpty)

            let body =
                #"{"condition_group":"chronic low back pain","route":"transdermal","salt":"magnesium chloride","dose":"2 g a day","arm":"Magnesium cream"}"#
            let published = try await client.call(.put, path, token: token, json: body)
            #expect(published.status == .ok, "\(published.body)")
            let publication = try JSONDocument(published.body)
            let stored = try #require(try await store.studyPublications().first)
            #expect(publication.value["mu_sd"] == .number(stored.muSd) && publication.value["mu_mean"] == .number(stored.muMean))
            #expect(publication.value["peer_reviewed"] == .bool(false) && publication.value["synthetic"] == .bool(true))
            #expect(publication.value["outcome_measure"]?.string == "pain NRS 0-10")
            #expect(try await client.call(.get, path, token: token).status == .ok)

            // Public: anyone reads the list, as on /evidence.
            let list = try JSONDocument(try await client.call(.get, "/api/v1/evidence/series").body)
            #expect(list.value["series"]?.count == 1 && list.value["series"]?[0]?["study_id"]?.string == id)

            // A participant withdraws their data after the close: the analysis stands, and says so.
            #expect(list.value["series"]?[0]?["later_data_withdrawals"] == .number(0))
            let participant = try await client.call(
                .post, "/api/v1/sessions",
                json: #"{"email":"\#(DemoStudySeed.participantEmail(1))","password":"\#(login.password)"}"#)
            let participantToken = try decodeJSON(API.Session.self, from: participant.body).token
            let withdrawal = try await client.call(
                .post, "/api/v1/join/\(stored.registryCode)/withdrawal", token: participantToken, json: #"{"data":"erase"}"#)
            #expect(withdrawal.status == .ok, "\(withdrawal.body)")
            let after = try JSONDocument(try await client.call(.get, "/api/v1/evidence/series").body)
            #expect(after.value["series"]?[0]?["later_data_withdrawals"] == .number(1))
            #expect(after.value["series"]?[0]?["mu_mean"] == .number(stored.muMean))
            let card = StudyBlindingTests.text(try await Browser(client).request(.get, "/evidence").body)
            #expect(card.contains("1 participant withdrew their data after this analysis was made. It stands as made at the close"))

            #expect(try await client.call(.delete, path, token: token).status == .noContent)
            #expect(try JSONDocument(try await client.call(.get, "/api/v1/evidence/series").body).value["series"]?.count == 0)
            #expect(try await client.call(.get, path, token: token).status == .notFound)
        }
    }

    /// A pool that holds a series is analysed as mean differences, and says so in words.
    @Test func aPoolWithASeriesReadsAsAMeanDifference() throws {
        // As the store keeps it (the type's JSON).
        let series = try JSONDecoder().decode(
            StudyPublication.self,
            from: Data(
                """
                {"studyID": "s", "title": "Cream for back pain", "condition": "back pain", "conditionGroup": "g",
                 "route": "transdermal", "salt": "", "dose": "2 g", "arm": "Magnesium cream", "reference": "Placebo cream",
                 "outcome": "pain", "blinded": true, "durationWeeks": 12, "enrolled": 30, "analysed": 28, "muMean": -0.8,
                 "muSd": 0.3, "muCiLower": -1.4, "muCiUpper": -0.2, "tauMedian": 0.7, "piLower": -2.3, "piUpper": 0.7, "mcid": 1,
                 "tauPrior": "half-normal:2", "registryCode": "c", "protocolSha256": "h", "registeredOn": "2026-01-01",
                 "closedOn": "2026-06-01", "publishedOn": "2026-06-02", "synthetic": false}
                """.utf8))
        let row = EvidenceStudy(
            id: "a", study: "a", firstAuthor: "A", year: 2020, doiOrPMID: nil, condition: "g", conditionGroup: "g", scope: .chronic,
            route: "oral", routeGroup: .oral, design: .rctParallel, salt: "", dose: "", durationWeeks: 8, participantsMagnesium: 20,
            participantsControl: 20, comparator: "placebo", outcomeMeasure: "pain NRS 0-10", resultSummary: "s", meanMagnesium: 3,
            sdMagnesium: 1, meanControl: 4, sdControl: 1.2, timepoint: "", riskOfBias: [:], sourceURL: "https://example.org",
            sourceLocation: "abstract", verified: true)
        let pool = try #require(WorkbenchInput.plan([row], series: [series]).pools.first)
        let outcome = WorkbenchPage.compute(
            text: WorkbenchInput.csv(pool), measure: .standardizedMeanDifference, options: .init(), pool: pool, format: "html",
            limits: WorkbenchLimits.of(nil), signedIn: false)
        guard case .page(let html) = outcome else {
            Issue.record("no page: \(outcome)")
            return
        }
        let text = StudyBlindingTests.text(html.text)
        #expect(text.contains("Pool: g: pain NRS 0-10, 2 studies."))
        #expect(text.contains("The pooled mean difference (group 1 minus group 2, in the outcome's units) is"))
        #expect(text.contains("it is analysed as mean differences (magnesium minus comparator, in the outcome's points), not as SMD"))
        #expect(text.contains("On this measure lower is better"))
        // The card's words for an interference score: lower interference is the benefit.
        var activity = series
        activity.outcome = .activity
        let card = StudyBlindingTests.text(EvidencePage.seriesCard(activity).text)
        #expect(card.contains("entirely on the side of benefit (less pain's interference with general activity)"))
        #expect(card.contains("Outcome: Pain's interference with general activity (0–10), daily diary; lower is better."))
    }
}
