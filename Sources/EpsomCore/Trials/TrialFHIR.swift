import Crypto
import Foundation

/// The trial as a FHIR R4 (4.0.1) Bundle of type "collection":
/// - Patient: the participant, with no name, email or other identifier;
/// - ResearchStudy: title, arms, period, status, and the protocol's SHA-256 as an identifier;
/// - ResearchSubject: the participant in the study;
/// - DocumentReference: the frozen protocol (and each amendment) as JSON; while a blinded trial
///   is running it carries only the hash, as the JSON would reveal the allocation;
/// - Observation per diary day: pain as LOINC 72514-3 (0–10 numeric rating), the two PEG
///   interference items (91145-3, 91146-1) when answered, with the day's arm and washout flag
///   as extensions and the study through the core workflow-researchStudy extension;
/// - Observation per adherence answer (yes / partly / no, and the amount).
/// `scripts/fhir/validate_bundle.py` checks a bundle against the R4 models (fhir.resources 6.1.0).
public enum TrialFHIR {
    public static let base = "https://epsom.example/fhir"
    static let loinc = "http://loinc.org"

    /// - Parameter timestamp: the Bundle's instant, ISO 8601 with time zone.
    public static func bundle(
        _ trial: Trial, diary: [DiaryEntry], adherence: [TrialDay], today: CalendarDate,
        timestamp: String
    ) -> String {
        var entries = FHIREntries(namespace: trial.id)
        func add(_ resource: [String: Any], key: String) -> String { entries.add(resource, key: key) }
        let concealed = trial.isConcealed(today: today)
        let status = trial.status(today: today)
        let patient = add(["resourceType": "Patient", "active": true], key: "patient")
        let hashIdentifier = ["system": base + "/protocol-sha256", "value": trial.registeredProtocol.sha256]
        var period: [String: Any] = ["start": trial.design.startDate.description]
        if status == .finished || status == .stopped { period["end"] = trial.lastDay.description }
        var studyDescription =
            "Personal randomised multi-crossover (N-of-1) trial. \(trial.design.cycles) cycles of "
            + "\(trial.design.arms.count) periods of \(trial.design.periodDays) days, the order of arms randomised within every "
            + "cycle; the first \(trial.design.washoutDays) days of each period are washout (not analysed). Outcome: "
            + "\(trial.design.outcome.label); MCID \(NumberFormatting.trimmed(trial.design.mcid)) point(s). "
            + (trial.design.blinded ? "Blinded: the arms come in coded jars. " : "Open label. ")
            + "Protocol SHA-256: \(trial.registeredProtocol.sha256)."
        for a in trial.amendments {
            studyDescription += " Amendment \(a.number) (\(a.date)): \(a.change). Reason: \(a.reason). SHA-256: \(a.protocolHash)."
        }
        if let reason = trial.stopReason { studyDescription += " Stopped early: \(reason)" }
        var study: [String: Any] = [
            "resourceType": "ResearchStudy",
            "identifier": [hashIdentifier],
            "title": trial.design.title,
            "status": status == .running || status == .planned
                ? "active" : (status == .stopped ? "administratively-completed" : "completed"),
            "primaryPurposeType": [
                "coding": [
                    [
                        "system": "http://terminology.hl7.org/CodeSystem/research-study-prim-purp-type",
                        "code": "treatment",
                    ]
                ]
            ],
            "focus": [["text": "Magnesium"]],
            "condition": [["text": "Chronic pain"]],
            "description": studyDescription,
            "period": period,
            "arm": trial.design.arms.indices.map { i -> [String: Any] in
                [
                    "name": trial.armLabel(i, today: today),
                    "description": concealed ? "Concealed until the trial ends." : trial.design.arms[i].instruction,
                ]
            },
        ]
        if trial.stopReason != nil {
            study["reasonStopped"] = ["text": trial.stopReason!]
        }
        let studyURL = add(study, key: "study")
        _ = add(
            [
                "resourceType": "ResearchSubject", "status": status == .running ? "on-study" : "off-study",
                "period": period, "study": ["reference": studyURL], "individual": ["reference": patient],
            ], key: "subject")

        func protocolDocument(json: String, hash: String, title: String, key: String, replaces: String?) -> String {
            var attachment: [String: Any] = ["contentType": "application/json", "title": title]
            if !concealed { attachment["data"] = Data(json.utf8).base64EncodedString() }
            var document: [String: Any] = [
                "resourceType": "DocumentReference", "status": "current",
                "identifier": [["system": base + "/protocol-sha256", "value": hash]],
                "type": ["text": "N-of-1 trial protocol"],
                "description": concealed
                    ? "Withheld until the trial ends (it reveals the blinded allocation); the SHA-256 identifies it."
                    : "The protocol as frozen; SHA-256 of the attached JSON is the identifier.",
                "content": [["attachment": attachment]],
                "context": ["related": [["reference": studyURL]]],
            ]
            if let replaces { document["relatesTo"] = [["code": "replaces", "target": ["reference": replaces]]] }
            return add(document, key: key)
        }
        var previous = protocolDocument(
            json: trial.registeredProtocol.json, hash: trial.registeredProtocol.sha256,
            title: "protocol.json", key: "protocol", replaces: nil)
        for a in trial.amendments {
            previous = protocolDocument(
                json: a.protocolJSON, hash: a.protocolHash, title: "protocol-amendment-\(a.number).json",
                key: "protocol-\(a.number)", replaces: previous)
        }

        let days = TrialAnalysis.days(trial: trial, diary: diary, adherence: adherence, through: today)
        observations(
            days, adherence: adherence, armName: { trial.armLabel($0, today: today) }, patient: patient, study: studyURL,
            into: &entries)
        return entries.bundle(id: uuid(trial.id + "/bundle"), timestamp: timestamp)
    }

    /// The Observations of the trial's days, as the trial's bundle has them: pain and the PEG items
    /// answered that day, and the adherence answer, each about `patient` (a bundle URL), with the
    /// day's arm (`armName`) and washout flag, and the study (`study`, a bundle URL). Keys are
    /// `keyPrefix` + the item and the date, unique within `entries`' namespace.
    static func observations(
        _ days: [TrialAnalysis.Day], adherence: [TrialDay], armName: (Int) -> String, patient: String, study: String,
        keyPrefix: String = "", into entries: inout FHIREntries
    ) {
        func observation(date: CalendarDate, code: [String: Any], value: (String, Any), day: TrialAnalysis.Day) -> [String: Any] {
            [
                "resourceType": "Observation", "status": "final",
                "category": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey"]]]],
                "code": code, "subject": ["reference": patient], "performer": [["reference": patient]],
                "effectiveDateTime": date.description, value.0: value.1,
                "extension": [
                    ["url": "http://hl7.org/fhir/StructureDefinition/workflow-researchStudy", "valueReference": ["reference": study]],
                    ["url": base + "/StructureDefinition/trial-arm", "valueString": armName(day.period.arm)],
                    ["url": base + "/StructureDefinition/trial-washout-day", "valueBoolean": day.washout],
                ],
            ]
        }
        let answers = Dictionary(adherence.map { ($0.date, $0) }, uniquingKeysWith: { a, _ in a })
        for day in days {
            if let entry = day.entry {
                let items: [(String, String, Int?)] = [
                    ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported", entry.pain),
                    ("91145-3", "Interference with enjoyment of life (PEG)", entry.enjoyment),
                    ("91146-1", "Interference with general activity (PEG)", entry.activity),
                ]
                for (code, display, value) in items {
                    guard let value else { continue }
                    let concept: [String: Any] = ["coding": [["system": loinc, "code": code, "display": display]], "text": display]
                    _ = entries.add(
                        observation(date: day.date, code: concept, value: ("valueInteger", value), day: day),
                        key: keyPrefix + "\(code)/\(day.date)")
                }
            }
            if let answer = answers[day.date] {
                let concept: [String: Any] = [
                    "coding": [
                        [
                            "system": base + "/CodeSystem/trial", "code": "adherence",
                            "display": "Followed the day's trial instruction",
                        ]
                    ],
                    "text": "Followed the day's trial instruction",
                ]
                var resource = observation(
                    date: day.date, code: concept,
                    value: (
                        "valueCodeableConcept",
                        [
                            "coding": [
                                [
                                    "system": base + "/CodeSystem/adherence", "code": answer.adherence.rawValue,
                                    "display": answer.adherence.label,
                                ]
                            ]
                        ]
                    ), day: day)
                var components: [[String: Any]] = []
                if let amount = answer.amount {
                    components.append(["code": ["text": "Amount used"], "valueQuantity": ["value": amount]])
                }
                components.append(["code": ["text": "Severe side effect"], "valueBoolean": answer.severeSideEffect])
                resource["component"] = components
                _ = entries.add(resource, key: keyPrefix + "adherence/\(day.date)")
            }
        }
    }

    /// A stable UUID (version-8 layout) from a name, so the same trial exports the same ids.
    static func uuid(_ name: String) -> String {
        var bytes = Array(SHA256.hash(data: Data(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let i = hex.startIndex
        func part(_ from: Int, _ to: Int) -> Substring { hex[hex.index(i, offsetBy: from)..<hex.index(i, offsetBy: to)] }
        return "\(part(0, 8))-\(part(8, 12))-\(part(12, 16))-\(part(16, 20))-\(part(20, 32))"
    }
}
