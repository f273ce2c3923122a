/// The verdict as a picture a person takes in at a glance: one bar split into the chance that the
/// arm helps by at least the smallest difference that matters, the chance that it helps by less,
/// and the chance that it does not help. 360 units wide with 13-unit text, legible on a phone.
public struct VerdictBar {
    let verdict: Verdict
    let mcid: Double

    public init(verdict: Verdict, mcid: Double) {
        self.verdict = verdict
        self.mcid = mcid
    }

    /// Nil when there is too little data: no picture of a probability that is not there.
    public var svg: String? {
        guard let benefit = verdict.probabilityOfBenefit, let beyond = verdict.probabilityBeyondMCID else { return nil }
        let width = 360.0, left = 8.0, right = width - 8, top = 30.0, height = 28.0
        var svg = SVG(width: width, height: top + height + 76)
        svg.text(left, 18, "\(Verdict.capitalized(verdict.arm)) compared with \(verdict.reference)", size: 13, weight: "bold")
        let points = NumberFormatting.trimmed(mcid)
        let parts: [(Double, String, String)] = [
            (beyond, "#2e7d32", "helps by \(points) point\(mcid == 1 ? "" : "s") or more"),
            (max(0, benefit - beyond), "#a5d6a7", "helps by less"),
            (max(0, 1 - benefit), "#cfd8dc", "does not help"),
        ]
        var x = left
        for (p, color, _) in parts where p > 0 {
            let w = p * (right - left)
            svg.rect(x, top, w, height, fill: color)
            x += w
        }
        for (i, (p, color, label)) in parts.enumerated() {
            let y = top + height + 20 + 18 * Double(i)
            svg.rect(left, y - 11, 12, 12, fill: color)
            svg.text(left + 18, y, "\(label): \(NOf1Report.chance(p))", size: 13)
        }
        return svg.document(title: "Chance that \(verdict.arm) helps compared with \(verdict.reference)")
    }
}
