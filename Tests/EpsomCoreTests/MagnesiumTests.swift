import RealModule
import Testing

@testable import EpsomCore

@Suite struct MagnesiumTests {
    @Test func saltTableKeepsItsSourcesAndFigures() throws {
        // The research table's 13 salts, then Epsom's one addition (the heptahydrate), marked computed.
        #expect(MagnesiumSalt.all.count == 14)
        let epsom = try #require(MagnesiumSalt.all.last)
        #expect(epsom.id == "sulfateheptahydrate" && epsom.isComputed && epsom.elementalPercent == 9.86)
        let oxide = try #require(MagnesiumSalt.named("oxide"))
        #expect(oxide.elementalPercent == 60.3)
        #expect(oxide.sourceURL.contains("PMC8122334"))
        // The cross-check on an OTC label: 400 mg MgO = 241.3 mg elemental (research notes).
        #expect(abs(oxide.elementalMagnesium(milligramsOfSalt: 400) - 241.2) < 0.1)
        #expect(MagnesiumSalt.named("glycinate")?.id == "bisglycinate")
        #expect(MagnesiumSalt.named("L-threonate")?.id == "threonate")
        let lactate = try #require(MagnesiumSalt.named("lactate"))
        #expect(lactate.isComputed && lactate.elementalPercent == 12.0)
        #expect(MagnesiumSalt.named("citrate")?.notes.contains("CAUTION") == true)
    }

    static let day = CalendarDate(iso: "2026-03-01")!

    func dose(_ fields: [String: String]) throws -> Dose { try Dose.validated(fields) }

    @Test func elementalMagnesiumFromLabelOrSalt() throws {
        let fromSalt = try dose([
            "taken_at": "2026-03-01T08:00", "product": "Citrate caps", "route": "oral",
            "salt": "citrate", "amount": "1", "unit": "g",
        ])
        #expect(abs(fromSalt.elementalMilligrams - 113) < 1e-9)
        #expect(fromSalt.elementalSource == .computed(salt: "citrate"))
        let fromLabel = try dose([
            "taken_at": "2026-03-01 21:30", "product": "Mg cream", "route": "transdermal_cream",
            "amount": "2", "unit": "pump", "elemental_mg": "56", "site": "soles of the feet",
        ])
        #expect(fromLabel.elementalMilligrams == 56 && fromLabel.site == "soles of the feet")
    }

    @Test func badDoseFieldsAreNamed() {
        do {
            _ = try Dose.validated(["taken_at": "yesterday", "route": "nasal", "amount": "-1", "unit": "spoon", "salt": "gold"])
            Issue.record("expected errors")
        } catch {
            #expect(Set(error.messages.keys) == ["taken_at", "product", "route", "amount", "unit", "salt"])
        }
        #expect(throws: FieldErrors(["elemental_mg": "give the elemental magnesium from the label (or a salt and an amount in mg or g)"])) {
            try Dose.validated([
                "taken_at": "2026-03-01T08:00", "product": "Tablets", "route": "oral",
                "amount": "2", "unit": "tablet",
            ])
        }
        do {
            _ = try Dose.validated([
                "taken_at": "2026-03-01T08:00", "product": "Spray", "route": "transdermal_spray",
                "amount": "4", "unit": "spray",
            ])
            Issue.record("a spray without its label must be refused")
        } catch {
            #expect(Set(error.messages.keys) == ["strength"])
            #expect(error["strength"]?.contains("spray's own weight is not the salt's") == true)
        }
    }

    /// The defect a user met: "2 g of magnesium chloride cream" became 510 mg of magnesium (the
    /// cream's weight taken as the salt's). A cream needs its label; every label form converts.
    @Test func creamsOilsAndSpraysUseTheLabelStrength() throws {
        let base = ["taken_at": "2026-03-01T21:00", "product": "Mg cream", "route": "transdermal_cream"]
        // Without a label figure the cream is refused, never computed from the salt table.
        #expect(throws: FieldErrors.self) {
            try Dose.validated(base.merging(["salt": "chloride", "amount": "2", "unit": "g"]) { $1 })
        }
        // 28 mg of magnesium per pump, 2 pumps → 56 mg (hand computation).
        let pumps = try dose(base.merging(["amount": "2", "unit": "pump", "strength": "28", "strength_per": "pump"]) { $1 })
        #expect(pumps.elementalMilligrams == 56 && pumps.elementalSource == .strength)
        // 100 mg of magnesium chloride per ml, 3 ml: 300 mg of the salt × 25.5% (the table's chloride figure) = 76.5 mg.
        let chloride = try #require(MagnesiumSalt.named("chloride"))
        let perML = try dose(
            base.merging([
                "amount": "3", "unit": "ml", "strength": "100", "strength_basis": "salt",
                "strength_per": "ml", "salt": "chloride",
            ]) { $1 })
        #expect(perML.elementalMilligrams.isApproximatelyEqual(to: 300 * chloride.elementalPercent / 100))
        // 20% w/w magnesium chloride cream, 2 g: 400 mg of the salt.
        let percent = try dose(
            base.merging([
                "amount": "2", "unit": "g", "strength": "20", "strength_basis": "percent",
                "strength_per": "g", "salt": "chloride",
            ]) { $1 })
        #expect(percent.elementalMilligrams.isApproximatelyEqual(to: 400 * chloride.elementalPercent / 100))
        // The same cream logged in mg converts; in pumps it cannot, and the unit is named.
        let inMG = try dose(
            base.merging([
                "amount": "2000", "unit": "mg", "strength": "20", "strength_basis": "percent",
                "strength_per": "g", "salt": "chloride",
            ]) { $1 })
        #expect(inMG.elementalMilligrams.isApproximatelyEqual(to: percent.elementalMilligrams))
        do {
            _ = try dose(
                base.merging([
                    "amount": "2", "unit": "pump", "strength": "20", "strength_basis": "percent",
                    "strength_per": "g", "salt": "chloride",
                ]) { $1 })
            Issue.record("pumps of a per-gram label must be refused")
        } catch let errors as FieldErrors {
            #expect(errors["unit"] == "the label's figure is per g: give the amount in g or mg")
        }
        // A % or salt basis needs the salt; a percentage is at most 100 and per g or ml.
        do {
            _ = try dose(
                base.merging(["amount": "2", "unit": "g", "strength": "120", "strength_basis": "percent", "strength_per": "pump"]) { $1 })
            Issue.record("expected errors")
        } catch let errors as FieldErrors {
            #expect(Set(errors.messages.keys) == ["strength", "strength_per", "salt"])
        }
        // Oral doses keep the salt computation (1 g of citrate → 113 mg, as above); a bath's amount is the salt.
        let bath = try dose([
            "taken_at": "2026-03-01T21:00", "product": "Epsom salt", "route": "bath", "salt": "sulfate",
            "amount": "100", "unit": "g",
        ])
        #expect(bath.elementalSource == .computed(salt: "sulfate"))
        // A product saved with its strength logs any amount with one tap.
        let product = Product(
            id: "p", name: "Mg cream", route: .transdermalCream, amount: 3, unit: .pump,
            strength: LabelStrength(basis: .elemental, value: 28, per: .pump))
        #expect(try Dose.validated(product.doseFields(at: LocalDateTime(date: Self.day, minutes: 600))).elementalMilligrams == 84)
    }

    @Test func intakeSeparatesRoutesAndCitesEveryWarning() throws {
        let doses = [
            try dose(["taken_at": "2026-03-01T08:00", "product": "Oxide", "route": "oral", "salt": "oxide", "amount": "400", "unit": "mg"]),
            try dose(["taken_at": "2026-03-01T20:00", "product": "Oxide", "route": "oral", "salt": "oxide", "amount": "400", "unit": "mg"]),
            try dose([
                "taken_at": "2026-03-01T21:00", "product": "Cream", "route": "transdermal_cream", "amount": "1",
                "unit": "pump", "elemental_mg": "56",
            ]),
            try dose(["taken_at": "2026-03-02T08:00", "product": "Oxide", "route": "oral", "salt": "oxide", "amount": "400", "unit": "mg"]),
        ]
        let profile = SafetyProfile(kidneyDisease: true, medicines: [.quinolone])
        let intake = DailyIntake(date: Self.day, doses: doses, profile: profile)
        #expect(abs(intake.supplementalMilligrams - 482.4) < 1e-9)
        #expect(intake.transdermalMilligrams == 56)
        #expect(intake.warnings.map(\.code) == ["kidney_disease", "over_upper_limit", "transdermal_not_counted", "interaction_quinolone"])
        #expect(intake.warnings.allSatisfy { !$0.source.isEmpty })
        #expect(intake.warnings[1].source.contains("nap.edu"))
        let nextDay = DailyIntake(date: Self.day.adding(days: 1), doses: doses)
        #expect(nextDay.warnings.isEmpty)  // 241 mg, no profile flags
    }

    @Test func missedUseAndGaps() throws {
        let cream = Product(id: "p1", name: "Cream", route: .transdermalCream, amount: 1, unit: .pump, elementalMilligrams: 56)
        let daily = try (0..<10).filter { $0 < 3 || $0 > 6 }.map { d in
            try dose([
                "taken_at": "\(Self.day.adding(days: d))T21:00", "product": "Cream", "route": "transdermal_cream",
                "amount": "1", "unit": "pump", "elemental_mg": "56",
            ])
        }
        let gaps = MissedUse.gaps(usedOn: daily.map(\.takenAt.date))
        #expect(gaps == [MissedUse.Gap(from: Self.day.adding(days: 3), to: Self.day.adding(days: 6))])
        #expect(gaps[0].days == 4)
        #expect(MissedUse.overdue(products: [cream], doses: daily, today: Self.day.adding(days: 10)).isEmpty)
        let late = MissedUse.overdue(products: [cream], doses: daily, today: Self.day.adding(days: 12))
        #expect(late == [MissedUse.Overdue(product: "Cream", lastTaken: Self.day.adding(days: 9), daysSince: 3)])
    }

    /// Trial days are not missed use: a trial over days 3–6 closes the gap, nothing is overdue
    /// while a trial runs, and afterwards the count starts from its last day.
    @Test func trialDaysAreNeverMissedUse() throws {
        let cream = Product(id: "p1", name: "Cream", route: .transdermalCream, amount: 1, unit: .pump, elementalMilligrams: 56)
        let daily = try (0..<10).filter { $0 < 3 || $0 > 6 }.map { d in
            try dose([
                "taken_at": "\(Self.day.adding(days: d))T21:00", "product": "Cream", "route": "transdermal_cream",
                "amount": "1", "unit": "pump", "elemental_mg": "56",
            ])
        }
        let trial = [Self.day.adding(days: 3)...Self.day.adding(days: 6)]
        #expect(MissedUse.gaps(usedOn: daily.map(\.takenAt.date)).count == 1)
        #expect(MissedUse.gaps(usedOn: daily.map(\.takenAt.date), trialDays: trial).isEmpty)
        let during = [Self.day.adding(days: 8)...Self.day.adding(days: 20)]
        #expect(MissedUse.overdue(products: [cream], doses: daily, today: Self.day.adding(days: 15), trialDays: during).isEmpty)
        let after = MissedUse.overdue(products: [cream], doses: daily, today: Self.day.adding(days: 23), trialDays: during)
        #expect(after == [MissedUse.Overdue(product: "Cream", lastTaken: Self.day.adding(days: 20), daysSince: 3)])
    }

    @Test func diaryEntryValidation() throws {
        let entry = try DiaryEntry.validated([
            "date": "2026-03-01", "pain": "6", "sleep": "4",
            "side_effects": "diarrhoea, skin_irritation", "note": "walked",
        ])
        #expect(entry.pain == 6 && entry.sleep == 4 && entry.sideEffects == [.diarrhoea, .skinIrritation])
        do {
            _ = try DiaryEntry.validated(["date": "2026-02-30", "pain": "11", "spasms": "x", "side_effects": "nausea"])
            Issue.record("expected errors")
        } catch {
            #expect(error["date"] == "must be a date (YYYY-MM-DD) from 1900-01-01 to 2199-12-31")
            #expect(error["pain"] == "must be a whole number from 0 to 10")
            #expect(error["spasms"] != nil && error["side_effects"] != nil)
        }
        #expect(throws: FieldErrors(["pain": "is required"])) { try DiaryEntry.validated(["date": "2026-03-01"]) }
    }
}

/// Names as people write them: one parser for the form, the API and CSV import.
@Suite struct NameParsingTests {
    @Test(arguments: [
        ("magnesium oxide", "oxide"), ("oxide", "oxide"), ("MgO", "oxide"), ("Mg oxide", "oxide"), ("  Magnesium   Oxide ", "oxide"),
        ("glycinate", "bisglycinate"), ("bisglycinate", "bisglycinate"), ("Magnesium Glycinate", "bisglycinate"),
        ("MgCl2", "chloride"), ("magnesium chloride", "chloride"), ("sulphate", "sulfate"), ("MgSO4", "sulfate"),
        ("magnesium L-threonate", "threonate"), ("l_threonate", "threonate"), ("citrate", "citrate"),
        ("Epsom salt", "sulfateheptahydrate"), ("epsom salts", "sulfateheptahydrate"), ("MgSO4·7H2O", "sulfateheptahydrate"),
        ("magnesium sulfate heptahydrate", "sulfateheptahydrate"),
    ])
    func saltsAreFoundByTheNamesPeopleUse(_ text: String, _ id: String) {
        #expect(MagnesiumSalt.named(text)?.id == id, "\(text)")
    }

    @Test func unknownNamesAreRefusedNotGuessed() throws {
        for text in ["magnesium", "chloride hexahydrate", "magnesium stearate", "Mg", ""] {
            #expect(MagnesiumSalt.named(text) == nil, "\(text)")
        }
        for text in ["transdermal", "skin", "rectal"] { #expect(Route(name: text) == nil, "\(text)") }
        let errors = try #require(throws: FieldErrors.self) {
            try Dose.validated([
                "taken_at": "2026-03-01T08:00", "product": "X", "route": "skin", "salt": "stearate",
                "amount": "1", "unit": "handfuls",
            ])
        }
        #expect(errors.messages["route"]?.contains("transdermal_cream") == true)
        #expect(errors.messages["salt"]?.contains("bisglycinate") == true)
        #expect(errors.messages["unit"] == "must be one of: mg, g, ml, spray, pump, tablet, capsule, scoop")
    }

    @Test(arguments: [
        ("oral", Route.oral), ("By mouth", .oral), ("cream", .transdermalCream), ("Transdermal Cream", .transdermalCream),
        ("transdermal-cream", .transdermalCream), ("oil", .transdermalOil), ("spray", .transdermalSpray), ("foot soak", .bath),
        ("IV", .intravenous), ("im", .intramuscular),
    ])
    func routesHaveClearAliases(_ text: String, _ route: Route) {
        #expect(Route(name: text) == route, "\(text)")
    }

    @Test func unitsInWordsAndPlurals() {
        let cases: [(String, DoseUnit)] = [
            ("mg", .mg), ("Milligrams", .mg), ("grams", .g), ("mL", .ml), ("tablets", .tablet),
            ("pumps", .pump), ("sprays", .spray), ("caps", .capsule),
        ]
        for (text, unit) in cases { #expect(DoseUnit(name: text) == unit, "\(text)") }
    }

    /// Epsom salt is the heptahydrate: 100 g in a bath is 9.86 g of magnesium, not the
    /// anhydrous sulfate's 20.1 g.
    @Test func epsomSaltIsTheHeptahydrate() throws {
        let bath = try Dose.validated([
            "taken_at": "2026-03-01T21:00", "product": "Epsom salt", "route": "bath",
            "salt": "Epsom salt", "amount": "100", "unit": "g",
        ])
        #expect(abs(bath.elementalMilligrams - 9_860) < 1)
    }
}
