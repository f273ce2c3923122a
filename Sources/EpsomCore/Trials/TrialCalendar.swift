/// The schedule as an iCalendar file (RFC 5545), so that the phone's own calendar reminds: one
/// event a period, repeated daily at the reminder time, each with an alarm. Times are floating
/// (no time zone), so the alarm rings at that local time wherever the phone is.
public enum TrialCalendar {
    /// - Parameter stamp: the DTSTAMP, UTC, "YYYYMMDDTHHMMSSZ".
    public static func ics(_ trial: Trial, today: CalendarDate, stamp: String) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Epsom//N-of-1 trial schedule//EN", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + escape("Epsom: " + trial.design.title),
        ]
        let time = trial.design.reminderTime.replacingOccurrences(of: ":", with: "") + "00"
        for period in trial.schedule.periods where period.startDate <= trial.lastDay {
            let days = min(period.endDate, trial.lastDay).dayNumber - period.startDate.dayNumber + 1
            let arm = trial.armLabel(period.arm, today: today)
            var description = trial.design.arms[period.arm].instruction
            if trial.isConcealed(today: today) {
                description = "Use \(arm) this period. " + description
            }
            if period.washoutDays > 0 {
                description +=
                    " The first \(period.washoutDays) day\(period.washoutDays == 1 ? "" : "s") of the period "
                    + "are washout: follow the plan and fill in the diary; they are not analysed."
            }
            description += " Then fill in today's diary in Epsom."
            lines += [
                "BEGIN:VEVENT",
                "UID:\(trial.id)-period-\(period.index + 1)@epsom",
                "DTSTAMP:" + stamp,
                "DTSTART:" + compact(period.startDate) + "T" + time,
                "DURATION:PT15M",
                "RRULE:FREQ=DAILY;COUNT=\(days)",
                "SUMMARY:" + escape("Epsom: \(arm) (period \(period.index + 1) of \(trial.schedule.periods.count))"),
                "DESCRIPTION:" + escape(description),
                "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:PT0M", "DESCRIPTION:" + escape("Epsom: \(arm) today"), "END:VALARM",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    public static func compact(_ date: CalendarDate) -> String { date.description.replacingOccurrences(of: "-", with: "") }

    /// RFC 5545 TEXT escaping (§3.3.11), scalar by scalar: "\r\n" is one `Character` in Swift, so a
    /// per-Character check let a title with CRLF add raw lines to the file. Every line break
    /// (CR, LF, CRLF, and the Unicode separators) becomes one "\n"; other control characters
    /// are dropped (they are not allowed in TEXT).
    static func escape(_ text: String) -> String {
        var out = ""
        var previousCR = false
        for scalar in text.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r", "\u{2028}", "\u{2029}", "\u{85}": out += "\\n"
            case "\n": if !previousCR { out += "\\n" }
            case "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func fold(_ line: String) -> String {
        var result = "", count = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.unicodeScalars.append(scalar)
            count += size
        }
        return result
    }
}

/// The trial as one CSV row a day: the schedule, the diary and the adherence answers.
public enum TrialCSV {
    /// `comparator` is true on the comparator's days once the allocation may be known (empty while
    /// a blinded trial runs), so `epsom analyze` reads the export the right way round.
    public static let header = [
        "date", "cycle", "period", "arm", "comparator", "washout", "pain", "outcome", "adherence", "amount",
        "severe_side_effect", "side_effects",
    ]

    public static func csv(_ trial: Trial, diary: [DiaryEntry], adherence: [TrialDay], today: CalendarDate) -> String {
        let days = TrialAnalysis.days(trial: trial, diary: diary, adherence: adherence, through: today)
        let answers = Dictionary(adherence.map { ($0.date, $0) }, uniquingKeysWith: { a, _ in a })
        var out = CSVWriter.line(header)
        for day in days {
            let answer = answers[day.date]
            out += CSVWriter.line([
                day.date.description, String(day.period.cycle), String(day.period.index + 1),
                CSVWriter.text(trial.armLabel(day.period.arm, today: today)),
                trial.isConcealed(today: today) ? "" : (day.period.arm == 0 ? "true" : "false"), day.washout ? "true" : "false",
                day.entry.map { String($0.pain) } ?? "", day.outcome.map(NumberFormatting.trimmed) ?? "",
                answer?.adherence.rawValue ?? "", answer?.amount.map(NumberFormatting.trimmed) ?? "",
                answer.map { $0.severeSideEffect ? "true" : "false" } ?? "",
                day.entry?.sideEffects.map(\.rawValue).sorted().joined(separator: ";") ?? "",
            ])
        }
        return out
    }
}
