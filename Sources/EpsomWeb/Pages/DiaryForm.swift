import EpsomCore

/// The one-screen daily entry: a row of 0–10 buttons per score (one tap each), side effects and
/// a note. Only pain is required, so a day takes a few seconds.
enum DiaryForm {
    static let scores: [(name: String, label: String, hint: String)] = [
        ("pain", "Pain now", "0 none – 10 worst imaginable"),
        ("spasms", "Muscle spasms", "0 none – 10 constant"),
        ("stiffness", "Stiffness", "0 moving easily – 10 very stiff"),
        ("sleep", "Sleep last night", "0 very poor – 10 excellent"),
        ("enjoyment", "Pain interfered with enjoyment of life", "0 not at all – 10 completely"),
        ("activity", "Pain interfered with general activity", "0 not at all – 10 completely"),
    ]

    static func render(date: CalendarDate, values: [String: String], effects: Set<String>, errors: FieldErrors, csrf: String) -> HTML {
        let rows: [HTML] = scores.map { score in
            let buttons: [HTML] = (0...10).map { v in
                let checked = values[score.name] == String(v) ? " checked" : ""
                return "<label><input type=\"radio\" name=\"\(text: score.name)\" value=\"\(v)\"\(raw: checked)><span>\(v)</span></label>"
            }
            let required = score.name == "pain" ? " (required)" : ""
            return """
                <fieldset class="bare spaced"><legend><strong>\(text: score.label)</strong>\(text: required) <small>\(text: score.hint)</small></legend>
                <div class="scale">\(buttons)</div>\(Layout.error(errors, score.name))</fieldset>
                """
        }
        let sideEffects: [HTML] = DiaryEntry.SideEffect.allCases.map { e in
            let checked = effects.contains(e.rawValue) ? " checked" : ""
            return
                "<label class=\"plain\"><input type=\"checkbox\" name=\"side_effects\" value=\"\(text: e.rawValue)\"\(raw: checked)> \(text: e.label)</label>"
        }
        return """
            <form method="post" action="/diary">
              <input type="hidden" name="csrf" value="\(text: csrf)"><input type="hidden" name="date" value="\(text: date.description)">
              \(rows)
              <details\(raw: effects.isEmpty && (values["note"] ?? "").isEmpty ? "" : " open")><summary>Side effects and a note</summary>
                \(sideEffects)\(Layout.error(errors, "side_effects"))
                <label for="note">Note</label><textarea id="note" name="note" rows="2">\(text: values["note"] ?? "")</textarea>\(Layout.error(errors, "note"))
              </details>
              <button>Save \(text: date.description)</button>
            </form>
            """
    }

    static func values(_ entry: DiaryEntry?) -> ([String: String], Set<String>) {
        guard let e = entry else { return ([:], []) }
        var v = ["pain": String(e.pain), "note": e.note]
        for (k, x) in [
            ("enjoyment", e.enjoyment), ("activity", e.activity), ("spasms", e.spasms), ("stiffness", e.stiffness), ("sleep", e.sleep),
        ] {
            if let x { v[k] = String(x) }
        }
        return (v, Set(e.sideEffects.map(\.rawValue)))
    }
}
