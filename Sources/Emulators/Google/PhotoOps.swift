import Foundation

/// updateContactPhoto (base64 `photoBytes`) and deleteContactPhoto. The person comes back only when
/// `personFields` is set, as on Google.
enum PhotoOps {
    static func update(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let id = try ContactOps.existing(req.id, acct)
        let body = try req.json()
        let mask = try PersonFields.mask(body["personFields"]?.string, name: "personFields", doc: "people/updateContactPhoto",
                                         valid: PersonFields.readable, required: false)
        guard let raw = body["photoBytes"]?.string, let bytes = decode(raw), !bytes.isEmpty else {
            throw GoogleError.invalidArgument("Invalid value at 'photo_bytes' (TYPE_BYTES), Base64 decoding failed.")
        }
        acct.touch(id, now: env.now) { $0.photo = [UInt8](bytes) }
        guard let mask else { return [:] }
        return ["person": PersonFields.render(acct.persons[id]!, mask: mask, baseURL: env.root)]
    }

    static func delete(_ req: APIRequest, _ acct: inout PeopleAccount, _ env: APIEnvironment) throws(GoogleError) -> JSONValue {
        let id = try ContactOps.existing(req.id, acct)
        let mask = try ContactOps.readMask(req, required: false, doc: "people/deleteContactPhoto")
        if acct.persons[id]!.photo != nil { acct.touch(id, now: env.now) { $0.photo = nil } }
        guard let mask else { return [:] }
        return ["person": PersonFields.render(acct.persons[id]!, mask: mask, baseURL: env.root)]
    }

    /// Standard or URL-safe base64, padding optional (clients send either).
    static func decode(_ raw: String) -> Data? {
        var s = raw.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}
