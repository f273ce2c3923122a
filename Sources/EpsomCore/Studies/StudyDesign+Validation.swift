extension StudyDesign {
    /// Builds a study from text fields (the investigator's form or the API), every field checked
    /// and every failure named.
    ///
    /// Fields: title, question, condition, eligibility, screening, information_sheet,
    /// consent_text, template, arms, period_days, cycles, washout_days, blinded, outcome, mcid,
    /// secondary_outcomes, target_participants, enrolment_opens, enrolment_closes.
    /// - The trial fields (template to mcid) follow `TrialDesign.validated`, with the same
    ///   defaults and messages, so a study's trial is one a participant could have designed.
    /// - `screening`: one question a line, each starting with the answer that excludes:
    ///   "yes: Do you have kidney disease?" or "no: Are you 18 or older?".
    /// - `secondary_outcomes`: outcome names separated by commas, other than the primary one.
    /// - A study needs a comparator: the first arm must be one by its name (placebo, none, no
    ///   cream, control, usual care, sham), as the analysis reads it.
    /// - Parameter amending: the registered design an amendment changes. Its enrolment window
    ///   may have opened already; only a new opening day must not be in the past.
    public static func validated(_ fields: [String: String], today: CalendarDate, amending: StudyDesign? = nil)
        throws(FieldErrors) -> StudyDesign
    {
        var errors = FieldErrors()
        func text(_ name: String) -> String? {
            guard let value = fields[name]?.trimmingSpaces(), !value.isEmpty else { return nil }
            return value
        }
        func required(_ name: String, _ what: String, maximum: Int) -> String {
            guard let value = text(name) else {
                errors.add(name, "write the \(what)")
                return ""
            }
            if value.count > maximum { errors.add(name, "must be at most \(maximum) characters") }
            return value
        }
        let title = required("title", "study's title", maximum: 120)
        let question = required("question", "question the study answers", maximum: 1_000)
        let condition = required("condition", "condition studied", maximum: 120)
        let eligibility = required("eligibility", "eligibility criteria", maximum: 4_000)
        let informationSheet = required("information_sheet", "information sheet", maximum: 20_000)
        let consentText = required("consent_text", "consent text", maximum: 4_000)
        let screening = screeningQuestions(text("screening"), &errors)

        // The trial part, by the personal trial's own rules. Its start date and seed are the
        // participants' own, so neither is checked here.
        var trialFields = fields.filter {
            ["template", "arms", "period_days", "cycles", "washout_days", "outcome", "mcid", "blinded"].contains($0.key)
        }
        trialFields["title"] = String(title.prefix(120))
        var trial: TrialDesign?
        do {
            trial = try TrialDesign.validated(trialFields, today: today, randomSeed: 0)
        } catch {
            for (field, message) in error.messages { errors.add(field, message) }
        }
        if let trial {
            if !trial.arms[0].isComparatorByName {
                let named = trial.arms.first(where: \.isComparatorByName)
                errors.add(
                    "arms",
                    named.map { "put the comparator (\($0.name)) first" }
                        ?? "a study needs a comparator arm first, such as placebo cream or no cream")
            }
        }

        var secondary: [TrialOutcome] = []
        if let list = text("secondary_outcomes") {
            for name in list.split(separator: ",").map({ String($0).trimmingSpaces().lowercased() }) where !name.isEmpty {
                guard let outcome = TrialOutcome(rawValue: name) else {
                    errors.add(
                        "secondary_outcomes",
                        "unknown outcome \"\(name.prefix(30))\" (use \(TrialOutcome.allCases.map(\.rawValue).joined(separator: ", ")))")
                    break
                }
                if outcome == trial?.outcome {
                    errors.add("secondary_outcomes", "\(outcome.rawValue) is already the primary outcome")
                } else if !secondary.contains(outcome) {
                    secondary.append(outcome)
                }
            }
        }

        var target = 20
        if let raw = text("target_participants") {
            if let value = Int(raw), participantRange.contains(value) {
                target = value
            } else {
                errors.add(
                    "target_participants", "must be a whole number from \(participantRange.lowerBound) to \(participantRange.upperBound)")
            }
        }

        func date(_ name: String) -> CalendarDate? {
            guard let raw = text(name) else {
                errors.add(name, "choose a date")
                return nil
            }
            guard let value = CalendarDate(iso: raw) else {
                errors.add(name, CalendarDate.requirement)
                return nil
            }
            return value
        }
        let opens = date("enrolment_opens"), closes = date("enrolment_closes")
        if let opens, opens < today, opens != amending?.enrolmentOpens {
            errors.add("enrolment_opens", "cannot be in the past (today is \(today))")
        }
        if let opens, let closes {
            if closes < opens {
                errors.add("enrolment_closes", "the enrolment window ends before it opens (\(opens))")
            } else if closes.dayNumber - opens.dayNumber >= maximumEnrolmentDays {
                errors.add("enrolment_closes", "enrolment may stay open at most \(maximumEnrolmentDays) days")
            }
        }

        try errors.check()
        guard let trial, let opens, let closes else { throw errors }
        return StudyDesign(
            title: title, question: question, condition: condition, eligibility: eligibility, screening: screening,
            informationSheet: informationSheet, consentText: consentText, arms: trial.arms, periodDays: trial.periodDays,
            cycles: trial.cycles, washoutDays: trial.washoutDays, blinded: trial.blinded, primaryOutcome: trial.outcome,
            mcid: trial.mcid, secondaryOutcomes: secondary, targetParticipants: target, enrolmentOpens: opens,
            enrolmentCloses: closes)
    }

    /// "yes: question" lines; at most `maximumScreeningQuestions`.
    static func screeningQuestions(_ text: String?, _ errors: inout FieldErrors) -> [ScreeningQuestion] {
        guard let text else { return [] }
        var questions: [ScreeningQuestion] = []
        let lines = text.split(whereSeparator: \.isNewline).map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        for (index, line) in lines.enumerated() {
            let parts = line.split(separator: ":", maxSplits: 1).map { String($0).trimmingSpaces() }
            let answer = parts.first?.lowercased()
            guard parts.count == 2, answer == "yes" || answer == "no", !parts[1].isEmpty else {
                errors.add(
                    "screening",
                    "line \(index + 1): start with the answer that excludes, then the question (\"yes: Do you have kidney disease?\")")
                return []
            }
            guard parts[1].count <= 300 else {
                errors.add("screening", "line \(index + 1): a question must be at most 300 characters")
                return []
            }
            questions.append(ScreeningQuestion(text: parts[1], excludingAnswer: answer == "yes"))
        }
        if questions.count > maximumScreeningQuestions {
            errors.add("screening", "at most \(maximumScreeningQuestions) questions")
        }
        return questions
    }

    /// Whether these answers (one per screening question, in order) let the invitee take part.
    /// An answer missing counts as excluding: nobody is enrolled on an unanswered question.
    public func isEligible(answers: [Bool?]) -> Bool {
        screening.indices.allSatisfy { i in
            guard i < answers.count, let answer = answers[i] else { return false }
            return answer != screening[i].excludingAnswer
        }
    }
}

extension TrialArm {
    /// A comparator by its name, as the analysis reads a diary (`NOf1Input.isComparator`).
    var isComparatorByName: Bool { NOf1Input.isComparator(name) }
}
