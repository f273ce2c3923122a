import EpsomStats
import Foundation

// Times EpsomStats on data files written by scripts/bench/make_data.py, excluding file parsing,
// and prints one line per workload: "epsom <workload> <median ms> <runs>".
//
//   epsom-bench DATA_DIR

func readColumns(_ path: String) -> [String: [Double]] {
    let text = try! String(contentsOfFile: path, encoding: .utf8)
    var lines = text.split(separator: "\n")
    let header = lines.removeFirst().split(separator: ",").map(String.init)
    var columns = [[Double]](repeating: [], count: header.count)
    for line in lines {
        for (j, field) in line.split(separator: ",").enumerated() { columns[j].append(Double(field)!) }
    }
    return Dictionary(uniqueKeysWithValues: zip(header, columns))
}

/// Median wall time of `body` over at least 5 runs and at least one second.
func time(_ name: String, _ body: () throws -> Void) rethrows {
    var samples: [Double] = []
    let clock = ContinuousClock()
    var total = Duration.zero
    while samples.count < 5 || (total < .seconds(1) && samples.count < 200) {
        let elapsed = try clock.measure(body)
        total += elapsed
        samples.append(Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15)
    }
    samples.sort()
    print("epsom \(name) \(String(format: "%.3f", samples[samples.count / 2])) \(samples.count)")
}

let directory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "bench-data"
for k in [1_000, 10_000, 100_000, 1_000_000] {
    let data = readColumns("\(directory)/generic_\(k).csv")
    let (y, v) = (data["yi"]!, data["vi"]!)
    for method in [TauSquaredEstimator.restrictedMaximumLikelihood, .derSimonianLaird, .pauleMandel] {
        try time("\(method.rawValue.lowercased())_k\(k)") {
            let fit = try MetaAnalysis.fit(y: y, v: v, options: .init(method: method))
            precondition(fit.k == k)
        }
    }
}
let means = readColumns("\(directory)/means_1000000.csv")
let input = EffectSizes.Means(
    m1i: means["m1i"]!, sd1i: means["sd1i"]!, n1i: means["n1i"]!,
    m2i: means["m2i"]!, sd2i: means["sd2i"]!, n2i: means["n2i"]!)
try time("smd_escalc_k1000000") {
    let es = try EffectSizes.compute(.standardizedMeanDifference, means: input)
    precondition(es.yi.count == 1_000_000)
}

// N-of-1: the 365-day, three-arm diary with a trend (the exact posterior, all summaries).
let diary = readColumns("\(directory)/nof1_365.csv")
let days = diary["day"]!.map { Int($0) }
let arms = diary["arm"]!.map { Int($0) }
var periods: [Int] = [0]
for i in 1..<days.count { periods.append(periods[i - 1] + (arms[i] != arms[i - 1] ? 1 : 0)) }
let series = NOf1Series(
    days: days, outcomes: diary["pain"]!, arms: arms, armNames: ["none", "oral", "cream"],
    periods: periods)
try time("nof1_365_3arms_trend") {
    let result = try NOf1Analysis.run(series, options: .init(trend: true))
    precondition(result.contrasts.count == 2)
}
for k in [1_000, 100_000] {
    let people = readColumns("\(directory)/pool_\(k).csv")
    try time("pool_k\(k)") {
        let pooled = try HierarchicalPooling.pool(estimates: people["estimate"]!, variances: people["variance"]!)
        precondition(pooled.k == k)
    }
}
