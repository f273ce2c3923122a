import EpsomCore
import EpsomStorage
import Foundation
import HTTPTypes
import Hummingbird

/// Publishing a closed study into the evidence pages, as the study's page does it
/// (`StudyService` holds the rules), and the published series, as `/evidence` lists them.
struct StudyPublicationAPI {
    let service: StudyService
    var store: any Store { service.store }

    var endpoints: [Endpoint] {
        [
            Endpoint(
                .put, "studies/:id/publication",
                "Publish the closed study's result into the evidence pages, or publish it anew (409 before its analysis)",
                for: .investigator, parameters: [StudiesAPI.id], body: .json(.init(Wire.PublicationInput.self)), errors: [.conflict],
                publish),
            Endpoint(
                .get, "studies/:id/publication", "The study's publication (404 when it is not published)", for: .investigator,
                parameters: [StudiesAPI.id], publication),
            Endpoint(
                .delete, "studies/:id/publication", "Withdraw the publication: it leaves the evidence pages and the workbench at once",
                for: .investigator, parameters: [StudiesAPI.id], reply: .noContent, withdraw),
            Endpoint(.get, "evidence/series", "Every published Epsom series of N-of-1 trials (not peer reviewed)", for: .anyone, list),
        ]
    }

    /// The investigator's own study named in the path; 404 for anyone else's (as the pages).
    func owned(_ context: AppRequestContext) async throws -> Study {
        guard let id = context.parameters.get("id"), let study = try await store.study(id: id, investigatorID: try context.requireSubject())
        else { throw APIError(.notFound, "No such study.") }
        return study
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Wire.Publication {
        let investigator = try context.requireIdentity().account
        let study = try await owned(context)
        let results = try await service.publishableResults(study, investigatorID: investigator.id)
        let publication = try await context.requireBody().validated(Wire.PublicationInput.self, message: "The publication is not possible.")
        {
            try service.publication(
                of: study, results: results,
                choice: StudyPublication.Choice(
                    conditionGroup: $0["condition_group"] ?? "", route: $0["route"] ?? "", salt: $0["salt"] ?? "",
                    dose: $0["dose"] ?? "", arm: $0["arm"] ?? ""),
                investigator: investigator)
        }.value
        try await service.publish(publication, investigatorID: investigator.id)
        return Wire.Publication(publication)
    }

    @Sendable func publication(_ request: Request, context: AppRequestContext) async throws -> Wire.Publication {
        let study = try await owned(context)
        guard let publication = try await store.studyPublication(studyID: study.id, investigatorID: try context.requireSubject())
        else { throw APIError(.notFound, "The study is not published.") }
        return Wire.Publication(publication)
    }

    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let study = try await owned(context)
        try await store.unpublishStudy(studyID: study.id, investigatorID: try context.requireSubject())
        return Response(status: .noContent)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Wire.PublicationList {
        Wire.PublicationList(series: try await store.studyPublications().map(Wire.Publication.init))
    }
}
