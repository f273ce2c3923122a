import EpsomCore

/// The investigator's study form: the protocol's fields, each with its error beside it. Posted
/// back to `action`; a failed save re-renders it with what was typed.
enum StudyForm {
    /// The form's texts for a stored design (editing a draft).
    static func fields(_ d: StudyDesign) -> [String: String] {
        [
            "title": d.title, "question": d.question, "condition": d.condition, "eligibility": d.eligibility,
            "screening": d.screening.map { "\($0.excludingAnswer ? "yes" : "no"): \($0.text)" }.joined(separator: "\n"),
            "information_sheet": d.informationSheet, "consent_text": d.consentText,
            "arms": d.arms.map(\.name).joined(separator: "\n"), "period_days": String(d.periodDays), "cycles": String(d.cycles),
            "washout_days": String(d.washoutDays), "blinded": d.blinded ? "true" : "false", "outcome": d.primaryOutcome.rawValue,
            "mcid": NumberFormatting.trimmed(d.mcid), "secondary_outcomes": d.secondaryOutcomes.map(\.rawValue).joined(separator: ", "),
            "target_participants": String(d.targetParticipants), "enrolment_opens": d.enrolmentOpens.description,
            "enrolment_closes": d.enrolmentCloses.description,
        ]
    }

    static func render(
        _ form: [String: String], errors: FieldErrors, csrf: String, action: String, today: CalendarDate, buttons: HTML
    ) -> HTML {
        func value(_ name: String, _ fallback: String = "") -> String { form[name] ?? fallback }
        func line(_ name: String, _ label: String, type: String = "text", _ fallback: String = "") -> HTML {
            """
            <label for="\(text: name)">\(text: label)</label><input type="\(text: type)" id="\(text: name)" name="\(text: name)" value="\(text: value(name, fallback))">\(Layout.error(errors, name))
            """
        }
        func area(_ name: String, _ label: String, rows: Int = 4) -> HTML {
            """
            <label for="\(text: name)">\(text: label)</label><textarea id="\(text: name)" name="\(text: name)" rows="\(rows)">\(text: value(name))</textarea>\(Layout.error(errors, name))
            """
        }
        let chosen = value("template", form["arms"] == nil ? TrialTemplate.creamVsPlacebo.rawValue : "")
        let templates: [HTML] = TrialTemplate.allCases.map { t in
            """
            <label class="plain"><input type="radio" name="template" value="\(text: t.rawValue)"\(raw: t.rawValue == chosen ? " checked" : "")> \(text: t.title)</label>
            """
        }
        let outcomes: [HTML] = TrialOutcome.allCases.map { o in
            "<option value=\"\(text: o.rawValue)\"\(raw: o.rawValue == value("outcome", "pain") ? " selected" : "")>\(text: o.label)</option>"
        }
        let blinded = value("blinded")
        return """
            \(errors.isEmpty ? "" : "<p class=\"notice warning\" role=\"alert\">Please correct the fields marked below.</p>" as HTML)
            <form method="post" action="\(text: action)"><input type="hidden" name="csrf" value="\(text: csrf)">
            <fieldset class="bare"><legend><strong>The question</strong></legend>
            \(line("title", "Title"))
            \(area("question", "The question the study answers", rows: 2))
            \(line("condition", "Condition studied"))
            </fieldset>
            <fieldset class="bare"><legend><strong>Who may take part</strong></legend>
            \(area("eligibility", "Eligibility criteria, in words"))
            \(area("screening", "Screening questions, one per line, each starting with the answer that excludes (\u{201C}yes: Do you have kidney disease?\u{201D})"))
            \(area("information_sheet", "Information sheet (shown before consent)", rows: 8))
            \(area("consent_text", "Consent statement"))
            </fieldset>
            <fieldset class="bare"><legend><strong>Each participant's trial</strong></legend>
            \(templates)\(Layout.error(errors, "template"))
            \(area("arms", "Arms, one per line, the comparator first (optional: replaces the template's)", rows: 3))
            \(line("period_days", "Days per period", type: "number", "14"))
            \(line("cycles", "Cycles (each arm once per cycle)", type: "number", "3"))
            \(line("washout_days", "Washout days at the start of each period (logged, not analysed)", type: "number", "3"))
            <label for="blinded">Blinded (arms in coded jars filled by the study's pharmacist)</label>
            <select id="blinded" name="blinded"><option value=""\(raw: blinded.isEmpty ? " selected" : "")>As the template</option>
            <option value="true"\(raw: blinded == "true" ? " selected" : "")>Yes</option><option value="false"\(raw: blinded == "false" ? " selected" : "")>No</option></select>\(Layout.error(errors, "blinded"))
            <label for="outcome">Primary outcome</label><select id="outcome" name="outcome">\(outcomes)</select>\(Layout.error(errors, "outcome"))
            \(line("mcid", "Smallest difference that matters (points)", type: "number", "1"))
            \(line("secondary_outcomes", "Secondary outcomes, separated by commas (spasms, stiffness, enjoyment, activity)"))
            </fieldset>
            <fieldset class="bare"><legend><strong>Enrolment</strong></legend>
            \(line("target_participants", "Target number of participants", type: "number", "20"))
            \(line("enrolment_opens", "Enrolment opens", type: "date", today.description))
            \(line("enrolment_closes", "Enrolment closes (the last day a participant may start)", type: "date"))
            </fieldset>
            \(buttons)
            </form>
            """
    }
}
