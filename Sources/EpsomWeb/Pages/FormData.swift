import Foundation
import HTTPTypes
import Hummingbird

/// An `application/x-www-form-urlencoded` body. Repeated keys (checkboxes) keep every value.
struct FormData: Sendable {
    var values: [String: [String]] = [:]

    init(request: Request, maximumBytes: Int = 2 * 1024 * 1024) async throws {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maximumBytes)
        } catch {
            throw APIError(.contentTooLarge, "The form is too large.")
        }
        self.init(encoded: String(buffer: body))
        try ControlCharacters.check(fields)
    }

    /// Line breaks come as CRLF from a browser's textarea (the HTML standard says so), and in
    /// Swift "\r\n" is one Character, which a split on "\n" never finds: every value's line breaks
    /// are made "\n" here, once, so that no validator sees a CRLF.
    init(encoded: String) {
        for pair in encoded.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let text = String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
                return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            }
            let key = decode(parts[0])
            values[key, default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    subscript(key: String) -> String? { values[key]?.last }

    /// Single-valued fields, the shape the validators take.
    var fields: [String: String] { values.compactMapValues(\.last) }

    func all(_ key: String) -> [String] { values[key] ?? [] }
}

/// Text fields refuse control characters other than tab and line breaks, the same on both
/// databases: PostgreSQL rejects NUL (a 500 with an empty body before), and SQLite cut "a\u{0}b"
/// to "a". Checked where forms and JSON bodies are read, so every field of every route is covered.
enum ControlCharacters {
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        !((scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0x7F)
    }

    static func check(_ fields: [String: String]) throws {
        let bad = fields.filter { !$0.value.unicodeScalars.allSatisfy(isAllowed) }.keys.sorted()
        guard let first = bad.first else { return }
        throw APIError(
            .unprocessableContent,
            "The field “\(first)” contains a control character; only tab and line breaks are allowed in text.",
            fields: Dictionary(
                uniqueKeysWithValues: bad.map { ($0, "must not contain control characters (tab and line breaks are allowed)") }))
    }
}

/// Cookies Epsom sets: HttpOnly always, SameSite=Lax, Secure unless turned off for plain-HTTP
/// development.
enum Cookies {
    static let preSessionCSRF = "epsom_csrf"

    static func session(_ token: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(
            name: AuthenticationMiddleware.cookieName, value: token, maxAge: maxAge, path: "/", secure: secure, httpOnly: true,
            sameSite: .lax)
    }

    static func expired(_ name: String, secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    static func csrf(_ token: String, secure: Bool) -> Cookie {
        Cookie(name: preSessionCSRF, value: token, maxAge: 3600, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

extension Response {
    static func html(_ body: HTML, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.text)))
    }

    /// 303 See Other: after a successful POST the browser GETs the page (no resubmission).
    static func seeOther(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        return Response(status: .seeOther, headers: headers)
    }
}
