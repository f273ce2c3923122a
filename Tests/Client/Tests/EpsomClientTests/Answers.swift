// The JSON the server answers, as the README and Sources/EpsomWeb/API describe it.
//
// docs/openapi.json does not give response schemas yet, so these mirror the answers by hand and
// ResponseRecorder decodes them (snake_case keys become the camelCase names below, which are the
// names swift-openapi-generator's idiomatic naming will give the generated types). When the
// document gains schemas, delete this file and read `try response.created.body.json` instead:
// the tests' assertions on the fields should carry over unchanged.

struct Account: Decodable {
    var id: String
    var email: String
    var name: String
    var role: String
    var timeZone: String
}

struct Session: Decodable {
    var token: String
    var expiresAt: Int
}

struct DiaryEntry: Decodable, Equatable {
    var date: String
    var pain: Int
    var enjoyment, activity, spasms, stiffness, sleep: Int?
    var sideEffects: [String]
    var note: String
}

struct Dose: Decodable, Equatable {
    var id: String
    var takenAt: String
    var localDate: String
    var product: String
    var route: String
    var salt: String?
    var amount: Double
    var unit: String
    var elementalMg: Double
    var elementalSource: String
    var site: String?
}

struct DoseList: Decodable {
    var from: String
    var to: String
    var doses: [Dose]
    var nextCursor: String?
}

struct Trial: Decodable {
    var id: String
    var title: String
    var status: String
    var arms: [String]
    var periodDays: Int
    var cycles: Int
    var washoutDays: Int
    var startDate: String
    var endDate: String
    var outcome: String
    var mcid: Double
    var blinded: Bool
    var protocolSha256: String
}

struct Schedule: Decodable {
    struct Period: Decodable {
        var cycle: Int
        var arm: String
        var startDate: String
        var endDate: String
        var washoutDays: Int
    }
    var trialId: String
    var concealed: Bool
    var periods: [Period]
}

/// `{"error": {"message": …, "fields": {name: problem}}}`, the answer to bad input.
struct ErrorAnswer: Decodable {
    struct Detail: Decodable {
        var message: String
        var fields: [String: String]?
    }
    var error: Detail
}
