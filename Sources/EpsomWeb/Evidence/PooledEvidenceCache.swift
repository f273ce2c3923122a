import EpsomCore

/// The pooled users' trials are recomputed at most once per `lifetime` seconds per process: the
/// evidence page is public, and each recomputation runs the N-of-1 model on every consenting
/// trial. The cache holds only the published aggregate (no person's data), so keeping it in
/// process memory shares nothing that must live in the database.
actor PooledEvidenceCache {
    let lifetime: Int
    private var value: (computedAt: Int, comparisons: [PooledEvidence.Comparison])?

    init(lifetime: Int) { self.lifetime = lifetime }

    func comparisons(now: Int, compute: @Sendable () async throws -> [PooledEvidence.Comparison]) async throws
        -> [PooledEvidence.Comparison]
    {
        if let value, now - value.computedAt < lifetime { return value.comparisons }
        let fresh = try await compute()
        value = (now, fresh)
        return fresh
    }
}
