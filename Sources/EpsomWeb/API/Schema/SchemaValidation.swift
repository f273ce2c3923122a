import Foundation

extension JSONSchema {
    /// What is wrong with `value` by this schema, as field messages keyed by path ("pain",
    /// "side_effects[1]"); empty when it conforms. `components` resolves references. Formats
    /// (date, date-time) are left to the domain's parsers, which say more.
    func violations(of value: JSONValue, components: [String: JSONSchema], at path: String = "") -> [String: String] {
        if let reference {
            let name = String(reference.dropFirst("#/components/schemas/".count))
            guard let target = components[name] else { return [path: "cannot be checked (no schema \(name))"] }
            return target.violations(of: value, components: components, at: path)
        }
        let key = path.isEmpty ? "body" : path
        // No type: any value (a schema such as `{}`).
        guard let kind else { return [:] }
        if !Self.matches(value, kind) { return [key: "must be \(Self.describe(kind)), not \(value.typeName)"] }
        var found: [String: String] = [:]
        switch value {
        case .string(let text):
            if let choices, !choices.contains(text) { found[key] = "must be one of: " + choices.joined(separator: ", ") }
            let length = text.unicodeScalars.count
            if let minLength, length < minLength {
                found[key] = minLength == 1 ? "must not be empty" : "must have at least \(minLength) characters"
            }
            if let maxLength, length > maxLength { found[key] = "must have at most \(maxLength) characters" }
        case .number(let n):
            if let minimum, n < minimum { found[key] = range }
            if let maximum, n > maximum { found[key] = range }
        case .array(let elements):
            if let element = items.first {
                for (i, e) in elements.enumerated() {
                    found.merge(element.violations(of: e, components: components, at: "\(path)[\(i)]")) { a, _ in a }
                }
            }
        case .object(let object):
            for name in required where object[name] == nil { found[Self.join(path, name)] = "is required" }
            for (name, member) in object.sorted(by: { $0.key < $1.key }) {
                if let schema = property(name) {
                    found.merge(schema.violations(of: member, components: components, at: Self.join(path, name))) { a, _ in a }
                } else if let other = additional.first {
                    found.merge(other.violations(of: member, components: components, at: Self.join(path, name))) { a, _ in a }
                } else {
                    found[Self.join(path, name)] =
                        "is not a field of this request (its fields: \(properties.map(\.name).joined(separator: ", ")))"
                }
            }
        case .bool, .null:
            break
        }
        return found
    }

    private var range: String {
        switch (minimum, maximum) {
        case (let low?, let high?): "must be from \(Self.number(low)) to \(Self.number(high))"
        case (let low?, nil): "must be at least \(Self.number(low))"
        case (nil, let high?): "must be at most \(Self.number(high))"
        case (nil, nil): "is out of range"
        }
    }

    private static func number(_ n: Double) -> String { n.rounded() == n && abs(n) < 1e15 ? String(Int(n)) : String(n) }

    private static func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : path + "." + name }

    private static func matches(_ value: JSONValue, _ kind: Kind) -> Bool {
        switch (kind, value) {
        case (.string, .string), (.boolean, .bool), (.array, .array), (.object, .object): true
        case (.number, .number(let n)): n.isFinite
        case (.integer, .number(let n)): n.isFinite && n.rounded() == n
        default: false
        }
    }

    private static func describe(_ kind: Kind) -> String {
        switch kind {
        case .string: "a string"
        case .integer: "a whole number"
        case .number: "a number"
        case .boolean: "true or false"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
