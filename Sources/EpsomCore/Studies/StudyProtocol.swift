import Foundation

/// A registered study's protocol: the whole `StudyDesign`, the randomisation and the analysis,
/// fixed before the first participant enrols, as canonical JSON and its SHA-256 (as a personal
/// trial's `TrialProtocol`).
///
/// - The JSON text itself is stored, so anyone can check the hash with `sha256sum`. It holds no
///   personal data and no allocation (each participant's seed is theirs, in their own trial's
///   protocol), so the public registration page shows it whole.
/// - An amendment is a new protocol with the next number, the reason, and the previous one's
///   hash. The chain can be followed back to the registration, and nothing is rewritten.
/// - The consent version is the SHA-256 of the information sheet and the consent text. A
///   participant's consent records it, so it is known which text each person agreed to.
public struct StudyProtocol: Sendable, Equatable {
    public var json: String
    public var sha256: String

    public init(design: StudyDesign, registeredOn: CalendarDate, amendment: Amendment? = nil) {
        let document = Document(
            format: "epsom-study-protocol/1", amendment: amendment?.number ?? 0, amendedOn: amendment?.date,
            reason: amendment?.reason, previousSha256: amendment?.previousSha256, registeredOn: registeredOn,
            design: design, consentSha256: Self.consentHash(design), randomisation: Self.randomisation,
            analysis: Self.analysis)
        let data = (try? WireJSON.encoder().encode(document)) ?? Data()
        json = String(decoding: data, as: UTF8.self)
        sha256 = Digest.sha256Hex(json)
    }

    /// A protocol as stored.
    public init(json: String, sha256: String) {
        self.json = json
        self.sha256 = sha256
    }

    /// What changes a registered protocol: the next number, when, why, and what it replaces.
    public struct Amendment: Sendable, Equatable {
        public var number: Int
        public var date: CalendarDate
        public var reason: String
        public var previousSha256: String

        public init(number: Int, date: CalendarDate, reason: String, previousSha256: String) {
            self.number = number
            self.date = date
            self.reason = reason
            self.previousSha256 = previousSha256
        }

        /// The reason an investigator gives: required, at most 2,000 characters.
        public static func validatedReason(_ text: String?) throws(FieldErrors) -> String {
            let reason = text?.trimmingSpaces() ?? ""
            var errors = FieldErrors()
            if reason.isEmpty { errors.add("reason", "say why the protocol changes; the reason is published with the amendment") }
            if reason.count > 2_000 { errors.add("reason", "must be at most 2000 characters") }
            try errors.check()
            return reason
        }
    }

    /// The consent version: SHA-256 of the information sheet, a blank line, and the consent text.
    public static func consentHash(_ design: StudyDesign) -> String {
        Digest.sha256Hex(design.informationSheet + "\n\n" + design.consentText)
    }

    public static let randomisation =
        "Each participant's own trial: a seed drawn at enrolment and stored with it; "
        + TrialProtocol.randomisation
    public static let analysis =
        "Each participant: " + TrialProtocol.analysis
        + " The series: two-stage normal-normal pooling of the participants' posterior means and "
        + "variances per contrast, tau integrated out exactly (Epsom methods, the series section)."

    struct Document: Encodable {
        var format: String
        var amendment: Int
        var amendedOn: CalendarDate?
        var reason: String?
        var previousSha256: String?
        var registeredOn: CalendarDate
        var design: StudyDesign
        var consentSha256: String
        var randomisation, analysis: String
    }
}
