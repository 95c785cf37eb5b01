/// A contract date (`YYYY-MM-DD`, no zone), compared and aged without time zones getting in the way.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Parses the first ten characters of an `xs:date` or `xs:dateTime` (the date as written).
    public init?(_ text: String) {
        // `YYYY-MM-DD`, read byte by byte: this runs for every dated item of a long document.
        var digits = [Int](repeating: 0, count: 8)
        var count = 0
        var index = 0
        for byte in text.utf8.prefix(10) {
            switch (index, byte) {
            case (4, UInt8(ascii: "-")), (7, UInt8(ascii: "-")): break
            case (_, UInt8(ascii: "0")...UInt8(ascii: "9")) where index != 4 && index != 7:
                digits[count] = Int(byte - UInt8(ascii: "0"))
                count += 1
            default: return nil
            }
            index += 1
        }
        guard count == 8 else { return nil }
        year = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
        month = digits[4] * 10 + digits[5]
        day = digits[6] * 10 + digits[7]
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Whole years from `birth` to this date. A 29 February birthday falls on 1 March in other
    /// years, as in English law.
    public func age(bornOn birth: CalendarDate) -> Int {
        var years = year - birth.year
        if (month, day) < (birth.month, birth.day) { years -= 1 }
        return years
    }

    public var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
