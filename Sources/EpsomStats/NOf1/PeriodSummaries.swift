/// The plain, model-free summaries shown beside the Bayesian result for transparency.
enum PeriodSummaries {
    struct Period {
        var arm: Int
        var outcomes: [Double]
    }

    /// Periods in time order, each with its analysed outcomes in day order.
    static func periods(_ series: NOf1Series) -> [Period] {
        var order: [Int] = []
        var byID: [Int: Period] = [:]
        for i in 0..<series.count {
            let id = series.periods[i]
            if byID[id] == nil {
                order.append(id)
                byID[id] = Period(arm: series.arms[i], outcomes: [])
            }
            byID[id]!.outcomes.append(series.outcomes[i])
        }
        return order.map { byID[$0]! }
    }

    /// Per cycle (the c-th period of each arm), the difference of period means, with a t interval.
    static func comparisons(_ series: NOf1Series, level: Double) -> [PeriodComparison] {
        let all = periods(series)
        func means(_ arm: Int) -> [Double] {
            all.filter { $0.arm == arm }.map { $0.outcomes.reduce(0, +) / Double($0.outcomes.count) }
        }
        let reference = means(0)
        return (1..<series.armCount).map { arm in
            let differences = zip(means(arm), reference).map { $0 - $1 }
            let (mean, lower, upper) = tInterval(differences, level: level)
            return PeriodComparison(
                arm: series.armNames[arm], reference: series.armNames[0],
                differences: differences, mean: mean, ciLower: lower, ciUpper: upper)
        }
    }

    static func carryOver(_ series: NOf1Series, days early: Int, level: Double) -> [CarryOverCheck] {
        let all = periods(series).dropFirst()
        return (0..<series.armCount).map { arm in
            let differences = all.filter { $0.arm == arm && $0.outcomes.count > early }.map { period -> Double in
                let head = period.outcomes.prefix(early), tail = period.outcomes.dropFirst(early)
                return head.reduce(0, +) / Double(head.count) - tail.reduce(0, +) / Double(tail.count)
            }
            let (mean, lower, upper) = tInterval(differences, level: level)
            return CarryOverCheck(
                arm: series.armNames[arm], periods: differences.count, meanDifference: mean,
                ciLower: lower, ciUpper: upper)
        }
    }

    /// Mean and t interval (nil below two values).
    static func tInterval(_ values: [Double], level: Double) -> (Double, Double?, Double?) {
        let m = Double(values.count)
        guard m >= 1 else { return (0, nil, nil) }
        let mean = values.reduce(0, +) / m
        guard m >= 2 else { return (mean, nil, nil) }
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (m - 1)).squareRoot()
        let half = StudentT.quantile(1 - (1 - level) / 2, degreesOfFreedom: m - 1) * sd / m.squareRoot()
        return (mean, mean - half, mean + half)
    }
}
