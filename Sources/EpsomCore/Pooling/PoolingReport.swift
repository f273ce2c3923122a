import Foundation

/// Pooled N-of-1 results read from CSV (`participant,estimate,variance`: each person's contrast,
/// arm − reference, and its posterior variance), analysed with the hierarchical model.
public struct PoolingReport: Sendable, Equatable {
    public var participants: [String]
    public var result: HierarchicalPooling.Result
    public var mcid: Double

    public init(table: CSVTable, mcid: Double = 1, tauPrior: HierarchicalPooling.TauPrior = .halfNormal(scale: 2))
        throws(InputError)
    {
        guard table.rowCount > 0 else { throw InputError(message: "the file has a header but no participants") }
        let reader = ColumnReader(table: table)
        let names = try reader.uniqueLabels("participant")
        let estimates = try reader.numbers("estimate"), variances = try reader.numbers("variance")
        for (i, v) in variances.enumerated() where v <= 0 {
            throw InputError(line: table.line(i), column: "variance", message: "must be positive")
        }
        do {
            result = try HierarchicalPooling.pool(estimates: estimates, variances: variances, mcid: mcid, tauPrior: tauPrior)
        } catch let error as NOf1Error {
            throw InputError(message: error.message)
        } catch {
            throw InputError(message: "\(error)")
        }
        participants = names
        self.mcid = mcid
    }

    public struct JSON: Codable, Sendable, Equatable {
        public struct Participant: Codable, Sendable, Equatable {
            public var participant: String
            public var estimate, shrunken: Double
        }
        public var k: Int
        public var muMean, muCiLower, muCiUpper, tauMean, tauMedian, pNewBenefit, pNewMcid: Double
        public var participants: [Participant]
    }

    public var json: JSON {
        let r = result
        return JSON(
            k: r.k, muMean: r.muMean, muCiLower: r.muCILower, muCiUpper: r.muCIUpper, tauMean: r.tauMean,
            tauMedian: r.tauMedian, pNewBenefit: r.probabilityNewBenefit, pNewMcid: r.probabilityNewBeyondMCID,
            participants: zip(participants, r.participants).map {
                .init(participant: $0, estimate: $1.estimate, shrunken: $1.shrunken)
            })
    }

    public func jsonText() throws -> String {
        try JSONStream.text(json)
    }

    public var text: String {
        let r = result
        var out = ["Pooled N-of-1 trials (k = \(r.k)); normal–normal hierarchical model, tau integrated out exactly", ""]
        out.append(
            "Average effect μ: \(NumberFormatting.fixed(r.muMean, 3)) (95% interval \(NumberFormatting.fixed(r.muCILower, 3)) "
                + "to \(NumberFormatting.fixed(r.muCIUpper, 3)))")
        out.append("Between-person SD τ: mean \(NumberFormatting.fixed(r.tauMean, 3)), median \(NumberFormatting.fixed(r.tauMedian, 3))")
        out.append(
            "For a new person: P(benefit) = \(NumberFormatting.fixed(r.probabilityNewBenefit, 3)); "
                + "P(benefit beyond \(NumberFormatting.trimmed(mcid))) = \(NumberFormatting.fixed(r.probabilityNewBeyondMCID, 3))")
        out.append("")
        out.append(
            NumberFormatting.column("Participant", 24) + NumberFormatting.column("Estimate", 10, right: true)
                + NumberFormatting.column("Shrunken", 10, right: true))
        for (name, p) in zip(participants, r.participants) {
            out.append(
                NumberFormatting.column(name, 24) + NumberFormatting.column(NumberFormatting.fixed(p.estimate, 3), 10, right: true)
                    + NumberFormatting.column(NumberFormatting.fixed(p.shrunken, 3), 10, right: true))
        }
        return out.joined(separator: "\n") + "\n"
    }
}
