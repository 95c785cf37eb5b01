extension CaseRecord {
    /// The young person's age in whole years on the assessment date (`assessment.assessedOn`):
    /// the NOCO's `AgeOnTransfer` (`noco.md`), wherever it is shown. A birthday on that very date
    /// counts as the new age; a 29 February birthday falls on 1 March in other years. `nil` when
    /// either date is not a date.
    public var ageOnAssessment: Int? {
        guard let birth = CalendarDate(person.dateOfBirth), let assessed = CalendarDate(assessment.assessedOn) else { return nil }
        return assessed.age(bornOn: birth)
    }
}
