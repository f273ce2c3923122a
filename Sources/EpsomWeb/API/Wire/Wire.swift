import EpsomCore
import EpsomStorage

/// The JSON API's wire types: one Swift type per request and response body, camelCase here and
/// snake_case on the wire (`WireJSON`), with the document's schema read from each type
/// (`SchemaRegistry`). Component names drop the namespace: `Wire.DiaryEntry` is "DiaryEntry".
enum Wire {
    /// The day the examples are set on: 2026-11-07.
    static let exampleDay = CalendarDate(dayNumber: 20_764)
}

/// The error every endpoint answers with a 4xx or 5xx.
extension Wire {
    struct Error: WireModel, Equatable {
        struct Detail: Codable, Sendable, Equatable {
            var message: String
            /// Field (or "line N: field") → what is wrong with it.
            var fields: [String: String]?
        }
        var error: Detail

        static let summary = "An error: a message, and for invalid input each field with what is wrong with it."
        static let example = Error(
            error: Detail(message: "Some fields are not valid.", fields: ["pain": "must be a whole number from 0 to 10"]))
    }
}

// The closed sets of values, as the schema's enums.
extension Route: SchemaEnum {}
extension DoseUnit: SchemaEnum {}
extension Role: SchemaEnum {}
extension DiaryEntry.SideEffect: SchemaEnum {}
extension TrialDay.Adherence: SchemaEnum {}
extension Trial.Status: SchemaEnum {}
extension Study.Status: SchemaEnum {}
extension TrialOutcome: SchemaEnum {}
extension TrialTemplate: SchemaEnum {}
extension LabelStrength.Basis: SchemaEnum {}
extension SafetyProfile.Medicine: SchemaEnum {}

extension CalendarDate: SchemaLeaf {
    static var schema: JSONSchema { .date }
    static var placeholder: CalendarDate { CalendarDate.accepted.lowerBound }
}
