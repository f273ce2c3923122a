import EpsomCore

/// The demo study (`DemoStudy`) as the store exports it once closed, without a database: each
/// withdrawal stops the trial that day, and the participant who withdrew their data has nothing
/// but the enrolment. For the tests of the study's analysis and of `epsom series` on its CSV.
public enum DemoStudyFixture {
    public static func export(today: CalendarDate) -> StudyExport {
        let demo = DemoStudy.generate(today: today)
        let study = Study(
            id: "demo-study", design: demo.design, status: .closed,
            registeredProtocol: StudyProtocol(design: demo.design, registeredOn: demo.registeredOn), registeredOn: demo.registeredOn,
            enrolmentCode: "demo-code", closedOn: demo.closedOn)
        let participants = demo.participants.enumerated().map { i, p in
            var trial = p.trial
            if let withdrawal = p.withdrawal { trial = trial.stopped(for: "Left the study.", today: withdrawal.date) }
            let enrolment = Enrolment(
                id: "enrolment-\(i)", studyID: study.id, participantCode: Enrolment.participantCode(number: i + 1), trialID: trial.id,
                consentSha256: "consent", consentedAt: 0, startDate: trial.design.startDate, withdrawnOn: p.withdrawal?.date,
                keepsData: p.withdrawal?.keepsData)
            guard p.withdrawal?.keepsData != false else { return StudyExport.Participant(enrolment: enrolment, kept: nil) }
            let last = trial.lastDay
            return StudyExport.Participant(
                enrolment: enrolment,
                kept: StudyExport.Kept(
                    trial: trial, diary: p.diary.filter { $0.date <= last }, adherence: p.adherence.filter { $0.date <= last },
                    diaryBefore: p.diaryBefore))
        }
        return StudyExport(study: study, participants: participants)
    }
}
