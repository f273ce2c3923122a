import EpsomCore
import Foundation
import Hummingbird

/// Cursor paging for the list endpoints (diary, doses, trials): `limit` records at most per page
/// (default 200, at most 1000) and, while more follow, a `next_cursor` to pass back as `cursor`.
/// A cursor is opaque to clients: base64url of the last record's sort key, so that a page starts
/// exactly after the previous one whatever was added or deleted meanwhile.
struct Paging {
    static let defaultLimit = 200
    static let maximumLimit = 1000
    static let parameters: [Endpoint.Parameter] = {
        var limit = JSONSchema.integer
        limit.minimum = 1
        limit.maximum = Double(maximumLimit)
        var cursor = JSONSchema.string
        cursor.minLength = 1
        cursor.maxLength = 200
        return [
            .query("limit", limit, "Records per page, 1 to \(maximumLimit) (default \(defaultLimit))."),
            .query("cursor", cursor, "The next_cursor of the previous page, as it was given."),
        ]
    }()

    var limit: Int
    /// The sort key the previous page ended at, decoded from `cursor`.
    var after: String?

    init(_ request: Request) throws {
        var errors = FieldErrors()
        limit = Self.defaultLimit
        if let text = request.uri.queryParameters.get("limit") {
            if let n = Int(text), (1...Self.maximumLimit).contains(n) {
                limit = n
            } else {
                errors.add("limit", "must be a whole number from 1 to \(Self.maximumLimit)")
            }
        }
        if let text = request.uri.queryParameters.get("cursor") {
            after = Self.decode(String(text))
            if after == nil { errors.add("cursor", "is not a cursor this list gave (pass next_cursor back as it is)") }
        }
        if !errors.isEmpty { throw APIError.invalid(errors) }
    }

    /// One page of `fetched` (asked for with `limit + 1`, so one more tells that more follow),
    /// and the cursor to the next page.
    func page<Record>(_ fetched: [Record], key: (Record) -> String) -> (records: [Record], nextCursor: String?) {
        guard fetched.count > limit else { return (fetched, nil) }
        let records = Array(fetched.prefix(limit))
        return (records, records.last.map { Self.encode(key($0)) })
    }

    /// A cursor that names a record the list no longer reads as written: 422 on the field.
    static var invalidCursor: APIError { APIError.invalid(FieldErrors(["cursor": "is not a cursor this list gave"])) }

    static func encode(_ key: String) -> String {
        Data(key.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) -> String? {
        var text = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        guard cursor.count <= 200, let data = Data(base64Encoded: text) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
