import EpsomCore
import EpsomStorage
import HTTPTypes
import Hummingbird
import Logging

/// Builds the router: middleware, the JSON API, the OpenAPI document and the pages. Tests call
/// this same function with their own store and clock.
public func buildRouter(store: any Store, configuration: AppConfiguration, clock: AppClock = .live) async throws
    -> Router<AppRequestContext>
{
    // HEAD is answered like GET, without the body (monitors and link checkers send it).
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: SecurityHeadersMiddleware(servedOverTLS: configuration.publicBaseURL.hasPrefix("https://")))
    router.add(middleware: AuthenticationMiddleware(store: store, now: clock.now, idleSeconds: configuration.sessionIdleSeconds))
    router.add(middleware: ErrorPageMiddleware())

    let passwords = Passwords(cost: configuration.bcryptCost)
    let decoyHash = try await passwords.decoyHash()
    let sessions = SessionIssuer(store: store, lifetime: configuration.sessionLifetimeSeconds, now: clock.now)
    let limiter = SignInLimiter(store: store, now: clock.now)
    let endpoints = apiEndpoints(
        store: store, passwords: passwords, decoyHash: decoyHash, sessions: sessions, clock: clock,
        limiter: limiter)
    try Endpoint.register(endpoints, on: router.group("api/v1"), store: store)
    let document = try OpenAPIDocument.data(endpoints)
    router.get("openapi.json") { _, _ in OpenAPIDocument.response(document) }
    router.get("healthz") { _, _ in "ok" }
    router.get("style.css") { _, _ in Layout.stylesheet() }
    // Ready means the database answers: a load balancer stops sending people here while it does
    // not, and sends them back when it does again (no restart needed).
    router.get("readyz") { request, context -> Response in
        do {
            try await store.ping()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
        } catch {
            var response = try APIError(.serviceUnavailable, "The database cannot be reached; try again shortly.")
                .response(from: request, context: context)
            response.headers[.retryAfter] = "5"
            return response
        }
    }

    AuthPages(
        store: store, passwords: passwords, decoyHash: decoyHash, limiter: limiter, sessions: sessions,
        secureCookies: configuration.secureCookies
    ).addRoutes(to: router)
    HomePage(store: store, clock: clock).addRoutes(to: router)
    DosesPage(store: store, clock: clock).addRoutes(to: router)
    HistoryPage(store: store, clock: clock).addRoutes(to: router)
    AccountPage(
        store: store, secureCookies: configuration.secureCookies, clock: clock,
        sessionIdleSeconds: configuration.sessionIdleSeconds
    ).addRoutes(to: router)
    let trials = TrialService(store: store, clock: clock)
    TrialsPage(service: trials, powerSimulations: configuration.powerSimulations).addRoutes(to: router)
    TrialPage(service: trials, secureCookies: configuration.secureCookies, publicBaseURL: configuration.publicBaseURL).addRoutes(to: router)
    TrialReportPage(service: trials).addRoutes(to: router)
    StudiesPage(store: store, clock: clock).addRoutes(to: router)
    PharmacyPage(store: store, clock: clock).addRoutes(to: router)
    StudyExports(store: store, clock: clock).addRoutes(to: router)
    StudyReportPage(store: store, clock: clock).addRoutes(to: router)
    RegistryPage(store: store).addRoutes(to: router)
    JoinPage(store: store, clock: clock).addRoutes(to: router)
    EvidencePage(catalogue: .bundled, trials: trials, cache: PooledEvidenceCache(lifetime: configuration.pooledEvidenceCacheSeconds))
        .addRoutes(to: router)
    WorkbenchPage(
        catalogue: .bundled, store: store, secureCookies: configuration.secureCookies,
        limiter: WorkbenchLimiter(store: store, now: clock.now)
    ).addRoutes(to: router)
    return router
}

/// The JSON API, in documentation order.
func apiEndpoints(
    store: any Store, passwords: Passwords, decoyHash: String, sessions: SessionIssuer, clock: AppClock,
    limiter: SignInLimiter
)
    -> [Endpoint]
{
    AccountsAPI(store: store, passwords: passwords, decoyHash: decoyHash, limiter: limiter, sessions: sessions).endpoints
        + DiaryAPI(store: store, today: clock.today).endpoints
        + DosesAPI(store: store, today: clock.today).endpoints
        + ExportAPI(store: store, today: clock.today).endpoints
        + TrialsAPI(service: TrialService(store: store, clock: clock)).endpoints
        + StudiesAPI(service: StudyService(store: store, clock: clock)).endpoints
        + StudyPublicationAPI(service: StudyService(store: store, clock: clock)).endpoints
}

/// The application for `epsom serve`, over an already opened store.
public func buildApplication(store: any Store, configuration: AppConfiguration, logger: Logger, clock: AppClock = .live)
    async throws -> some ApplicationProtocol
{
    let router = try await buildRouter(store: store, configuration: configuration, clock: clock)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Epsom"),
        services: [
            SessionPurgeService(store: store, idleSeconds: configuration.sessionIdleSeconds, now: clock.now, logger: logger),
            StudyResultsService(store: store, clock: clock, logger: logger),
        ],
        logger: logger)
}
