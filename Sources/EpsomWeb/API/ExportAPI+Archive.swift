import EpsomCore
import EpsomStorage
import Foundation
import Hummingbird

/// Taking an export back in: `POST /api/v1/import` and the Account page's upload both restore the
/// `archive` of an export document through `restore(_:into:store:)`.
extension ExportAPI {
    /// The largest export document taken back in.
    static let maximumArchiveBytes = 32 * 1024 * 1024

    /// The export document as read back: only its `archive` counts; the readable sections beside
    /// it (account, diary, doses, products, trials) are ignored.
    struct ImportDocument: Decodable {
        var archive: AccountArchive?
    }

    @Sendable func importArchive(_ request: Request, context: AppRequestContext) async throws -> Wire.RestoreResult {
        let account = try context.requireIdentity().account
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maximumArchiveBytes)
        } catch {
            throw APIError(.contentTooLarge, "The export is larger than \(Self.maximumArchiveBytes / 1024 / 1024) MB.")
        }
        return try await Self.restore(Data(buffer: buffer), into: account, store: store)
    }

    /// Reads and checks an export document off the request's task (decoding and hashing a large
    /// archive is CPU work), then restores its archive into the account in one transaction.
    /// Throws `APIError`: 422 naming each bad field (nothing written), 409 naming each record
    /// that already exists (nothing written).
    static func restore(_ data: Data, into account: Account, store: any Store) async throws -> Wire.RestoreResult {
        let checked = try await Task.detached(priority: .medium) { () throws(APIError) -> AccountArchive in
            try checkedArchive(data)
        }.value
        do {
            try await store.restore(checked, accountID: account.id)
        } catch let conflict as ArchiveConflict {
            throw APIError(
                .conflict, "\(conflict.fields.count) record(s) of the archive already exist; nothing was imported.",
                fields: conflict.fields)
        }
        return Wire.RestoreResult(
            diary: checked.diary.count, doses: checked.doses.count, products: checked.products.count,
            trials: checked.trials.count, shares: checked.shares.count)
    }

    static func checkedArchive(_ data: Data) throws(APIError) -> AccountArchive {
        let document: ImportDocument
        do {
            document = try WireJSON.decoder().decode(ImportDocument.self, from: data)
        } catch {
            var (field, message) = AccountArchive.describe(error)
            // Fields are named inside the archive, as the 422 of a bad value is.
            field = field == "archive" ? "" : field.hasPrefix("archive.") ? String(field.dropFirst("archive.".count)) : field
            throw APIError(
                .unprocessableContent, "The archive could not be read; nothing was imported.",
                fields: [field.isEmpty ? "archive" : field: message])
        }
        guard let archive = document.archive else {
            throw APIError(
                .unprocessableContent, "The document has no archive; nothing was imported.",
                fields: ["archive": "is required: upload the JSON that GET /api/v1/export (Account, everything) gave you"])
        }
        do {
            return try archive.validated(isAllowed: ControlCharacters.isAllowed)
        } catch {
            throw APIError(
                .unprocessableContent, "\(error.messages.count) problem(s) found in the archive; nothing was imported.",
                fields: error.messages)
        }
    }
}
