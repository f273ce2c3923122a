/// The documented JSON of the API (docs/API and /openapi.json), as far as the tests read it.
/// Decoding into these types fails a test cleanly where a cast would crash the runner.
enum API {
    /// Any JSON value, when only its presence or count matters.
    struct Anything: Decodable { init(from decoder: any Decoder) throws {} }

    struct Failure: Decodable {
        struct Body: Decodable { var fields: [String: String]? }
        var error: Body
    }
    struct Session: Decodable { var token: String }
    struct DiaryEntry: Decodable { var date: String?; var pain: Int?; var sideEffects: [String]? }
    struct DiaryList: Decodable { var entries: [DiaryEntry]; var nextCursor: String? }
    struct Warning: Decodable { var code: String; var source: String; var message: String }
    struct Intake: Decodable {
        var supplementalElementalMg: Double
        var transdermalElementalMg: Double
        var warnings: [Warning]
    }
    struct Dose: Decodable { var id: String; var site: String? }
    struct DoseList: Decodable { var doses: [Dose]; var nextCursor: String? }
    struct Imported: Decodable { var imported: Int }
    struct Identified: Decodable { var id: String }
    struct ExportedTrial: Decodable { var trial: Identified; var days: [Anything] }
    struct Export: Decodable {
        var account: Identified
        var diary: [Anything]
        var doses: [Anything]?
        var products: [Anything]?
        var trials: [ExportedTrial]?
    }
    struct OpenAPI: Decodable { var openapi: String; var paths: [String: [String: Anything]] }

    struct Amendment: Decodable { var change: String; var protocolSha256: String }
    struct Trial: Decodable {
        var id: String
        var arms: [String]?
        var seed: String?
        var protocolJson: String?
        var protocolSha256: String?
        var status: String
        var stoppedOn: String?
        var stopReason: String?
        var cycles: Int?
        var amendments: [Amendment]?
    }
    struct Period: Decodable { var startDate: String; var washoutDays: Int; var arm: String }
    struct TrialList: Decodable { var trials: [Trial]; var nextCursor: String? }
    struct Schedule: Decodable { var concealed: Bool; var periods: [Period] }
    struct Contrast: Decodable { var arm: String; var mean: Double }
    struct AnalysisPart: Decodable { var n: Int; var contrasts: [Contrast] }
    struct Analysis: Decodable { var interim: Bool; var intentionToTreat: AnalysisPart; var perProtocol: AnalysisPart? }
    struct DayAnswer: Decodable { var trialStopped: Bool; var message: String? }
    struct FHIRBundle: Decodable { var resourceType: String; var entry: [Anything] }
    struct Workbench: Decodable { var estimate, tau2: Double; var leaveOneOut: [Anything]? }
}
