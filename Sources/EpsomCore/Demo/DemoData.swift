/// Synthetic data for `epsom serve --demo`: a year of daily diary for someone who uses
/// magnesium cream every evening and some oral citrate, with one 14-day gap in cream use during
/// which pain drifts up. The numbers are invented for demonstration; they are not evidence.
public struct DemoData: Sendable {
    public var entries: [DiaryEntry]
    public var doses: [Dose]
    public var products: [Product]
    /// The days without cream.
    public var gap: ClosedRange<CalendarDate>

    public static func generate(endingOn last: CalendarDate, days: Int = 365, seed: UInt64 = 7) -> DemoData {
        var rng = SplitMix64(seed: seed)
        let first = last.adding(days: -(days - 1))
        let gapStart = first.adding(days: days / 2), gapEnd = gapStart.adding(days: 13)
        let cream = Product(
            id: "demo-cream", name: "Magnesium cream", route: .transdermalCream, amount: 2, unit: .pump,
            elementalMilligrams: 56, site: "soles of the feet", isRegular: true)
        let citrate = Product(
            id: "demo-citrate", name: "Magnesium citrate", route: .oral, salt: MagnesiumSalt.named("citrate"),
            amount: 1, unit: .g, isRegular: false)
        var entries: [DiaryEntry] = [], doses: [Dose] = []
        var noise = 0.0, offCream = 0
        for d in 0..<days {
            let date = first.adding(days: d)
            let onCream = !(gapStart...gapEnd).contains(date)
            offCream = onCream ? max(0, offCream - 2) : offCream + 1
            // AR(1) day-to-day variation; pain rises over the first days without cream.
            noise = 0.6 * noise + 0.8 * rng.nextGaussian()
            let pain = min(10, max(0, (3.5 + Double(min(offCream, 5)) * 0.5 + noise).rounded()))
            let painInt = Int(pain)
            let spasms = min(10, max(0, painInt + Int((rng.nextGaussian()).rounded())))
            entries.append(
                DiaryEntry(
                    date: date, pain: painInt, enjoyment: min(10, painInt + 1), activity: painInt,
                    spasms: spasms, stiffness: min(10, max(0, painInt - 1)),
                    sleep: max(0, 8 - painInt / 2), sideEffects: [], note: ""))
            if onCream {
                doses.append(
                    Dose(
                        takenAt: LocalDateTime(date: date, minutes: 21 * 60 + 30), product: cream.name,
                        route: cream.route, salt: nil, amount: 2, unit: .pump, elementalMilligrams: 56,
                        elementalSource: .label, site: cream.site))
            }
            if d % 3 == 0 {
                doses.append(
                    Dose(
                        takenAt: LocalDateTime(date: date, minutes: 8 * 60), product: citrate.name, route: .oral,
                        salt: citrate.salt, amount: 1, unit: .g, elementalMilligrams: 113,
                        elementalSource: .computed(salt: "citrate"), site: nil))
            }
        }
        return DemoData(entries: entries, doses: doses, products: [cream, citrate], gap: gapStart...gapEnd)
    }
}
