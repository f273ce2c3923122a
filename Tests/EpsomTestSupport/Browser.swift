import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A browser in process: remembers cookies, reads hidden CSRF fields, posts forms.
public final class Browser: @unchecked Sendable {
    public let client: any TestClientProtocol
    public var cookies: [String: String] = [:]
    public init(_ client: any TestClientProtocol) { self.client = client }

    @discardableResult
    public func request(_ method: HTTPRequest.Method, _ uri: String, form: [String: String]? = nil, raw: String? = nil)
        async throws -> (status: HTTPResponse.Status, body: String, location: String?)
    {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: try form.map { "\($0.key)=\(try Self.formEncoded($0.value))" }.joined(separator: "&"))
        } else if let raw {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: raw)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            for field in response.headers where field.name == .setCookie {
                let pair = field.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                let value = pair.count > 1 ? String(pair[1]) : ""
                if value.isEmpty || field.value.contains("Max-Age=0") {
                    self.cookies[String(pair[0])] = nil
                } else {
                    self.cookies[String(pair[0])] = value
                }
            }
            return (response.status, String(buffer: response.body), response.headers[.location])
        }
    }

    /// A form value percent-encoded as a browser sends it.
    public static func formEncoded(_ value: String) throws -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return try #require(value.addingPercentEncoding(withAllowedCharacters: allowed))
    }

    /// The hidden CSRF field of a page ("" when there is none).
    public static func csrf(in page: String) -> String {
        guard let range = page.range(of: "name=\"csrf\" value=\"") else { return "" }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    /// Signs up through the form and expects to land on the start page.
    public func signUp(
        _ email: String, name: String = "Pat <b>Smith</b>", role: String = "patient",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let page = try await request(.get, "/signup").body
        let done = try await request(
            .post, "/signup",
            form: [
                "csrf": Self.csrf(in: page), "name": name, "email": email,
                "password": "correct horse battery", "role": role,
            ])
        #expect(done.status == .seeOther && done.location == "/", "\(done.body)", sourceLocation: sourceLocation)
    }

    /// A new browser on `client`, signed up through the form.
    public static func signedUp(
        _ client: any TestClientProtocol, _ email: String, name: String = "Pat <b>Smith</b>",
        role: String = "patient", sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Browser {
        let browser = Browser(client)
        try await browser.signUp(email, name: name, role: role, sourceLocation: sourceLocation)
        return browser
    }

    /// Signs in through the form.
    public func signIn(_ email: String, password: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let page = try await request(.get, "/signin").body
        let done = try await request(.post, "/signin", form: ["csrf": Self.csrf(in: page), "email": email, "password": password])
        #expect(done.status == .seeOther, sourceLocation: sourceLocation)
    }
}

/// Reading pages as a person does.
public enum PageText {
    /// The text a person reads: no tags, no style or script, entities decoded.
    public static func visible(_ html: String) -> String {
        var s = html.replacing(#/<style[^>]*>[\s\S]*?</style>/#, with: " ")
        s = s.replacing(#/<script[^>]*>[\s\S]*?</script>/#, with: " ")
        s = s.replacing(#/<[^>]*>/#, with: " ")
        for (entity, char) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            s = s.replacingOccurrences(of: entity, with: char)
        }
        return s
    }

    /// The values of one attribute across a page, entities decoded (`&amp;` in a query string).
    public static func attributes(_ name: String, in html: String) throws -> [String] {
        let pattern = try Regex<(Substring, Substring)>("\\s\(name)=\"([^\"]*)\"")
        return html.matches(of: pattern).map {
            // A browser never sends the fragment (`/trials#preview`).
            String(String($0.output.1).replacingOccurrences(of: "&amp;", with: "&").prefix { $0 != "#" })
        }.filter { !$0.isEmpty }
    }

    /// The patient linked from a clinician's start page.
    public static func patientID(in clinicianList: String) throws -> String? {
        try attributes("href", in: clinicianList).first { $0.hasPrefix("/history?patient=") }
            .map { String($0.dropFirst("/history?patient=".count)) }
    }
}
