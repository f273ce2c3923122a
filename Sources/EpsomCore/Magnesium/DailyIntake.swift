/// One day's magnesium, split by how it was taken, with the safety messages that apply.
///
/// - supplemental: by mouth, counted against the 350 mg/day upper limit for supplements and
///   medicines (IOM 1997); food is not counted and has no limit.
/// - transdermal: creams, oils, sprays and baths, shown apart because absorption through the skin
///   is uncertain (Gröber et al. 2017).
/// - parenteral: intravenous or intramuscular, given by a clinician, shown apart.
public struct DailyIntake: Sendable, Equatable {
    public static let upperLimitMilligrams = 350.0

    public var date: CalendarDate
    public var supplementalMilligrams: Double
    public var transdermalMilligrams: Double
    public var parenteralMilligrams: Double
    public var warnings: [SafetyWarning]

    public init(date: CalendarDate, doses: [Dose], profile: SafetyProfile = .init()) {
        let today = doses.filter { $0.takenAt.date == date }
        self.date = date
        supplementalMilligrams = today.filter { $0.route == .oral }.reduce(0) { $0 + $1.elementalMilligrams }
        transdermalMilligrams = today.filter { $0.route.isTransdermal }.reduce(0) { $0 + $1.elementalMilligrams }
        parenteralMilligrams = today.filter { $0.route.isParenteral }.reduce(0) { $0 + $1.elementalMilligrams }
        warnings = Self.warnings(
            today, supplemental: supplementalMilligrams, transdermal: transdermalMilligrams,
            profile: profile)
    }

    static func warnings(_ doses: [Dose], supplemental: Double, transdermal: Double, profile: SafetyProfile)
        -> [SafetyWarning]
    {
        var out: [SafetyWarning] = []
        // Shown every day, doses or not: the advice is to stop.
        if profile.kidneyDisease {
            out.append(
                SafetyWarning(
                    code: "kidney_disease",
                    message: "You told Epsom you have kidney disease. With reduced kidney function magnesium can build up in "
                        + "the blood (hypermagnesaemia): stop magnesium supplements and talk to your clinician.",
                    source: SafetySources.kidney))
        }
        if supplemental > DailyIntake.upperLimitMilligrams {
            out.append(
                SafetyWarning(
                    code: "over_upper_limit",
                    message: "Magnesium by mouth today is \(NumberFormatting.fixed(supplemental, 0)) mg, above the adult upper "
                        + "limit of 350 mg/day for magnesium from supplements and medicines (food does not count). Diarrhoea is "
                        + "usually the first sign of too much.",
                    source: SafetySources.upperLimit))
        }
        if transdermal > 0 {
            out.append(
                SafetyWarning(
                    code: "transdermal_not_counted",
                    message: "\(NumberFormatting.fixed(transdermal, 0)) mg was applied to the skin. How much of it is absorbed is "
                        + "uncertain, so it is shown apart and not counted toward the limit.",
                    source: SafetySources.transdermal))
        }
        let oral = doses.contains { $0.route == .oral }
        if oral, profile.medicines.contains(.bisphosphonate) {
            out.append(
                SafetyWarning(
                    code: "interaction_bisphosphonate",
                    message: "Bisphosphonates: take magnesium at least 3–4 hours before or after them.", source: SafetySources.smpc))
        }
        if oral, profile.medicines.contains(.tetracycline) {
            out.append(
                SafetyWarning(
                    code: "interaction_tetracycline",
                    message: "Tetracycline antibiotics: keep magnesium at least 2–3 hours apart from them.", source: SafetySources.smpc))
        }
        if oral, profile.medicines.contains(.quinolone) {
            out.append(
                SafetyWarning(
                    code: "interaction_quinolone",
                    message: "Quinolone antibiotics such as ciprofloxacin: take the antibiotic at least 2 hours before or 6 hours "
                        + "after magnesium.", source: SafetySources.quinolone))
        }
        let anhydrous = Set(["sulfate", "chloride"])
        if doses.contains(where: {
            if case .computed(let salt) = $0.elementalSource { return anhydrous.contains(salt) } else { return false }
        }) {
            out.append(
                SafetyWarning(
                    code: "hydrate_caution",
                    message: "Elemental magnesium was computed with the anhydrous salt's percentage. Hydrated forms (Epsom salt is "
                        + "hydrated magnesium sulfate) contain less per gram: enter the label's elemental figure if it has one.",
                    source: SafetySources.researchTable))
        }
        return out
    }
}
