import EpsomCore
import EpsomTestSupport
import Foundation
import Testing

/// The series analysis (docs/methods.md §6): each participant is `epsom analyze` on their rows,
/// each contrast is `epsom pool` on their means and variances, and bad files name line and column.
@Suite struct SeriesTests {
    /// The example series of the README (8 participants, the last withdrawn after one period).
    static func example() throws -> String {
        try String(contentsOf: TestFiles.url("epsomTests/Fixtures/series.csv"), encoding: .utf8)
    }

    static func report(_ csv: String, reference: String? = nil, options: SeriesReport.Options = .init()) throws -> SeriesReport {
        SeriesReport(input: try SeriesInput(table: try CSVTable(parsing: csv), reference: reference), options: options)
    }

    /// One participant's rows as the diary `epsom analyze` reads (the participant column dropped).
    static func diary(of participant: String, in csv: String) throws -> CSVTable {
        let lines = csv.split(separator: "\n")
        let header = try #require(lines.first)
        #expect(header.hasPrefix("participant,"))
        var out = [String(header.dropFirst("participant,".count))]
        for line in lines.dropFirst() where line.hasPrefix(participant + ",") {
            out.append(String(line.dropFirst(participant.count + 1)))
        }
        return try CSVTable(parsing: out.joined(separator: "\n") + "\n")
    }

    static let exampleOptions: [SeriesReport.Options] = [
        .init(), .init(trend: true, mcid: 0.5), .init(mcid: 2, tauPrior: .uniform), .init(tauPrior: .halfNormal(scale: 0.5)),
    ]

    /// (a) Every participant's numbers are those of `epsom analyze --reference none` on their rows
    /// alone, to the last bit.
    @Test(arguments: exampleOptions)
    func eachParticipantIsAnalyzeOnTheirOwnRows(options: SeriesReport.Options) throws {
        let csv = try Self.example()
        let series = try Self.report(csv, options: options)
        #expect(series.participants.count == 8)
        for person in series.participants where person.report != nil {
            let alone = try NOf1Report(
                input: try NOf1Input(table: try Self.diary(of: person.name, in: csv), reference: "none"), options: options.nof1)
            let mine = try #require(person.report)
            #expect(mine.json == alone.json, "\(person.name)")
            #expect(mine.input == alone.input, "\(person.name)")
        }
        // Without --reference the series and analyze both take the arm named "none".
        let p1 = try #require(series.participants.first?.report)
        let defaulted = try NOf1Report(input: try NOf1Input(table: try Self.diary(of: "P1", in: csv)), options: options.nof1)
        #expect(p1.json == defaulted.json)
    }

    /// (b) The pooled numbers are `HierarchicalPooling.pool` (what `epsom pool` runs) on the pooled
    /// participants' posterior means and variances, and `epsom pool`'s report on the same numbers
    /// written to its CSV with round-trip precision.
    @Test(arguments: exampleOptions)
    func poolingIsPoolOnTheMeansAndVariances(options: SeriesReport.Options) throws {
        let series = try Self.report(try Self.example(), options: options)
        let pool = try #require(series.pooled.first)
        let result = try #require(pool.result)
        let contrasts = try pool.members.map { try #require(series.participants[$0].contrast("cream")) }
        #expect(pool.k == 7 && contrasts.count == 7)
        let direct = try HierarchicalPooling.pool(
            estimates: contrasts.map(\.mean), variances: contrasts.map(\.variance), mcid: options.mcid, tauPrior: options.tauPrior)
        #expect(result == direct)
        var csv = "participant,estimate,variance\n"
        for (index, c) in zip(pool.members, contrasts) {
            csv += "\(series.participants[index].name),\(c.mean.description),\(c.variance.description)\n"
        }
        let viaPool = try PoolingReport(table: try CSVTable(parsing: csv), mcid: options.mcid, tauPrior: options.tauPrior)
        #expect(viaPool.result == direct)
        let json = series.json
        let pooled = try #require(json.pooled.first)
        #expect(pooled.muMean == viaPool.json.muMean && pooled.muCiLower == viaPool.json.muCiLower)
        #expect(pooled.muCiUpper == viaPool.json.muCiUpper && pooled.tauMean == viaPool.json.tauMean)
        #expect(pooled.tauMedian == viaPool.json.tauMedian && pooled.pNewBenefit == viaPool.json.pNewBenefit)
        #expect(pooled.pNewMcid == viaPool.json.pNewMcid && pooled.k == viaPool.json.k)
        let shrunken = json.participants.compactMap { $0.contrasts.first?.shrunken }
        #expect(shrunken == viaPool.json.participants.map(\.shrunken))
    }

    /// A participant with one arm only is listed with the reason, has no shrunken estimate, and is
    /// not pooled; so is one whose own analysis has too little data.
    @Test func exclusionsAreListedNotPooled() throws {
        var csv = try Self.example()
        // P9: cream in two periods but 2 + 2 analysed days only.
        csv +=
            (0..<8).map { d in
                let period = d < 4 ? 1 : 3, arm = d < 4 ? "none" : "cream"
                let day = String(format: "2026-03-%02d", d < 4 ? d + 1 : d + 10)
                return "P9,\(day),\(arm),\(4 + d % 3),false,\(period)"
            }.joined(separator: "\n") + "\n"
        let series = try Self.report(csv)
        let json = series.json
        let p8 = try #require(json.participants.first { $0.participant == "P8" })
        #expect(p8.excludedReason == "only one arm (cream); no days of \"none\" (the reference arm)")
        #expect(p8.contrasts.isEmpty && p8.rhoMean == nil && p8.n == 0)
        let p9 = try #require(json.participants.first { $0.participant == "P9" })
        #expect(p9.excludedReason?.hasPrefix("Too little data to tell") == true, "\(p9.excludedReason ?? "")")
        #expect(json.pooled.first?.k == 7)
        for person in json.participants {
            #expect((person.excludedReason == nil) == (person.contrasts.first?.shrunken != nil), "\(person.participant)")
        }
        let encoded = try JSONStream.text(json)
        #expect(!encoded.contains("NaN") && !encoded.contains("nan"))
        #expect(series.text.contains("  P8: only one arm (cream); no days of \"none\" (the reference arm)\n"))
    }

    /// An adequacy failure (one period per arm) keeps the participant's numbers for checking but
    /// leaves them out of the pooling.
    @Test func oneCycleIsListedWithItsNumbers() throws {
        var csv = "participant,date,arm,pain\n"
        for d in 0..<14 { csv += "A,2026-01-\(String(format: "%02d", d + 1)),\(d < 7 ? "none" : "cream"),\(3 + (d * 7) % 5)\n" }
        for d in 0..<28 {
            csv += "B,2026-01-\(String(format: "%02d", d + 1)),\((d / 7) % 2 == 0 ? "none" : "cream"),\(2 + (d * 3) % 5)\n"
        }
        let json = try Self.report(csv).json
        let a = try #require(json.participants.first)
        #expect(a.excludedReason?.contains("only one period") == true, "\(a.excludedReason ?? "")")
        #expect(a.contrasts.count == 1 && a.contrasts.first?.shrunken == nil)
        #expect(json.pooled.first?.k == 1 && json.participants.last?.contrasts.first?.shrunken != nil)
    }

    /// The expected share beyond the MCID is E[Φ((−MCID − μ)/τ)]: checked against a direct
    /// integration over μ at every τ node, and it equals the predictive P(θ_new < −MCID).
    @Test func shareBeyondTheMCIDIsTheIntegralOverMuAndTau() throws {
        let series = try Self.report(try Self.example())
        let pool = try #require(series.pooled.first)
        let r = try #require(pool.result), mcid = series.options.mcid
        var brute = 0.0
        for j in r.tauNodes.indices {
            // Trapezoid over μ ± 12 SD of μ | τⱼ, Φ((−MCID − μ)/τⱼ) · N(μ; μ̂ⱼ, Vⱼ).
            let m = r.conditionalMeans[j], s = r.conditionalVariances[j].squareRoot(), steps = 4000
            var inner = 0.0
            for i in 0...steps {
                let z = -12 + 24 * Double(i) / Double(steps)
                let weight = (i == 0 || i == steps ? 0.5 : 1) * 24 / Double(steps)
                inner += weight * Normal.density(z) * Normal.cdf((-mcid - (m + s * z)) / r.tauNodes[j])
            }
            brute += r.tauWeights[j] * inner
        }
        let share = try #require(pool.shareBeyondMCID)
        expectClose(share, brute, absolute: 1e-9, "share against direct integration")
        expectClose(share, r.probabilityNewBeyondMCID, absolute: 1e-14, "share = P(new < −MCID)")
        // The share among these participants is the average of their own posterior probabilities.
        let members = try pool.members.map { try #require(series.participants[$0].contrast("cream")) }
        var average = 0.0
        for (i, c) in members.enumerated() {
            let posterior = r.participantPosterior(i, variance: c.variance)
            expectClose(posterior.mean, r.participants[i].shrunken, absolute: 1e-12, "posterior mean = shrunken")
            average += posterior.cdf(-mcid) / Double(members.count)
        }
        expectClose(try #require(pool.participantShareBeyondMCID), average, absolute: 1e-12, "share of participants")
    }

    /// Sharing the participants over cores gives the same answer, bit for bit.
    @Test func parallelEqualsSequential() throws {
        let csv = try String(contentsOf: TestFiles.url("EpsomCoreTests/Fixtures/series-sim.csv"), encoding: .utf8)
        let input = try SeriesInput(table: try CSVTable(parsing: csv))
        let parallel = SeriesReport.analysedInParallel(input)
        #expect(parallel.participants.count == 20)
        #expect(parallel.json == SeriesReport(input: input).json)
    }

    @Test func fewParticipantsAreSaidPlainly() throws {
        let text = try Self.report(try Self.example()).text
        #expect(text.hasPrefix("Series of N-of-1 trials: 8 participants; 7 pooled, 1 left out (listed at the end)."))
        #expect(text.contains("On average, cream"))
        #expect(text.contains("between-person SD τ") && text.contains("Only 7 people could be pooled"))
        var three = "participant,date,arm,pain,washout,period\n"
        for line in try Self.example().split(separator: "\n").dropFirst() where ["P1,", "P2,", "P3,"].contains(where: line.hasPrefix) {
            three += line + "\n"
        }
        let few = try Self.report(three)
        #expect(few.text.contains("Only 3 people could be pooled"))
        let uniform = try Self.report(three, options: .init(tauPrior: .uniform))
        #expect(uniform.pooled.first?.result == nil)
        #expect(uniform.pooled.first?.reason?.contains("at least 4") == true)
        let json = try JSONStream.text(uniform.json)
        #expect(json.contains("\"reason\"") && !json.contains("mu_mean"))
    }

    /// (c) Bad input: the first bad cell in file order, with its line and column.
    @Test(arguments: [
        ("participant,date,arm,pain\nA,2026-01-01,none,3\n,2026-01-02,none,4\n", 3, "participant", "is empty"),
        ("participant,date,arm,pain\nA,2026-01-01,none,3\nA,2026-02-30,none,4\n", 3, "date", "is not a date"),
        ("participant,date,arm,pain\nA,2026-01-01,none,3\nA,2026-01-02,cream,x\n", 3, "pain", "\"x\" is not a number"),
        ("participant,date,arm,pain\nA,2026-01-01,none,11\n", 2, "pain", "must lie between 0 and 10"),
        (
            "participant,date,arm,pain\nA,2026-01-01,none,3\nB,2026-01-01,none,3\nA,2026-01-01,cream,4\n", 4, "date",
            "2026-01-01 appears twice for participant \"A\" (also on line 2)"
        ),
        ("participant,date,arm,pain,washout\nA,2026-01-01,none,3,maybe\n", 2, "washout", "must be true or false"),
        ("participant,date,arm,pain\nA,2026-01-01,,3\n", 2, "arm", "is empty"),
    ])
    func badInputNamesLineAndColumn(csv: String, line: Int, column: String, message: String) throws {
        let error = try #require(throws: InputError.self) { try SeriesInput(table: try CSVTable(parsing: csv)) }
        #expect(error.line == line && error.column == column, "\(error)")
        #expect(error.message.contains(message), "\(error)")
    }

    @Test func fileLevelErrors() throws {
        let missing = try #require(throws: InputError.self) {
            try SeriesInput(table: try CSVTable(parsing: "date,arm,pain\n2026-01-01,a,1\n"))
        }
        #expect(missing.message.contains("the column \"participant\" is missing"))
        let oneArm = try #require(throws: InputError.self) {
            try SeriesInput(table: try CSVTable(parsing: "participant,date,arm,pain\nA,2026-01-01,none,1\n"))
        }
        #expect(oneArm.message.contains("only one arm"))
        let reference = try #require(throws: InputError.self) {
            try SeriesInput(table: try CSVTable(parsing: try Self.example()), reference: "oral")
        }
        #expect(reference.message.contains("the reference arm \"oral\" is not in the file (arms: none, cream)"))
        // The same participant-date on different participants is fine; the date parser agrees with analyze's.
        for text in ["2026-1-01", "２０２６-01-01", "2026-01-01T00:00", "1899-12-31", "2200-01-01", " 2026-01-01 "] {
            let bytes = ArraySlice(Array(text.trimmingCharacters(in: .whitespaces).utf8))
            #expect(CalendarDate(isoBytes: bytes) == CalendarDate(iso: text.trimmingCharacters(in: .whitespaces)), "\(text)")
        }
    }
}
