import EpsomCore
import EpsomStorage

extension Wire {
    struct DoseInput: WireModel {
        var takenAt: String
        var utcOffset: String?
        var product: String
        var route: String
        var salt: String?
        var amount: Double
        var unit: String
        var elementalMg: Double?
        var strength: Double?
        var strengthBasis: LabelStrength.Basis?
        var strengthPer: String?
        var site: String?

        static let summary = "A dose taken or a cream, oil, spray or bath applied."
        static let notes: [String: FieldNote] = [
            "takenAt": FieldNote(
                "When: RFC 3339 (2026-11-07T08:00:00Z, 2026-11-07T08:00:00.5-05:00) or YYYY-MM-DDTHH:MM[:SS] on the account's clock. "
                    + "The dose belongs to the local day on which it was taken.", minLength: 1, maxLength: 40),
            "utcOffset": FieldNote("For a takenAt without an offset: the offset in force then, e.g. +01:00.", maxLength: 6),
            "product": FieldNote("The product's name, e.g. \"Magnesium cream\".", minLength: 1, maxLength: 100),
            "route": FieldNote("How it was taken: " + Route.acceptedNames + ".", minLength: 1, maxLength: 40),
            "salt": FieldNote(
                "The magnesium salt, by name or formula (\"magnesium oxide\", \"oxide\", \"MgO\"); known: " + MagnesiumSalt.acceptedNames
                    + ".", maxLength: 60),
            "amount": FieldNote("How much, in `unit`.", minimum: 0, maximum: 1_000_000),
            "unit": FieldNote("The unit of `amount`: " + DoseUnit.acceptedNames + ".", minLength: 1, maxLength: 20),
            "elementalMg": FieldNote(
                "Elemental magnesium in mg, the label's figure; otherwise computed from `strength`, or for oral doses and baths from "
                    + "the salt and a mass amount.", minimum: 0, maximum: 100_000),
            "strength": FieldNote("The label's strength; creams, oils and sprays need it or elementalMg.", minimum: 0, maximum: 1_000_000),
            "strengthBasis": FieldNote("What the strength counts."),
            "strengthPer": FieldNote("The unit the strength is per: g, ml, pump, spray, tablet, capsule or scoop.", maxLength: 20),
            "site": FieldNote("Where a cream or oil was applied, e.g. \"soles of the feet\".", maxLength: 100),
        ]
        static let example = DoseInput(
            takenAt: "2026-11-07T21:00:00Z", utcOffset: nil, product: "Magnesium cream", route: "transdermal_cream", salt: nil, amount: 2,
            unit: "g", elementalMg: 100, strength: nil, strengthBasis: nil, strengthPer: nil, site: "soles of the feet")
    }

    struct Dose: WireModel {
        var id: String
        /// RFC 3339 to the second with the offset in force in the account's time zone then.
        var takenAt: String
        /// The local day the dose belongs to: the date on the account's clock at that instant.
        var localDate: CalendarDate
        var product: String
        var route: Route
        var salt: String?
        var amount: Double
        var unit: DoseUnit
        var elementalMg: Double
        /// "label", "strength" (amount × the label's strength) or "computed:<salt>".
        var elementalSource: String
        var site: String?

        static let summary = "A logged dose."
        static let notes: [String: FieldNote] = [
            "takenAt": FieldNote(
                "RFC 3339 to the second, with the offset in force in the account's time zone then (\"Z\" at offset 0).",
                format: "date-time"),
            "localDate": FieldNote("The local day the dose belongs to: the date on the account's clock at that instant."),
            "salt": FieldNote("The salt's id."),
            "elementalSource": FieldNote(
                "Where elementalMg comes from: label, strength (amount × the label's strength) or computed:<salt>."),
        ]
        static let example = Dose(
            id: "d41d8cd98f00", takenAt: "2026-11-07T21:00:00Z", localDate: Wire.exampleDay, product: "Magnesium cream",
            route: .transdermalCream, salt: nil, amount: 2, unit: .g, elementalMg: 100, elementalSource: "label", site: "soles of the feet")
    }

    struct DosePage: WireModel {
        var from: CalendarDate
        var to: CalendarDate
        var doses: [Dose]
        var nextCursor: String?

        static let summary = "Doses in a date range, oldest first, one page at a time."
        static let notes: [String: FieldNote] = [
            "nextCursor": FieldNote("Pass back as `cursor` for the next page; absent on the last page.")
        ]
        static let example = DosePage(from: Wire.exampleDay, to: Wire.exampleDay, doses: [Dose.example], nextCursor: nil)
    }

    struct SafetyWarning: WireModel {
        var code: String
        var message: String
        var source: String

        static let summary = "A cited safety message."
        static let example = SafetyWarning(
            code: "over_upper_limit",
            message: "Magnesium by mouth today is 400 mg, above the adult upper limit of 350 mg/day for magnesium from supplements "
                + "and medicines (food does not count). Diarrhoea is usually the first sign of too much.",
            source: SafetySources.upperLimit)
    }

    struct Intake: WireModel {
        var date: CalendarDate
        var supplementalElementalMg: Double
        var transdermalElementalMg: Double
        var parenteralElementalMg: Double
        var upperLimitMg: Double
        var warnings: [SafetyWarning]
        var disclaimer: String

        static let summary = "A day's elemental magnesium by route, with cited safety warnings."
        static let example = Intake(
            date: Wire.exampleDay, supplementalElementalMg: 250, transdermalElementalMg: 100, parenteralElementalMg: 0,
            upperLimitMg: 350, warnings: [], disclaimer: SafetySources.noMedicalAdvice)
    }
}

extension Wire.Dose {
    init(_ stored: StoredDose) {
        let d = stored.dose
        let source: String =
            switch d.elementalSource {
            case .label: "label"
            case .computed(let s): "computed:" + s
            case .strength: "strength"
            }
        self.init(
            id: stored.id, takenAt: d.time.rfc3339, localDate: d.time.localDate, product: d.product, route: d.route, salt: d.salt?.id,
            amount: d.amount, unit: d.unit, elementalMg: d.elementalMilligrams, elementalSource: source, site: d.site)
    }
}
