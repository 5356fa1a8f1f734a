import Foundation

/// The demo tenant's wider directory: colleagues without a mailbox in the demo (still in the
/// directory), a guest, and a shared mailbox whose account is disabled, as Exchange Online
/// makes them, so the directory spoke has someone to leave out of each kind.
extension GraphEmulator {
    /// Adds the directory users (after `seedDemoTenant`); returns the UPNs of those a directory
    /// spoke lists.
    @discardableResult
    public func seedDemoDirectory() throws -> [String] {
        let people = [("Diego Siciliani", "diegos", "Diego", "Siciliani", "HR Manager", "HR"),
                      ("Grady Archie", "gradya", "Grady", "Archie", "Designer", "R&D"),
                      ("Henrietta Mueller", "henriettam", "Henrietta", "Mueller", "Developer", "R&D"),
                      ("Isaiah Langer", "isaiahl", "Isaiah", "Langer", "Sales Rep", "Sales"),
                      ("Johanna Lorenz", "johannal", "Johanna", "Lorenz", "Senior Engineer", "Engineering"),
                      ("Joni Sherman", "jonis", "Joni", "Sherman", "Paralegal", "Legal"),
                      ("Lee Gu", "leeg", "Lee", "Gu", "Director", "Manufacturing")]
        var listed: [String] = []
        for (i, p) in people.enumerated() {
            let u = addUser(displayName: p.0, mailNickname: p.1, givenName: p.2, surname: p.3, jobTitle: p.4, department: p.5,
                            officeLocation: "\(20 + i)/\(1100 + i)", businessPhone: "+1 425 555 03\(i)0",
                            mobilePhone: i.isMultiple(of: 2) ? "+1 425 555 04\(i)0" : nil)
            listed.append(u.upn)
        }
        try setUserPhoto(listed[0], data: Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0xFF, 0xD9]))
        let guest = addUser(displayName: "Pat Partner", mailNickname: "pat_fabrikam.example#EXT#", mailbox: false)
        try updateUser(guest.upn) { $0["userType"] = "Guest"; $0["mail"] = "pat@fabrikam.example" }
        let shared = addUser(displayName: "Reception", mailNickname: "reception")
        try updateUser(shared.upn) { $0["accountEnabled"] = false }
        try updateUser("adams@\(domain)") { $0["accountEnabled"] = false }
        return listed
    }
}
