import Testing

@testable import EpsomCore

@Suite struct MetaAnalysisInputTests {
    func input(_ csv: String, _ measure: EffectMeasure, mods: [String] = [], by: String? = nil) throws(InputError)
        -> MetaAnalysisInput
    {
        try MetaAnalysisInput(table: try CSVTable(parsing: csv), measure: measure, moderatorColumns: mods, groupColumn: by)
    }

    @Test func readsCountsInEitherForm() throws {
        let a = try input("study,ai,bi,ci,di\nA,4,119,11,128\nB,6,300,29,274\n", .riskRatio)
        let b = try input("study,ai,n1i,ci,n2i\nA,4,123,11,139\nB,6,306,29,303\n", .riskRatio)
        #expect(a.effects == b.effects)
        #expect(a.studies == ["A", "B"] && a.lines == [2, 3])
    }

    @Test func badCellsAreNamedByLineAndColumn() {
        let cases: [(String, EffectMeasure, InputError)] = [
            ("study,yi\nA,0.1\n", .generic, InputError(message: "the column \"vi\" is missing (the header has: study, yi)")),
            ("study,yi,vi\nA,0.1,0.01\nB,x,0.02\n", .generic, InputError(line: 3, column: "yi", message: "\"x\" is not a number")),
            ("study,yi,vi\nA,0.1,-0.01\n", .generic, InputError(line: 2, column: "vi", message: "must be a positive variance")),
            ("study,yi,vi\nA,0.1,\n", .generic, InputError(line: 2, column: "vi", message: "is empty")),
            (
                "study,yi,vi\nA,0.1,0.1\nA,0.2,0.1\n", .generic,
                InputError(line: 3, column: "study", message: "\"A\" appears twice (also on line 2)")
            ),
            ("study,yi,vi\n", .generic, InputError(message: "the file has a header but no studies")),
            (
                "study,m1i,sd1i,n1i,m2i,sd2i,n2i\nA,1,-2,10,1,1,10\n", .meanDifference,
                InputError(line: 2, column: "sd1i", message: "sd1i must be a number of at least 0.")
            ),
            (
                "study,m1i,sd1i,n1i,m2i,sd2i,n2i\nA,1,2,0,1,1,10\n", .meanDifference,
                InputError(line: 2, column: "n1i", message: "n1i must be at least 1.")
            ),
            ("study,ai,n1i,ci,n2i\nA,12,10,1,10\n", .oddsRatio, InputError(line: 2, column: "ai", message: "is larger than n1i")),
        ]
        for (csv, measure, expected) in cases {
            #expect(throws: expected, "\(csv)") { try input(csv, measure) }
        }
    }

    @Test func moderatorsAreContinuousOrCategorical() throws {
        let i = try input(
            "study,yi,vi,dose,route\nA,0.1,0.01,100,oral\nB,0.2,0.02,200,cream\nC,0.3,0.03,300,oral\n",
            .generic, mods: ["dose", "route"])
        #expect(
            i.moderators == [
                .continuous(name: "dose", values: [100, 200, 300]),
                .categorical(name: "route", values: ["oral", "cream", "oral"]),
            ])
        let design = DesignMatrix.build(rows: 3, moderators: i.moderators)
        #expect(design.columnNames == ["intrcpt", "dose", "routeoral"])
        #expect(design.values == [1, 100, 1, 1, 200, 0, 1, 300, 1])
    }

    @Test func modelErrorsBecomeInputErrors() throws {
        // Two studies cannot support a model with three coefficients.
        let i = try input("study,yi,vi,x,y\nA,0.1,0.01,1,3\nB,0.2,0.02,2,1\n", .generic, mods: ["x", "y"])
        #expect(throws: InputError.self) { try MetaAnalysisReport(input: i, options: .init()) }
    }
}
