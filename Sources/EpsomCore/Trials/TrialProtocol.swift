import Foundation

/// The frozen protocol of a trial: everything decided before the first day (arms, schedule,
/// allocation, outcome, analysis, MCID) as canonical JSON, and its SHA-256.
///
/// The JSON text itself is stored, so the hash can be checked with any tool (`sha256sum`). For
/// a blinded trial the JSON contains the seed and the jar allocation: the server shows only the
/// hash until the trial ends, then the JSON, so the participant can check that the allocation
/// was fixed in advance.
public struct TrialProtocol: Sendable, Equatable {
    public var json: String
    public var sha256: String

    public init(design: TrialDesign, schedule: TrialSchedule, registeredOn: CalendarDate, amendment: Int = 0) {
        let document = Document(
            format: "epsom-trial-protocol/1", amendment: amendment, registeredOn: registeredOn, title: design.title,
            arms: design.arms.enumerated().map { index, arm in
                .init(
                    name: arm.name, instruction: arm.instruction, comparator: index == 0,
                    jar: design.blinded ? schedule.jarLabel(arm: index) : nil)
            },
            periodDays: design.periodDays, cycles: design.cycles, washoutDays: design.washoutDays,
            startDate: design.startDate, endDate: design.endDate, outcome: design.outcome.rawValue,
            mcid: design.mcid, blinded: design.blinded,
            randomisation: Self.randomisation, seed: String(design.seed),
            schedule: schedule.periods.map {
                .init(
                    cycle: $0.cycle, arm: design.arms[$0.arm].name, startDate: $0.startDate, endDate: $0.endDate,
                    washoutDays: $0.washoutDays)
            },
            analysis: Self.analysis)
        let data = (try? WireJSON.encoder().encode(document)) ?? Data()
        json = String(decoding: data, as: UTF8.self)
        sha256 = Self.hash(json)
    }

    /// A protocol as stored.
    public init(json: String, sha256: String) {
        self.json = json
        self.sha256 = sha256
    }

    public static func hash(_ text: String) -> String {
        Digest.sha256Hex(text)
    }

    public static let randomisation =
        "SplitMix64(seed); jar letters shuffled over the arms, then the arms shuffled "
        + "within every cycle (Fisher-Yates, rejection sampling); Epsom methods, section 5"
    public static let analysis =
        "Primary: intention-to-treat (days as scheduled), Bayesian linear model with AR(1) "
        + "errors over days, flat priors on the arm effects, rho ~ U(-1, 1), washout days excluded "
        + "(Epsom methods, section 3). Secondary: per-protocol (only days the instruction was followed). "
        + "Reported: posterior mean, 95% interval, P(benefit), P(benefit >= MCID)."

    struct Document: Encodable {
        struct Arm: Encodable {
            var name, instruction: String
            var comparator: Bool
            var jar: String?
        }
        struct Period: Encodable {
            var cycle: Int
            var arm: String
            var startDate, endDate: CalendarDate
            var washoutDays: Int
        }
        var format: String
        var amendment: Int
        var registeredOn: CalendarDate
        var title: String
        var arms: [Arm]
        var periodDays, cycles, washoutDays: Int
        var startDate, endDate: CalendarDate
        var outcome: String
        var mcid: Double
        var blinded: Bool
        var randomisation, seed: String
        var schedule: [Period]
        var analysis: String
    }
}
