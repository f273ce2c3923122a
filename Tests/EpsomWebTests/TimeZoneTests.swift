import EpsomCore
import EpsomStorage
import EpsomTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import EpsomWeb

/// Issue 13: timestamps as clients send them (RFC 3339), answered in RFC 3339, and a dose in the
/// local day, on the account's clock, on which it was taken.
@Suite struct TimeZoneTests {
    struct Dose: Decodable { var id: String; var takenAt: String; var localDate: String }
    struct Doses: Decodable { var doses: [Dose] }
    struct Intake: Decodable { var date: String; var supplementalElementalMg: Double }
    struct Created: Decodable { var timeZone: String }

    /// Signs up (with a time zone when given) and returns a bearer token.
    static func signUp(_ client: any TestClientProtocol, _ email: String, zone: String? = nil) async throws -> String {
        let zoneField = zone.map { #","time_zone":"\#($0)""# } ?? ""
        let created = try await client.call(
            .post, "/api/v1/accounts",
            json: #"{"email":"\#(email)","password":"correct horse battery","name":"Pat"\#(zoneField)}"#)
        #expect(created.status == .created, "\(created.body)")
        #expect(try decodeJSON(Created.self, from: created.body).timeZone == zone ?? "UTC")
        let session = try await client.call(.post, "/api/v1/sessions", json: #"{"email":"\#(email)","password":"correct horse battery"}"#)
        return try decodeJSON(API.Session.self, from: session.body).token
    }

    static func post(_ client: any TestClientProtocol, _ token: String, _ time: String) async throws -> (
        status: HTTPResponse.Status, body: String
    ) {
        let r = try await client.call(
            .post, "/api/v1/doses", token: token,
            json: #"{"taken_at":"\#(time)","product":"Oxide","route":"oral","salt":"oxide","amount":400,"unit":"mg"}"#)
        return (r.status, r.body)
    }

    @Test func rfc3339ZuluIsAcceptedAndAnsweredInRFC3339() async throws {
        try await TestApp.make().run { client in
            let token = try await Self.signUp(client, "pat@example.org")
            let created = try await Self.post(client, token, "2026-11-07T08:00:00Z")
            #expect(created.status == .created, "\(created.body)")
            let dose = try decodeJSON(Dose.self, from: created.body)
            #expect(dose.takenAt == "2026-11-07T08:00:00Z" && dose.localDate == "2026-11-07")
            // Fractions and offsets, as JavaScript's and Go's clients write them.
            let js = try decodeJSON(Dose.self, from: try await Self.post(client, token, "2026-11-07T09:30:00.123+01:00").body)
            #expect(js.takenAt == "2026-11-07T08:30:00Z")
            let listed = try decodeJSON(
                Doses.self, from: try await client.call(.get, "/api/v1/doses?from=2026-11-07&to=2026-11-07", token: token).body)
            #expect(listed.doses.map(\.takenAt) == ["2026-11-07T08:00:00Z", "2026-11-07T08:30:00Z"])
        }
    }

    @Test func theLocalDayFollowsTheAccountsZone() async throws {
        try await TestApp.make().run { client in
            let ny = try await Self.signUp(client, "ny@example.org", zone: "America/New_York")
            let london = try await Self.signUp(client, "london@example.org", zone: "Europe/London")
            let late = "2026-11-07T23:30:00-05:00"
            let inNY = try decodeJSON(Dose.self, from: try await Self.post(client, ny, late).body)
            #expect(inNY.takenAt == late && inNY.localDate == "2026-11-07")
            let inLondon = try decodeJSON(Dose.self, from: try await Self.post(client, london, late).body)
            #expect(inLondon.takenAt == "2026-11-08T04:30:00Z" && inLondon.localDate == "2026-11-08")
            // Zulu in New York is shown on New York's clock.
            let zulu = try decodeJSON(Dose.self, from: try await Self.post(client, ny, "2026-11-07T08:00:00Z").body)
            #expect(zulu.takenAt == "2026-11-07T03:00:00-05:00" && zulu.localDate == "2026-11-07")
            // Local time without an offset is the account's clock.
            let local = try decodeJSON(Dose.self, from: try await Self.post(client, ny, "2026-07-01T08:00").body)
            #expect(local.takenAt == "2026-07-01T08:00:00-04:00")

            // The intake and the dose list count it in its local day.
            func intake(_ token: String, _ date: String) async throws -> Double {
                try decodeJSON(Intake.self, from: try await client.call(.get, "/api/v1/intake?date=\(date)", token: token).body)
                    .supplementalElementalMg
            }
            let london8 = try await intake(london, "2026-11-08"), london7 = try await intake(london, "2026-11-07")
            #expect(london8 > 0 && london7 == 0)
            expectClose(try await intake(ny, "2026-11-07"), 2 * 241.2, absolute: 1e-9, "both New York doses on the 7th")
            let londonDays = try decodeJSON(
                Doses.self,
                from: try await client.call(
                    .get, "/api/v1/doses?from=2026-11-08&to=2026-11-08",
                    token: london
                ).body)
            #expect(londonDays.doses.map(\.localDate) == ["2026-11-08"])
        }
    }

    @Test func nonsenseTimesAndZonesAreRefusedNamingTheField() async throws {
        try await TestApp.make().run { client in
            let token = try await Self.signUp(client, "pat@example.org")
            for bad in ["2026-13-07T08:00:00Z", "2026-11-07T08:00:00+25:00", "2026-11-07T25:00", "7 Nov 2026"] {
                let r = try await Self.post(client, token, bad)
                #expect(r.status == .unprocessableContent, "\(bad)")
                let fields = try #require(try decodeJSON(API.Failure.self, from: r.body).error.fields)
                #expect(fields["taken_at"]?.contains("e.g. 2026-11-07T08:00:00Z") == true, "\(bad): \(fields)")
            }
            let zone = try await client.call(
                .post, "/api/v1/accounts",
                json: #"{"email":"mars@example.org","password":"correct horse battery","name":"M","time_zone":"Mars/Olympus_Mons"}"#)
            #expect(zone.status == .unprocessableContent)
            #expect(try decodeJSON(API.Failure.self, from: zone.body).error.fields?["time_zone"]?.contains("Europe/London") == true)
        }
    }

    @Test func csvImportTakesRFC3339AndTheExportComesBackExactly() async throws {
        try await TestApp.make().run { client in
            let ny = try await Self.signUp(client, "ny@example.org", zone: "America/New_York")
            let csv = """
                taken_at,product,route,salt,amount,unit
                2026-11-07T23:30:00-05:00,Oxide,oral,oxide,400,mg
                2026-11-08T04:30:15Z,Oxide,oral,oxide,400,mg
                2026-11-08T08:00,Oxide,oral,oxide,400,mg

                """
            let imported = try await client.call(.post, "/api/v1/import/doses", token: ny, body: csv)
            #expect(imported.status == .ok || imported.status == .created, "\(imported.body)")
            let exported = try await client.call(.get, "/api/v1/export/doses.csv?from=2026-11-01&to=2026-11-30", token: ny).body
            #expect(
                exported == """
                    taken_at,product,route,salt,amount,unit,elemental_mg,site,utc_offset
                    2026-11-07T23:30,Oxide,oral,oxide,400,mg,241.2,,-05:00
                    2026-11-07T23:30:15,Oxide,oral,oxide,400,mg,241.2,,-05:00
                    2026-11-08T08:00,Oxide,oral,oxide,400,mg,241.2,,-05:00

                    """)
            // Into an account on another clock: the same instants, with the offsets recorded.
            let london = try await Self.signUp(client, "london@example.org", zone: "Europe/London")
            #expect(try await client.call(.post, "/api/v1/import/doses", token: london, body: exported).status.code < 300)
            func times(_ token: String) async throws -> [String] {
                try decodeJSON(
                    Doses.self, from: try await client.call(.get, "/api/v1/doses?from=2026-11-01&to=2026-11-30", token: token).body
                )
                .doses.map(\.takenAt)
            }
            let londonTimes = try await times(london), nyTimes = try await times(ny)
            #expect(londonTimes == nyTimes)
            #expect(nyTimes == ["2026-11-07T23:30:00-05:00", "2026-11-07T23:30:15-05:00", "2026-11-08T08:00:00-05:00"])
            let wrong = try await client.call(
                .post, "/api/v1/import/doses", token: ny,
                body: "taken_at,product,route,salt,amount,unit,utc_offset\n2026-11-07T08:00,O,oral,oxide,1,mg,+25:00\n")
            #expect(wrong.status == .unprocessableContent && wrong.body.contains("utc_offset"))
        }
    }

    @Test func theSignUpFormTakesAZone() async throws {
        try await TestApp.make().run { client in
            let b = Browser(client)
            let page = try await b.request(.get, "/signup").body
            #expect(page.contains("id=\"time_zone\""))
            var form = [
                "csrf": Browser.csrf(in: page), "name": "Pat", "email": "pat@example.org",
                "password": "correct horse battery", "role": "patient", "time_zone": "Middle/Earth",
            ]
            let refused = try await b.request(.post, "/signup", form: form)
            #expect(refused.status == .unprocessableContent && refused.body.contains("id=\"time_zone-error\""))
            #expect(refused.body.contains("value=\"Middle/Earth\""))  // kept for correcting
            form["time_zone"] = " Europe/Paris "
            form["csrf"] = Browser.csrf(in: refused.body)
            let done = try await b.request(.post, "/signup", form: form)
            #expect(done.location == "/", "\(done.status) \(done.body)")
            #expect(try await b.request(.get, "/account").body.contains("value=\"Europe/Paris\""))
        }
    }

    @Test func formsKeepLocalTimeAndTheAccountPageSetsTheZone() async throws {
        try await TestApp.make().run { client in
            let b = try await Browser.signedUp(client, "pat@example.org")
            let account = try await b.request(.get, "/account").body
            #expect(account.contains("id=\"time_zone\"") && account.contains("value=\"UTC\""))
            let refused = try await b.request(
                .post, "/account/time-zone", form: ["csrf": Browser.csrf(in: account), "time_zone": "Atlantis/Lost"])
            #expect(refused.status == .unprocessableContent && refused.body.contains("id=\"time_zone-error\""))
            let saved = try await b.request(
                .post, "/account/time-zone", form: ["csrf": Browser.csrf(in: account), "time_zone": "Asia/Kolkata"])
            #expect(saved.status == .seeOther)
            #expect(try await b.request(.get, "/account").body.contains("value=\"Asia/Kolkata\""))

            let page = try await b.request(.get, "/doses").body
            let logged = try await b.request(
                .post, "/doses",
                form: [
                    "csrf": Browser.csrf(in: page), "taken_at": "2026-03-15T08:00",
                    "product": "Oxide", "route": "oral", "salt": "oxide", "amount": "400", "unit": "mg", "elemental_mg": "",
                ])
            #expect(logged.status == .seeOther, "\(logged.body)")
            let session = try await client.call(
                .post, "/api/v1/sessions", json: #"{"email":"pat@example.org","password":"correct horse battery"}"#)
            let token = try decodeJSON(API.Session.self, from: session.body).token
            let doses = try decodeJSON(
                Doses.self, from: try await client.call(.get, "/api/v1/doses?from=2026-03-15&to=2026-03-15", token: token).body)
            #expect(doses.doses.map(\.takenAt) == ["2026-03-15T08:00:00+05:30"])
        }
    }
}
