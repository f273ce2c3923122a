import Foundation

/// A FHIR Bundle's entries as they are added, each with a stable UUID derived from the bundle's
/// `namespace` and the entry's key (`TrialFHIR.uuid`), so the same records export the same ids;
/// then the Bundle (type collection) as pretty JSON with sorted keys. `TrialFHIR` and `StudyFHIR`
/// build their bundles with it.
struct FHIREntries {
    let namespace: String
    private(set) var entries: [[String: Any]] = []

    init(namespace: String) { self.namespace = namespace }

    /// Adds `resource` with its id; returns its full URL ("urn:uuid:…") for references.
    @discardableResult
    mutating func add(_ resource: [String: Any], key: String) -> String {
        let id = TrialFHIR.uuid(namespace + "/" + key)
        var r = resource
        r["id"] = id
        entries.append(["fullUrl": url(key), "resource": r])
        return url(key)
    }

    /// The full URL the entry added under `key` has (or will have), to refer to it before it is added.
    func url(_ key: String) -> String { "urn:uuid:" + TrialFHIR.uuid(namespace + "/" + key) }

    /// The Bundle of type collection with these entries.
    /// - Parameter timestamp: the Bundle's instant, ISO 8601 with time zone.
    func bundle(id: String, timestamp: String) -> String {
        let bundle: [String: Any] = [
            "resourceType": "Bundle", "id": id, "type": "collection", "timestamp": timestamp, "entry": entries,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: bundle, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]))
        return String(decoding: data ?? Data(), as: UTF8.self)
    }
}
