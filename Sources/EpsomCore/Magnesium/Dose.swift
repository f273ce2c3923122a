import Foundation

/// A local date and time of day (no time zone: a diary lives in the person's own day).
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var date: CalendarDate
    /// Minutes after midnight, 0..<1440.
    public var minutes: Int

    public init(date: CalendarDate, minutes: Int) {
        self.date = date
        self.minutes = minutes
    }

    /// "YYYY-MM-DDTHH:MM", optionally with ":SS" (ignored) or a space instead of "T". (A dose's
    /// time is read by `Timestamp.parse`, which also takes RFC 3339.)
    public init?(iso text: String) {
        let t = text.trimmingSpaces()
        guard t.count >= 16 else { return nil }
        let separator = t.index(t.startIndex, offsetBy: 10)
        guard t[separator] == "T" || t[separator] == " ", let date = CalendarDate(iso: String(t[..<separator])) else { return nil }
        let time = t[t.index(after: separator)...].split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 2 || time.count == 3, time.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let h = Int(time[0]), let m = Int(time[1]), (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        if time.count == 3 { guard let s = Int(time[2]), (0..<60).contains(s) else { return nil } }
        self.init(date: date, minutes: h * 60 + m)
    }

    public var description: String {
        let h = minutes / 60, m = minutes % 60
        return "\(date)T\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { (a.date, a.minutes) < (b.date, b.minutes) }
}

/// One dose taken or application made.
public struct Dose: Sendable, Equatable {
    /// Where the elemental magnesium figure came from.
    public enum ElementalSource: Sendable, Equatable {
        /// The label's own figure (always preferred).
        case label
        /// Computed from the salt's percentage in the research table (oral doses and baths,
        /// where the amount is the salt itself).
        case computed(salt: String)
        /// Computed from the label's strength (mg or % per g, ml, pump, spray…).
        case strength
    }

    /// When it was taken: the instant and the offset in force in the person's zone then.
    public var time: Timestamp
    /// The person's wall clock then (to the minute); `takenAt.date` is the local day the dose
    /// belongs to (see `Timestamp`).
    public var takenAt: LocalDateTime { time.local }
    public var product: String
    public var route: Route
    public var salt: MagnesiumSalt?
    public var amount: Double
    public var unit: DoseUnit
    public var elementalMilligrams: Double
    public var elementalSource: ElementalSource
    /// For transdermal use: where it was applied (e.g. "soles of the feet").
    public var site: String?

    public init(
        time: Timestamp, product: String, route: Route, salt: MagnesiumSalt?, amount: Double, unit: DoseUnit,
        elementalMilligrams: Double, elementalSource: ElementalSource, site: String?
    ) {
        self.time = time
        self.product = product
        self.route = route
        self.salt = salt
        self.amount = amount
        self.unit = unit
        self.elementalMilligrams = elementalMilligrams
        self.elementalSource = elementalSource
        self.site = site
    }

    /// A dose at a wall clock taken as UTC (demo data; tests).
    public init(
        takenAt: LocalDateTime, product: String, route: Route, salt: MagnesiumSalt?, amount: Double, unit: DoseUnit,
        elementalMilligrams: Double, elementalSource: ElementalSource, site: String?
    ) {
        self.init(
            time: Timestamp(utc: takenAt), product: product, route: route, salt: salt, amount: amount, unit: unit,
            elementalMilligrams: elementalMilligrams, elementalSource: elementalSource, site: site)
    }

    /// Builds a dose from text fields (form, API or CSV): taken_at, product, route, salt, amount,
    /// unit, elemental_mg, site, and the label's strength (strength, strength_basis, strength_per).
    ///
    /// Elemental magnesium is, in order: the label's own figure; the amount times the label's
    /// strength; or, for oral doses and baths only, the salt's percentage of a mass amount (the
    /// amount is then the salt itself). A cream, oil or spray needs its label: its weight is not
    /// the salt's.
    ///
    /// `taken_at` is read by `Timestamp.parse` in `timeZone` (the account's): RFC 3339 with an
    /// offset is an instant, a time without one is the account's wall clock. An optional
    /// `utc_offset` ("+01:00", CSV files) gives the offset in force for a `taken_at` without one,
    /// and is then kept as written, so an export's times come back exactly.
    public static func validated(_ fields: [String: String], timeZone: TimeZone = .utc) throws(FieldErrors) -> Dose {
        var errors = FieldErrors()
        func text(_ name: String) -> String? {
            guard let value = fields[name]?.trimmingSpaces(), !value.isEmpty else { return nil }
            return value
        }
        var takenAt: Timestamp?
        if let given = text("taken_at") {
            switch Timestamp.written(given) {
            case .failure(let error): errors.add("taken_at", error.message)
            case .success(let written):
                if let offsetText = text("utc_offset") {
                    if let offset = Timestamp.offset(offsetText) {
                        if written.utcOffsetMinutes == nil {
                            takenAt = written.recorded(offset: offset)
                        } else if written.utcOffsetMinutes == offset {
                            takenAt = written.resolved(in: timeZone)
                        } else {
                            errors.add("utc_offset", "differs from the offset written in taken_at")
                        }
                    } else {
                        errors.add("utc_offset", Timestamp.ParseError.offsetField.message)
                    }
                } else {
                    takenAt = written.resolved(in: timeZone)
                }
                if let t = takenAt, !CalendarDate.accepted.contains(t.localDate) {
                    errors.add("taken_at", Timestamp.ParseError.range.message)
                    takenAt = nil
                }
            }
        } else {
            errors.add("taken_at", "is required")
        }
        let product = text("product") ?? ""
        if product.isEmpty {
            errors.add("product", "is required")
        } else if product.count > 100 {
            errors.add("product", "must be at most 100 characters")
        }
        let route = text("route").flatMap(Route.init(name:))
        if route == nil { errors.add("route", "must be one of: " + Route.acceptedNames) }
        var salt: MagnesiumSalt?
        if let name = text("salt") {
            salt = MagnesiumSalt.named(name)
            if salt == nil { errors.add("salt", "unknown salt (known: " + MagnesiumSalt.acceptedNames + ")") }
        }
        let amount = text("amount").flatMap(NumberParsing.decimal)
        if amount == nil || !(amount! > 0 && amount! <= 1_000_000) { errors.add("amount", "must be a number above 0") }
        let unit = text("unit").flatMap(DoseUnit.init(name:))
        if unit == nil { errors.add("unit", "must be one of: " + DoseUnit.acceptedNames) }
        let strength = LabelStrength.validated(text, salt: salt, saltError: errors["salt"] != nil, errors: &errors)
        var elemental: Double?
        var source = ElementalSource.label
        if let given = text("elemental_mg") {
            elemental = NumberParsing.decimal(given)
            if elemental == nil || elemental! < 0 || elemental! > 100_000 {
                errors.add("elemental_mg", "must be a number of milligrams of at least 0")
                elemental = nil
            }
        } else if let strength, let amount, let unit {
            elemental = strength.elementalMilligrams(amount: amount, unit: unit)
            source = .strength
            if elemental == nil {
                errors.add(
                    "unit",
                    "the label's figure is per \(strength.per.rawValue): give the amount in \(strength.per.rawValue)"
                        + (strength.per.milligrams != nil ? " or mg" : ""))
            }
        } else if text("strength") != nil {
            // The strength's own errors are already listed.
        } else if let route, route.needsLabelFigure {
            if errors["unit"] == nil, errors["amount"] == nil {
                errors.add(
                    "strength",
                    "give the label's strength (mg of magnesium or of a salt per g, ml, pump or spray, or % of a salt) "
                        + "or the elemental magnesium: a \(route.noun)'s own weight is not the salt's")
            }
        } else if let salt, let unit, let amount, let perUnit = unit.milligrams {
            elemental = salt.elementalMagnesium(milligramsOfSalt: amount * perUnit)
            source = .computed(salt: salt.id)
        } else if errors["salt"] == nil, errors["unit"] == nil, errors["amount"] == nil {
            errors.add("elemental_mg", "give the elemental magnesium from the label (or a salt and an amount in mg or g)")
        }
        var site = text("site")
        if let s = site, s.count > 100 { errors.add("site", "must be at most 100 characters") }
        if let route, !route.isTransdermal { site = nil }
        try errors.check()
        return Dose(
            time: takenAt!, product: product, route: route!, salt: salt, amount: amount!, unit: unit!,
            elementalMilligrams: elemental!, elementalSource: source, site: site)
    }
}
