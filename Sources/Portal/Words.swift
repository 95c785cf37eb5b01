/// Codes from the documents shown as words (`CompletedAwaitingTransfer` → "Completed – awaiting
/// transfer"). Known codes have their words; any other CamelCase code is split into words.
enum Words {
    static let known: [String: String] = [
        "CompletedAwaitingTransfer": "Completed – awaiting transfer",
        "AwaitingTransfer": "Awaiting transfer",
        "InProgress": "In progress",
        "TransferToProbation": "Transfer to probation",
        "TransferYotToYot": "Transfer YOT to YOT",
        "SentencedNoReport": "Sentenced, no report",
        "ReferralOrderReport": "Referral order report",
        "ReferralInPrevention": "Referral in prevention",
        "ReferralInOutOfCourt": "Referral in out-of-court",
        "PreSentenceReport": "Pre-sentence report",
        "PostCourtReport": "Post-court report",
        "EnteringCustody": "Entering custody",
        "BailRecommendation": "Bail recommendation",
        "VeryHigh": "Very high",
        "YouthToAdult": "Youth to adult",
        "YotToYot": "YOT to YOT",
        "OutOfCourt": "Out of court",
    ]

    static func code(_ code: String) -> String {
        if let words = known[code] { return words }
        guard code.allSatisfy({ $0.isLetter || $0.isNumber }), code.first?.isUppercase == true else { return code }
        var words: [String] = []
        var current = ""
        for character in code {
            if character.isUppercase, !current.isEmpty, current.last?.isUppercase == false {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        words.append(current)
        return words.enumerated().map { index, word in
            index == 0 || word.allSatisfy(\.isUppercase) ? word : word.lowercased()
        }.joined(separator: " ")
    }

    static func stage(_ stage: String) -> String { code(stage) }
    static func status(_ status: String) -> String { code(status) }
    static func transferStatus(_ status: String) -> String { status.prefix(1).uppercased() + status.dropFirst() }
}
