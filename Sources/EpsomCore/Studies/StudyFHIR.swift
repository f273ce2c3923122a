/// A registered or closed study as a FHIR R4 (4.0.1) Bundle of type "collection", for its
/// investigator, de-identified:
/// - ResearchStudy: the registration code and the registered protocol's SHA-256 as identifiers,
///   the title, the status (registered → active, closed → completed), the question and design in
///   the description, the condition as text, the arms (public in the protocol), the enrolment
///   window as the period, and the target number as `enrollment`: R4 makes that a reference to a
///   Group, so it is a descriptive Group (`actual` false) with the target as `quantity` and the
///   eligibility criteria as a characteristic;
/// - per participant, a Patient whose only content is the participant code ("P-001") as an
///   identifier, and a ResearchSubject: its status from the participant's state, its period,
///   and `assignedArm` (the sequence of arms by period) only once the study is closed;
/// - once the study is closed, each participant's Observations as `TrialFHIR` makes them (pain,
///   PEG items, adherence, with the day's arm and washout flag), about their coded Patient.
///
/// A participant who withdrew their data is a ResearchSubject "withdrawn" with their coded
/// Patient, and nothing else. Nothing carries a name, an email, an account, enrolment or trial
/// id, or a diary note; ids are UUIDs derived from the study and the participant code.
/// A draft is not exported (nil).
public enum StudyFHIR {
    /// - Parameter timestamp: the Bundle's instant, ISO 8601 with time zone.
    public static func bundle(_ export: StudyExport, today: CalendarDate, timestamp: String) -> String? {
        let study = export.study, d = study.design
        guard study.status != .draft, let registered = study.registeredProtocol else { return nil }
        let base = TrialFHIR.base
        let code = study.enrolmentCode ?? ""
        var entries = FHIREntries(namespace: "study/" + study.id)
        let studyURL = entries.add(
            researchStudy(study, registered: registered, enrollment: entries.url("enrollment")), key: "study")
        entries.add(
            [
                "resourceType": "Group", "type": "person", "actual": false, "quantity": d.targetParticipants,
                "name": "Eligible participants (the target number)",
                "characteristic": [["code": ["text": "Eligibility"], "valueCodeableConcept": ["text": d.eligibility], "exclude": false]],
            ], key: "enrollment")

        for participant in export.participants {
            let key = participant.code + "/"
            let patient = entries.add(
                [
                    "resourceType": "Patient",
                    "identifier": [["system": base + "/registry/" + code + "/participant", "value": participant.code]],
                ],
                key: key + "patient")
            var subject: [String: Any] = [
                "resourceType": "ResearchSubject", "status": status(participant, today: today),
                "study": ["reference": studyURL], "individual": ["reference": patient],
            ]
            guard let kept = participant.kept else {
                entries.add(subject, key: key + "subject")
                continue
            }
            let trial = kept.trial
            var period: [String: Any] = ["start": participant.enrolment.startDate.description]
            if let withdrawn = participant.enrolment.withdrawnOn {
                period["end"] = min(withdrawn, trial.lastDay).description
            } else if trial.isOver(today: today) {
                period["end"] = trial.lastDay.description
            }
            subject["period"] = period
            if export.revealsArms { subject["assignedArm"] = sequence(trial) }
            entries.add(subject, key: key + "subject")
            guard export.revealsArms else { continue }
            TrialFHIR.observations(
                participant.days(today: today), adherence: kept.adherence, armName: { trial.design.arms[$0].name },
                patient: patient, study: studyURL, keyPrefix: key, into: &entries)
        }
        return entries.bundle(id: TrialFHIR.uuid("study/" + study.id + "/bundle"), timestamp: timestamp)
    }

    static func researchStudy(_ study: Study, registered: StudyProtocol, enrollment: String) -> [String: Any] {
        let d = study.design
        var description =
            "\(d.question) A series of randomised multi-crossover (N-of-1) trials: each participant follows \(d.cycles) cycles of "
            + "\(d.arms.count) periods of \(d.periodDays) days, the order of arms randomised within every cycle with their own "
            + "seed; the first \(d.washoutDays) days of each period are washout (not analysed). Primary outcome: "
            + "\(d.primaryOutcome.label); MCID \(NumberFormatting.trimmed(d.mcid)) point(s). "
            + (d.blinded ? "Blinded: the arms come in coded jars. " : "Open label. ")
            + "Registered on \(study.registeredOn?.description ?? "?"); protocol SHA-256: \(registered.sha256)."
        for a in study.amendments {
            description += " Amendment \(a.number) (\(a.date)). Reason: \(a.reason). SHA-256: \(a.protocolHash)."
        }
        if study.status != .closed { description += " Allocations are withheld until the study closes." }
        return [
            "resourceType": "ResearchStudy",
            "identifier": [
                ["use": "official", "system": TrialFHIR.base + "/registry", "value": study.enrolmentCode ?? ""],
                ["system": TrialFHIR.base + "/protocol-sha256", "value": registered.sha256],
            ],
            "title": d.title,
            "status": study.status == .closed ? "completed" : "active",
            "primaryPurposeType": [
                "coding": [["system": "http://terminology.hl7.org/CodeSystem/research-study-prim-purp-type", "code": "treatment"]]
            ],
            "focus": [["text": "Magnesium"]],
            "condition": [["text": d.condition]],
            "description": description,
            "enrollment": [["reference": enrollment]],
            "period": ["start": d.enrolmentOpens.description, "end": d.enrolmentCloses.description],
            "arm": d.arms.map { ["name": $0.name, "description": $0.instruction] },
        ]
    }

    /// R4's research-subject-status for the participant's state.
    static func status(_ participant: StudyExport.Participant, today: CalendarDate) -> String {
        guard participant.enrolment.withdrawnOn == nil, let trial = participant.kept?.trial else { return "withdrawn" }
        switch trial.status(today: today) {
        case .planned: return "pending-on-study"
        case .running: return "on-study"
        case .finished, .stopped: return "off-study"
        }
    }

    /// The allocation: the arms period by period, periods of a cycle joined by ", ", cycles by "; ".
    static func sequence(_ trial: Trial) -> String {
        var cycles: [[String]] = []
        for period in trial.schedule.periods {
            if period.cycle > cycles.count { cycles.append([]) }
            cycles[cycles.count - 1].append(trial.design.arms[period.arm].name)
        }
        return cycles.map { $0.joined(separator: ", ") }.joined(separator: "; ")
    }
}
