import Foundation

/// A `multipart/form-data` body (RFC 7578), as a file upload form sends it: each part's name and
/// bytes. Only what Epsom's upload form needs: no nested multiparts, no per-part charsets; a
/// repeated name keeps its last part.
struct MultipartForm: Sendable {
    private(set) var parts: [String: [UInt8]] = [:]

    /// Nil when the content type is not multipart/form-data with a boundary, or the body does not
    /// follow it.
    init?(contentType: String, body: [UInt8]) {
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.parameter("boundary", in: contentType), !boundary.isEmpty, boundary.count <= 70
        else { return nil }
        let delimiter = Array("\r\n--\(boundary)".utf8)
        // The first delimiter may open the body without a line break before it.
        let bytes = [13, 10] + body
        guard var position = bytes.firstRange(of: delimiter)?.upperBound else { return nil }
        while true {
            // After a delimiter: "--" ends the body; otherwise the rest of the line, then headers.
            if bytes[position...].starts(with: [45, 45]) { return }
            guard let lineEnd = bytes[position...].firstRange(of: [13, 10])?.upperBound,
                let headerEnd = bytes[lineEnd...].firstRange(of: [13, 10, 13, 10]),
                let next = bytes[headerEnd.upperBound...].firstRange(of: delimiter)
            else { return nil }
            let headers = String(decoding: bytes[lineEnd..<headerEnd.lowerBound], as: UTF8.self)
            if let name = Self.name(headers) { parts[name] = Array(bytes[headerEnd.upperBound..<next.lowerBound]) }
            position = next.upperBound
        }
    }

    subscript(name: String) -> [UInt8]? { parts[name] }

    /// A text field's value (UTF-8).
    func text(_ name: String) -> String? { parts[name].map { String(decoding: $0, as: UTF8.self) } }

    /// The `name` of a part's Content-Disposition header.
    static func name(_ headers: String) -> String? {
        for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            return parameter("name", in: String(line))
        }
        return nil
    }

    /// `key=value` or `key="value"` among a header's `;`-separated parameters.
    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
