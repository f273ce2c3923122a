import EpsomCore
import EpsomStorage

extension Wire {
    struct SignUp: WireModel {
        var email: String
        var password: String
        var name: String
        var role: Role?
        var timeZone: String?

        static let summary = "A new account."
        static let notes: [String: FieldNote] = [
            "email": FieldNote("The address to sign in with.", minLength: 3, maxLength: 254, format: "email"),
            "password": FieldNote(
                "At least \(Passwords.minimumLength) characters and at most \(Passwords.maximumLength) bytes.",
                minLength: Passwords.minimumLength, maxLength: Passwords.maximumLength),
            "name": FieldNote("How Epsom addresses the person.", minLength: 1, maxLength: 100),
            "role": FieldNote("patient (default) or clinician."),
            "timeZone": FieldNote(
                "IANA time zone, e.g. Europe/London (default UTC): the clock that places doses in days.", maxLength: 64),
        ]
        static let example = SignUp(
            email: "sam@example.org", password: "correct horse battery", name: "Sam", role: .patient, timeZone: "Europe/London")
    }

    struct SignIn: WireModel {
        var email: String
        var password: String

        static let summary = "An email and password."
        static let notes: [String: FieldNote] = [
            "email": FieldNote("The account's email.", maxLength: 254),
            "password": FieldNote("The account's password.", maxLength: 1024),
        ]
        static let example = SignIn(email: "sam@example.org", password: "correct horse battery")
    }

    struct Account: WireModel {
        var id: String
        var email: String
        var name: String
        var role: Role
        var timeZone: String

        static let summary = "An account (never its password)."
        static let example = Account(
            id: "a1b2c3d4e5f6", email: "sam@example.org", name: "Sam", role: .patient, timeZone: "Europe/London")
    }

    struct Session: WireModel {
        var token: String
        var expiresAt: Int

        static let summary = "A bearer token for the API: send it as `Authorization: Bearer TOKEN`."
        static let notes: [String: FieldNote] = ["expiresAt": FieldNote("When the token stops working, in seconds since 1970 (UTC).")]
        static let example = Session(token: "n5Jq0x8d3ZsM2k9fV1bQ7wYt4uE6rHcA", expiresAt: 1_796_083_200)
    }
}
