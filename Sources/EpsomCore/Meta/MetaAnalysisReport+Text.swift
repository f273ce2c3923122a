import EpsomStats

extension MetaAnalysisReport {
    /// A plain-text report a reviewer can paste into a paper: the study table, the pooled result,
    /// heterogeneity, and any extra analyses. Ratio measures are shown exponentiated beside the
    /// log-scale values the model works on.
    public var text: String {
        var bytes: [UInt8] = []
        writeText { bytes += $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The report's lines in order as UTF-8, each with its line break, handed to `emit` as they
    /// are made: `epsom meta` prints them as they come, so a million studies are never held as
    /// one text. The study rows are built as bytes in one reused buffer, without a `String` per
    /// number or per row.
    public func writeText(_ emit: ([UInt8]) -> Void) {
        func line(_ text: String) { emit(Array(text.utf8) + [0x0A]) }
        func lines(_ texts: [String]) { texts.forEach(line) }
        let m = model, measure = input.measure
        let kind =
            m.coefficients.count > 1
            ? "Mixed-effects meta-regression"
            : m.options.method.isRandomEffects ? "Random-effects meta-analysis" : "Equal-effects (fixed-effect) meta-analysis"
        line("\(kind): \(measure.displayName) (k = \(m.k))")
        let test = m.options.test == .z ? "z (normal)" : "Hartung-Knapp t (df = \(m.degreesOfFreedom ?? 0))"
        let level = NumberFormatting.fixed(m.options.level * 100, 0)
        line("tau² estimator: \(m.options.method.rawValue); tests and intervals: \(test); level \(level)%")
        line("")
        let labelWidth = studyLabelWidth()
        studyTable(labelWidth, line, emit)
        line("")
        if m.coefficients.count > 1 {
            lines(coefficientTable())
        } else {
            line(
                "Test of the pooled effect: \(statisticName) = \(NumberFormatting.fixed(m.estimate.statistic, 2)), "
                    + NumberFormatting.pClause(m.estimate.p))
        }
        line(heterogeneityLine())
        if let egger { lines(["", eggerLine(egger)]) }
        if let trimAndFill { lines(["", trimAndFillLine(trimAndFill)]) }
        if let leaveOneOut { lines([""] + leaveOneOutTable(leaveOneOut, labelWidth)) }
        if let subgroups { lines([""] + subgroupTable(subgroups, labelWidth)) }
    }

    private var statisticName: String { model.options.test == .z ? "z" : "t" }
    /// The study column's width. Computed once per report and passed down: as a computed property
    /// read on every row it measured every label again, and 16,000 studies took 20 s (O(k²)).
    private func studyLabelWidth() -> Int {
        var longest = 0
        for study in input.studies {
            longest = max(longest, study.count)
            if longest >= 26 { break }  // the width stops growing at 28
        }
        return min(28, max(24, longest + 2))
    }

    /// "0.411  [0.126, 1.343]" on the display scale.
    private func interval(_ estimate: Double, _ lower: Double, _ upper: Double, padded: Bool = true) -> String {
        let digits = input.measure.isRatio ? 3 : 4
        let value = NumberFormatting.fixed(display(estimate), digits)
        return (padded ? NumberFormatting.column(value, 9, right: true) : value) + "  ["
            + NumberFormatting.fixed(display(lower), digits) + ", " + NumberFormatting.fixed(display(upper), digits) + "]"
    }

    private func studyTable(_ labelWidth: Int, _ emit: (String) -> Void, _ emitBytes: ([UInt8]) -> Void) {
        let measure = input.measure, m = model
        let name = measure.rawValue
        let critical = Normal.quantile(1 - (1 - m.options.level) / 2)
        emit(
            NumberFormatting.column("Study", labelWidth) + NumberFormatting.column(name, 9, right: true)
                + NumberFormatting.column("  95% CI", 25)
                + NumberFormatting.column(measure.isRatio ? "log \(name)" : "", 10, right: true)
                + NumberFormatting.column("SE", 9, right: true) + NumberFormatting.column("Weight", 9, right: true)
        )
        var row: [UInt8] = []
        row.reserveCapacity(labelWidth + 80)
        for i in input.studies.indices {
            let y = input.effects.yi[i], se = input.effects.vi[i].squareRoot()
            appendStudyRow(&row, input.studies[i], y, y - critical * se, y + critical * se, se, m.weights[i], labelWidth)
            row.append(0x0A)
            emitBytes(row)
            row.removeAll(keepingCapacity: true)
        }
        if m.coefficients.count == 1 {
            let e = m.estimate
            let label = m.options.method.isRandomEffects ? "RE model (\(m.options.method.rawValue))" : "FE model"
            appendStudyRow(&row, label, e.estimate, e.ciLower, e.ciUpper, e.standardError, 100, labelWidth)
            emit(String(decoding: row, as: UTF8.self))
            if m.options.method.isRandomEffects {
                let digits = measure.isRatio ? 3 : 4
                emit(
                    NumberFormatting.column("Prediction interval", labelWidth) + String(repeating: " ", count: 9)
                        + "  [" + NumberFormatting.fixed(display(m.predictionLower), digits) + ", "
                        + NumberFormatting.fixed(display(m.predictionUpper), digits) + "]")
            }
        }
    }

    /// One row of the study table: the label, the estimate and its interval on the display
    /// scale, the log value for ratio measures, the SE and the weight. A number wider than its
    /// column is printed whole (the row shifts) rather than cut.
    private func appendStudyRow(
        _ row: inout [UInt8], _ label: String, _ y: Double, _ lower: Double, _ upper: Double, _ se: Double,
        _ weight: Double, _ labelWidth: Int
    ) {
        let digits = input.measure.isRatio ? 3 : 4
        NumberFormatting.appendColumn(&row, label, labelWidth)
        let intervalStart = row.count
        NumberFormatting.appendFixedColumn(&row, display(y), digits, 9)
        row.append(contentsOf: "  [".utf8)
        NumberFormatting.appendFixed(display(lower), digits, into: &row)
        row.append(contentsOf: ", ".utf8)
        NumberFormatting.appendFixed(display(upper), digits, into: &row)
        row.append(0x5D)
        let intervalWidth = row.count - intervalStart
        if intervalWidth < 34 { row.append(contentsOf: repeatElement(0x20, count: 34 - intervalWidth)) }
        if input.measure.isRatio {
            NumberFormatting.appendFixedColumn(&row, y, 4, 10)
        } else {
            row.append(contentsOf: repeatElement(0x20, count: 10))
        }
        NumberFormatting.appendFixedColumn(&row, se, 4, 9)
        NumberFormatting.appendFixedColumn(&row, weight, 2, 9, percent: true)
    }

    private func coefficientTable() -> [String] {
        let m = model
        var rows = [
            "Coefficient" + String(repeating: " ", count: 11) + "Estimate        SE"
                + NumberFormatting.column(statisticName, 10, right: true)
                + NumberFormatting.column("p", 10, right: true) + "   95% CI"
        ]
        for c in m.coefficients {
            rows.append(
                NumberFormatting.column(c.name, 20)
                    + NumberFormatting.column(NumberFormatting.fixed(c.estimate), 10, right: true)
                    + NumberFormatting.column(NumberFormatting.fixed(c.standardError), 10, right: true)
                    + NumberFormatting.column(NumberFormatting.fixed(c.statistic), 10, right: true)
                    + NumberFormatting.column(NumberFormatting.pValue(c.p), 10, right: true)
                    + "   [" + NumberFormatting.fixed(c.ciLower) + ", " + NumberFormatting.fixed(c.ciUpper) + "]")
        }
        if input.measure.isRatio { rows.append("(coefficients on the log scale; exponentiate for ratios)") }
        let o = m.omnibus
        let test =
            o.denominatorDegreesOfFreedom.map {
                "F(\(o.numeratorDegreesOfFreedom), \($0)) = \(NumberFormatting.fixed(o.statistic, 4))"
            } ?? "QM = \(NumberFormatting.fixed(o.statistic, 4)) (df = \(o.numeratorDegreesOfFreedom))"
        rows.append("Test of moderators: \(test), \(NumberFormatting.pClause(o.p))")
        if let r2 = m.rSquared { rows.append("R² (heterogeneity accounted for): \(NumberFormatting.percent(r2))") }
        return rows
    }

    private func heterogeneityLine() -> String {
        let m = model, h = m.heterogeneity
        let q = model.coefficients.count > 1 ? "Residual heterogeneity: QE" : "Heterogeneity: Q"
        var line = "\(q) = \(NumberFormatting.fixed(h.q, 4)) (df = \(h.degreesOfFreedom)), \(NumberFormatting.pClause(h.p))"
        if m.options.method.isRandomEffects {
            line += "; tau² = \(NumberFormatting.fixed(m.tauSquared))"
            if let ci = tauSquaredInterval {
                line += " (95% CI \(NumberFormatting.fixed(ci.lower)) to \(NumberFormatting.fixed(ci.upper)))"
            }
        }
        return line + "; I² = \(NumberFormatting.percent(h.iSquared)); H² = \(NumberFormatting.fixed(h.hSquared, 2))"
    }

    private func eggerLine(_ e: EggerTest.Result) -> String {
        let stat = e.degreesOfFreedom.map { "t(\($0))" } ?? "z"
        return "Egger's regression test for funnel-plot asymmetry: \(stat) = \(NumberFormatting.fixed(e.statistic, 4)), "
            + NumberFormatting.pClause(e.p) + "\n  limit estimate (as SE → 0): "
            + interval(e.limitEstimate.estimate, e.limitEstimate.ciLower, e.limitEstimate.ciUpper, padded: false)
    }

    private func trimAndFillLine(_ t: TrimAndFill.Result) -> String {
        let e = t.model.estimate
        let studies = t.missing == 1 ? "study" : "studies"
        return "Trim-and-fill (L0): \(t.missing) \(studies) estimated missing on the \(t.side.rawValue) side "
            + "(SE \(NumberFormatting.fixed(t.standardErrorOfMissing, 2)))\n  adjusted estimate: "
            + interval(e.estimate, e.ciLower, e.ciUpper, padded: false)
    }

    private func leaveOneOutTable(_ rows: [LeaveOneOut.Row], _ labelWidth: Int) -> [String] {
        var out = [
            "Leave-one-out (each study omitted in turn)",
            NumberFormatting.column("Omitted", labelWidth) + NumberFormatting.column("Estimate", 9, right: true)
                + "  95% CI" + String(repeating: " ", count: 18) + NumberFormatting.column("tau²", 9, right: true)
                + NumberFormatting.column("I²", 9, right: true),
        ]
        for r in rows {
            out.append(
                NumberFormatting.column(
                    NumberFormatting.column(input.studies[r.omitted], labelWidth)
                        + interval(r.estimate.estimate, r.estimate.ciLower, r.estimate.ciUpper), labelWidth + 34)
                    + NumberFormatting.column(NumberFormatting.fixed(r.tauSquared), 9, right: true)
                    + NumberFormatting.column(NumberFormatting.percent(r.heterogeneity.iSquared), 9, right: true))
        }
        return out
    }

    private func subgroupTable(_ s: Subgroups.Result, _ labelWidth: Int) -> [String] {
        var out = [
            "Subgroups by \(input.groupColumn ?? "group")",
            NumberFormatting.column("Subgroup", labelWidth) + NumberFormatting.column("Estimate", 9, right: true)
                + "  95% CI" + String(repeating: " ", count: 18) + NumberFormatting.column("k", 5, right: true)
                + NumberFormatting.column("tau²", 9, right: true) + NumberFormatting.column("I²", 9, right: true),
        ]
        for g in s.groups {
            let e = g.model.estimate
            out.append(
                NumberFormatting.column(
                    NumberFormatting.column(g.name, labelWidth)
                        + interval(e.estimate, e.ciLower, e.ciUpper), labelWidth + 34)
                    + NumberFormatting.column("\(g.members.count)", 5, right: true)
                    + NumberFormatting.column(NumberFormatting.fixed(g.model.tauSquared), 9, right: true)
                    + NumberFormatting.column(NumberFormatting.percent(g.model.heterogeneity.iSquared), 9, right: true))
        }
        out.append(
            "Test for subgroup differences: Q = \(NumberFormatting.fixed(s.qBetween, 4)) (df = \(s.degreesOfFreedom)), "
                + NumberFormatting.pClause(s.p))
        return out
    }
}
