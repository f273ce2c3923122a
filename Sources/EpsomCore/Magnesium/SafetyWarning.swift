/// A safety message with the source it rests on. Epsom gives no medical advice beyond these
/// cited facts.
public struct SafetyWarning: Sendable, Equatable, Hashable {
    public var code: String
    public var message: String
    /// The citation, with a URL where there is one.
    public var source: String
}

/// What the person has told Epsom that changes the safety messages.
public struct SafetyProfile: Sendable, Equatable {
    public enum Medicine: String, Sendable, CaseIterable, Codable {
        case bisphosphonate, tetracycline, quinolone

        public var label: String {
            switch self {
            case .bisphosphonate: "A bisphosphonate (e.g. alendronate, risedronate)"
            case .tetracycline: "A tetracycline antibiotic (e.g. doxycycline)"
            case .quinolone: "A quinolone antibiotic (e.g. ciprofloxacin)"
            }
        }
    }

    public var kidneyDisease: Bool
    public var medicines: Set<Medicine>

    public init(kidneyDisease: Bool = false, medicines: Set<Medicine> = []) {
        self.kidneyDisease = kidneyDisease
        self.medicines = medicines
    }
}

/// The cited facts behind every warning (shared/research/evidence.md §4).
public enum SafetySources {
    public static let upperLimit =
        "Institute of Medicine (1997). Dietary Reference Intakes for Calcium, Phosphorus, "
        + "Magnesium, Vitamin D, and Fluoride, pp. 241–244: tolerable upper intake level 350 mg/day of magnesium from "
        + "supplements and medicines (not food), ages 9 and over; http://www.nap.edu/openbook.php?record_id=5776&page=244"
    public static let transdermal =
        "Gröber U, Werner T, Vormann J, Kisters K (2017). Myth or Reality—Transdermal "
        + "Magnesium? Nutrients 9(8):813, doi:10.3390/nu9080813"
    public static let kidney =
        "Institute of Medicine (1997), p. 244: magnesium toxicity occurs mainly with impaired "
        + "kidney function; http://www.nap.edu/openbook.php?record_id=5776&page=244"
    public static let smpc = "UK SmPC section 4.5 for oral magnesium, https://medicines.org.uk/emc/product/2678/smpc"
    public static let quinolone = "medizzine.com monograph citing Miyata et al. 2007 [secondary source, unverified]"
    public static let researchTable =
        "Molecules 2021;26(9):2419, Table 1 (anhydrous salts), "
        + "https://pmc.ncbi.nlm.nih.gov/articles/PMC8122334/table/molecules-26-02419-t001"

    public static let noMedicalAdvice =
        "Epsom gives no medical advice. Its messages repeat published facts, each with "
        + "its source; talk to your clinician before changing any treatment."
}
