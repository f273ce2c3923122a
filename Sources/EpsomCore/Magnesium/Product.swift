/// A saved product, so that logging a usual dose is one tap.
public struct Product: Sendable, Equatable {
    public var id: String
    public var name: String
    public var route: Route
    public var salt: MagnesiumSalt?
    public var amount: Double
    public var unit: DoseUnit
    /// The label's elemental magnesium per dose, if it gives one.
    public var elementalMilligrams: Double?
    public var site: String?
    /// The label's strength, so that any amount (pumps, g, ml) is converted.
    public var strength: LabelStrength?
    /// Used every day: Epsom says when it has not been logged for a while.
    public var isRegular: Bool

    public init(
        id: String, name: String, route: Route, salt: MagnesiumSalt? = nil, amount: Double, unit: DoseUnit,
        elementalMilligrams: Double? = nil, site: String? = nil, strength: LabelStrength? = nil, isRegular: Bool = true
    ) {
        self.id = id
        self.name = name
        self.route = route
        self.salt = salt
        self.amount = amount
        self.unit = unit
        self.elementalMilligrams = elementalMilligrams
        self.site = site
        self.strength = strength
        self.isRegular = isRegular
    }

    /// The form fields of a dose of this product at the given time.
    public func doseFields(at time: LocalDateTime) -> [String: String] {
        var fields = [
            "taken_at": time.description, "product": name, "route": route.rawValue,
            "amount": NumberFormatting.trimmed(amount), "unit": unit.rawValue,
        ]
        if let salt { fields["salt"] = salt.id }
        if let elementalMilligrams { fields["elemental_mg"] = NumberFormatting.trimmed(elementalMilligrams) }
        if let site { fields["site"] = site }
        if let strength {
            fields["strength"] = NumberFormatting.trimmed(strength.value)
            fields["strength_basis"] = strength.basis.rawValue
            fields["strength_per"] = strength.per.rawValue
        }
        return fields
    }
}

/// Missed use of regular products, and gaps in use over a history.
public enum MissedUse {
    public struct Overdue: Sendable, Equatable {
        public var product: String
        /// Last day it was logged, nil if never.
        public var lastTaken: CalendarDate?
        /// Whole days since then (nil if never).
        public var daysSince: Int?
    }

    /// Regular products not logged for at least `days` days (default 2) before `today`. Trial
    /// days never count as missed use: the trial's schedule says what to use then, so nothing is
    /// overdue while a trial runs, and after one the count starts from its last day.
    public static func overdue(
        products: [Product], doses: [Dose], today: CalendarDate, afterDays days: Int = 2,
        trialDays: [ClosedRange<CalendarDate>] = []
    ) -> [Overdue] {
        if trialDays.contains(where: { $0.contains(today) }) { return [] }
        let lastTrialDay = trialDays.map(\.upperBound).filter { $0 <= today }.max()
        return products.filter(\.isRegular).compactMap { product in
            let logged = doses.filter { $0.product == product.name && $0.takenAt.date <= today }.map(\.takenAt.date).max()
            let last = [logged, lastTrialDay].compactMap { $0 }.max()
            guard let last else { return Overdue(product: product.name, lastTaken: nil, daysSince: nil) }
            let since = today.dayNumber - last.dayNumber
            return since >= days ? Overdue(product: product.name, lastTaken: last, daysSince: since) : nil
        }
    }

    public struct Gap: Sendable, Equatable {
        /// First and last day without use.
        public var from: CalendarDate
        public var to: CalendarDate
        public var days: Int { to.dayNumber - from.dayNumber + 1 }
    }

    /// Runs of at least `minimumDays` days without use between the first and last day of use.
    /// Trial days are not days without use (the trial decides what is used), so they end a gap.
    public static func gaps(usedOn dates: [CalendarDate], minimumDays: Int = 2, trialDays: [ClosedRange<CalendarDate>] = []) -> [Gap] {
        var covered = Set(dates.map(\.dayNumber))
        for range in trialDays { covered.formUnion(range.lowerBound.dayNumber...range.upperBound.dayNumber) }
        let days = covered.sorted()
        var out: [Gap] = []
        for (a, b) in zip(days, days.dropFirst()) where b - a - 1 >= minimumDays {
            out.append(Gap(from: CalendarDate(dayNumber: a + 1), to: CalendarDate(dayNumber: b - 1)))
        }
        return out
    }
}
