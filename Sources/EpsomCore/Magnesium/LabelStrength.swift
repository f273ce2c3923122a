/// What a product's label says about its magnesium, so that an amount of a cream, oil or spray
/// becomes milligrams of elemental magnesium. A cream's own weight is not a salt's weight: "2 g
/// of magnesium chloride cream" holds far less than 2 g of magnesium chloride, so creams, oils
/// and sprays are never computed from the salt table alone.
public struct LabelStrength: Sendable, Equatable {
    /// How the label states it.
    public enum Basis: String, Sendable, CaseIterable, Codable {
        /// "56 mg magnesium per 2 pumps" → mg of elemental magnesium per unit.
        case elemental
        /// "300 mg magnesium chloride per ml" → mg of a salt per unit.
        case salt
        /// "20% magnesium chloride": % w/w per g, or % w/v per ml.
        case percent

        public var label: String {
            switch self {
            case .elemental: "mg of magnesium (elemental) per"
            case .salt: "mg of the salt per"
            case .percent: "% of the salt (w/w per g, w/v per ml)"
            }
        }
    }

    public var basis: Basis
    /// Milligrams per `per` (elemental or salt), or the percentage.
    public var value: Double
    /// The unit the figure is per: g, ml, pump, spray, tablet, capsule or scoop (g or ml for %).
    public var per: DoseUnit
    /// The salt the label names (required for `.salt` and `.percent`).
    public var salt: MagnesiumSalt?

    public init(basis: Basis, value: Double, per: DoseUnit, salt: MagnesiumSalt? = nil) {
        self.basis = basis
        self.value = value
        self.per = per
        self.salt = salt
    }

    /// Elemental magnesium in `amount` of `unit`, or nil when the amount cannot be expressed in
    /// the label's unit (pumps of a cream whose label gives mg per g, say).
    public func elementalMilligrams(amount: Double, unit: DoseUnit) -> Double? {
        guard let count = Self.convert(amount, from: unit, to: per) else { return nil }
        switch basis {
        case .elemental:
            return count * value
        case .salt:
            guard let salt else { return nil }
            return salt.elementalMagnesium(milligramsOfSalt: count * value)
        case .percent:
            // % w/w: value g of salt per 100 g; % w/v: value g per 100 ml. Either way 10·value mg per g or ml.
            guard let salt, per == .g || per == .ml else { return nil }
            return salt.elementalMagnesium(milligramsOfSalt: count * value * 10)
        }
    }

    /// The amount in the label's unit: the same unit, or mg ↔ g.
    static func convert(_ amount: Double, from unit: DoseUnit, to per: DoseUnit) -> Double? {
        if unit == per { return amount }
        if let a = unit.milligrams, let b = per.milligrams { return amount * a / b }
        return nil
    }

    /// "56 mg magnesium per pump", "20% magnesium chloride (w/w)".
    public var description: String {
        let v = NumberFormatting.trimmed(value)
        switch basis {
        case .elemental: return "\(v) mg magnesium per \(per.rawValue)"
        case .salt: return "\(v) mg \(salt?.name ?? "salt") per \(per.rawValue)"
        case .percent: return "\(v)% \(salt?.name ?? "salt") (\(per == .ml ? "w/v" : "w/w"))"
        }
    }

    /// The strength in already validated dose fields (nil when none was given).
    public static func parsed(_ fields: [String: String]) -> LabelStrength? {
        var errors = FieldErrors()
        func text(_ name: String) -> String? {
            guard let value = fields[name]?.trimmingSpaces(), !value.isEmpty else { return nil }
            return value
        }
        let strength = validated(text, salt: text("salt").flatMap(MagnesiumSalt.named), saltError: false, errors: &errors)
        return errors.isEmpty ? strength : nil
    }

    /// Reads `strength`, `strength_basis`, `strength_per` (and `salt`, already parsed) from a
    /// form, the API or CSV. Nil when no strength was given; errors name the field.
    static func validated(
        _ text: (String) -> String?, salt: MagnesiumSalt?, saltError: Bool,
        errors: inout FieldErrors
    ) -> LabelStrength? {
        guard let raw = text("strength") else { return nil }
        let before = errors.messages.count
        let value = NumberParsing.decimal(raw)
        if value == nil || !(value! > 0 && value! <= 100_000) { errors.add("strength", "must be a number above 0") }
        let basis = text("strength_basis").flatMap { Basis(rawValue: $0.lowercased()) } ?? .elemental
        if let b = text("strength_basis"), Basis(rawValue: b.lowercased()) == nil {
            errors.add("strength_basis", "must be one of: " + Basis.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let per = text("strength_per").flatMap(DoseUnit.init(name:))
        if per == nil {
            errors.add("strength_per", "must be one of: " + DoseUnit.allCases.filter { $0 != .mg }.map(\.rawValue).joined(separator: ", "))
        }
        if basis == .percent, let v = value, v > 100 { errors.add("strength", "a percentage must be at most 100") }
        if basis == .percent, let per, per != .g, per != .ml { errors.add("strength_per", "a percentage is per g (w/w) or per ml (w/v)") }
        if basis != .elemental, salt == nil, !saltError { errors.add("salt", "choose the salt the label names") }
        guard let value, let per, errors.messages.count == before else { return nil }
        return LabelStrength(basis: basis, value: value, per: per, salt: salt)
    }
}
