import SyncModel

/// Deterministic, realistic-looking contacts for the demo and the benchmark: person `i` is
/// always the same, so runs compare and two sources can share people.
public enum SampleContacts {
    static let given = [
        "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret", "Dennis",
        "Radia", "Ken", "Hedy", "Tim", "Katherine", "Linus", "Sophie", "Claude", "Anita", "Niklaus",
    ]
    static let family = [
        "Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "McCarthy", "Hamilton",
        "Ritchie", "Perlman", "Thompson", "Lamarr", "Berners-Lee", "Johnson", "Torvalds", "Wilson", "Shannon",
        "Borg", "Wirth", "Kay", "Cerf",
    ]
    static let companies = [
        "Analytical Engines Ltd", "Bletchley Consulting", "Cobol & Co", "Semaphore GmbH", "Abstract Data Inc",
        "TeX Works", "Fortran Foundry", "Lisp Labs",
    ]
    static let titles = ["Director", "Engineer", "Accountant", "Sales Manager", "Office Manager", "Consultant"]
    static let cities = ["London", "Zurich", "Boston", "Amsterdam", "Toronto", "Berlin"]

    public static func person(_ i: Int) -> Contact {
        let g = given[i % given.count]
        let f = family[(i / given.count + i) % family.count]
        let company = companies[i % companies.count]
        let domain = company.lowercased().filter { $0.isLetter } + ".example"
        var c = Contact(
            givenName: g, familyName: i < given.count ? f : "\(f) \(i)", organization: company,
            title: titles[i % titles.count])
        let local = "\(g).\(f)\(i)".lowercased().filter { $0.isLetter || $0.isNumber || $0 == "." }
        c.emails = [LabeledValue("\(local)@\(domain)", label: .work)]
        c.phones = [LabeledValue("+1 555 \(String(format: "%07d", i))", label: i % 3 == 0 ? .mobile : .work)]
        if i % 4 == 0 {
            c.addresses = [PostalAddress(
                label: .work, street: "\(i % 90 + 1) Main Street", city: cities[i % cities.count],
                postalCode: String(format: "%05d", i % 99999))]
        }
        if i % 5 == 0 { c.categories = ["Customers"] }
        if i % 7 == 0 { c.birthday = PartialDate(year: 1960 + i % 40, month: i % 12 + 1, day: i % 28 + 1) }
        if i % 9 == 0 { c.notes = "Met at the \(2015 + i % 10) trade fair." }
        return c
    }
}
