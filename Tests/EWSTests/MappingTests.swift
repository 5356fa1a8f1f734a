import ConnectorKit
import ConnectorXML
import Foundation
import SyncModel
import Testing

@testable import ConnectorEWS

@Suite struct MappingTests {
    static let full = Contact(
        namePrefix: "Dr.", givenName: "Ada", middleName: "K", familyName: "Lovelace", nameSuffix: "Jr.",
        nickname: "Countess", displayName: "Ada Lovelace", organization: "Analytical Engines", department: "R&D",
        title: "Programmer", birthday: PartialDate(year: nil, month: 12, day: 10),
        anniversary: PartialDate(year: 1835, month: 7, day: 8), notes: "line one\nline <two> & \"three\"",
        emails: [LabeledValue("ada@example.com", label: .work), LabeledValue("ada@home.example", label: .home),
                 LabeledValue("a3@example.com"), LabeledValue("a4@example.com")],
        phones: [LabeledValue("+44 20 7946 0958", label: .work), LabeledValue("+44 20 7946 0959", label: .work),
                 LabeledValue("+44 20 7946 0960", label: .work), LabeledValue("+44 7700 900123", label: .mobile),
                 LabeledValue("+44 20 7946 0000", label: .school)],
        addresses: [PostalAddress(label: .work, poBox: "PO 7", street: "1 Engine Way", city: "London", region: "LDN",
                                  postalCode: "N1 1AA", country: "UK"),
                    PostalAddress(label: .home, street: "2 Home St", city: "Ockham"),
                    PostalAddress(label: .home, street: "3 Second Home", city: "Bath")],
        websites: [LabeledValue("https://ada.example"), LabeledValue("https://two.example")],
        ims: [LabeledValue("ada@im.example")], categories: ["VIP", "Friends"],
        photo: Photo(data: Data([0xFF, 0xD8, 0xFF, 1, 2, 3])), custom: ["OfficeLocation": "B2", "Unmapped": "x"])

    /// What `create` writes, read back as GetItem would give it.
    static func readBack(_ s: EWSContact) throws -> EWSContact {
        let xml = ContactWriter.create(s, marker: "hubsync:h:i")
            .replacingOccurrences(of: "<t:Contact>", with: #"<t:Contact xmlns:t="\#(NS.t)"><t:ItemId Id="AAA=" ChangeKey="CK1"/>"#)
        let item = try #require(ContactReader.item(try XMLTree.parse(Data(xml.utf8))))
        #expect(item.marker == "hubsync:h:i")
        #expect(item.changeKey == "CK1")
        var slots = item.slots
        slots.photo = s.photo  // photos travel as attachments, not in the item
        return slots
    }

    @Test func whatIsWrittenReadsBackAsTheFit() throws {
        let slots = EWSContact(Self.full.normalized())
        let back = try Self.readBack(slots)
        #expect(back.contact == EWSContact.fit(Self.full))
        #expect(back.contact.emails.count == 3)
        #expect(back.contact.namePrefix == "Dr.")
        #expect(back.contact.birthday == PartialDate(year: nil, month: 12, day: 10))
        #expect(back.contact.notes == "line one\nline <two> & \"three\"")
        #expect(back.contact.custom == ["OfficeLocation": "B2"])
    }

    @Test func fitIsStable() {
        let once = EWSContact.fit(Self.full)
        #expect(EWSContact.fit(once) == once)
        // Two work phones fit (BusinessPhone, BusinessPhone2); the third does not.
        #expect(once.phones.filter { $0.label == .work }.count == 2)
        // A school phone has no slot of its own: it is kept as "other".
        #expect(once.phones.contains { $0.label == .other })
        // The second home address moves to Other; the PO box joins the street.
        #expect(once.addresses.map(\.label) == [.work, .home, .other])
        #expect(once.addresses[0].street.contains("PO 7"))
    }

    @Test func birthdaysReadAsTheirDayWhateverTheZoneTheyWereWrittenIn() {
        #expect(EWSDate.read("1980-03-15T00:00:00Z") == PartialDate(year: 1980, month: 3, day: 15))
        #expect(EWSDate.read("1980-03-14T23:00:00Z") == PartialDate(year: 1980, month: 3, day: 15))
        #expect(EWSDate.read("1980-03-15T08:00:00Z") == PartialDate(year: 1980, month: 3, day: 15))
        #expect(EWSDate.read("1604-02-29T00:00:00Z") == PartialDate(year: nil, month: 2, day: 29))
        #expect(EWSDate.write(PartialDate(year: nil, month: 2, day: 29)) == "1604-02-29T00:00:00Z")
    }

    @Test func updatesSetWhatChangedAndDeleteWhatWentAndNothingElse() {
        let old = EWSContact(Contact(
            givenName: "Ada", familyName: "Lovelace", emails: [LabeledValue("a@x.org"), LabeledValue("b@x.org")],
            phones: [LabeledValue("+1 (555) 010-0100", label: .work), LabeledValue("020 7946 0900", label: .home)]))
        let new = EWSContact(Contact(
            givenName: "Ada", emails: [LabeledValue("a@x.org")],
            phones: [LabeledValue("+1 (555) 010-0100", label: .work), LabeledValue("020 7946 0999", label: .home)]))
        let x = ContactWriter.changes(new, from: old)
        #expect(x.contains(#"<t:DeleteItemField><t:IndexedFieldURI FieldURI="contacts:EmailAddress" FieldIndex="EmailAddress2"/></t:DeleteItemField>"#))
        #expect(x.contains(#"<t:DeleteItemField><t:FieldURI FieldURI="contacts:Surname"/></t:DeleteItemField>"#))
        #expect(x.contains(#"FieldIndex="HomePhone"/><t:Contact><t:PhoneNumbers><t:Entry Key="HomePhone">020 7946 0999</t:Entry>"#))
        // Untouched: the first email, the business phone, the given name.
        #expect(!x.contains("EmailAddress1"))
        #expect(!x.contains("BusinessPhone"))
        #expect(!x.contains("GivenName"))
        // Extras are never deleted: the hub sends them only when they are mapped.
        #expect(!x.contains("OfficeLocation"))
        #expect(ContactWriter.changes(new, from: new).isEmpty)
    }

    @Test func versionsCarryThePhoto() {
        let v = EWSVersion(changeKey: "CK", photo: .init(hash: "abc", attachment: "ATT"))
        #expect(EWSVersion(v.remote) == v)
        #expect(EWSVersion(RemoteVersion("CK2")) == EWSVersion(changeKey: "CK2"))
    }

    @Test(arguments: ["2010 SP2", "Exchange2010_SP2", "2013", "2016", "2019", "SE"])
    func versionsAsUsersTypeThem(_ s: String) {
        #expect(ExchangeVersion(userInput: s) != nil)
    }
}

@Suite struct SOAPTests {
    static func fault(_ code: String, backOff: Int? = nil) -> Data {
        let xml = """
            <?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="\(NS.soap)"><s:Body><s:Fault>\
            <faultcode xmlns:a="\(NS.t)">a:\(code)</faultcode><faultstring xml:lang="en-US">busy</faultstring>\
            <detail><e:ResponseCode xmlns:e="\(NS.e)">\(code)</e:ResponseCode><e:Message xmlns:e="\(NS.e)">busy</e:Message>\
            <t:MessageXml xmlns:t="\(NS.t)">\(backOff.map { #"<t:Value Name="BackOffMilliseconds">\#($0)</t:Value>"# } ?? "")</t:MessageXml>\
            </detail></s:Fault></s:Body></s:Envelope>
            """
        return Data(xml.utf8)
    }

    @Test func serverBusyIsRetriedAfterItsBackOff() {
        let busy = HTTPResponseFixture.make(500, Self.fault("ErrorServerBusy", backOff: 2500))
        #expect(EWSSession.retryAdvice(busy) == .retry(after: .milliseconds(2500)))
        let other = HTTPResponseFixture.make(500, Self.fault("ErrorInvalidServerVersion"))
        #expect(EWSSession.retryAdvice(other) == .deliver)
        #expect(EWSSession.retryAdvice(HTTPResponseFixture.make(503, Data())) == nil)
    }

    @Test func aVersionFaultSaysPickAnOlderVersion() {
        do {
            _ = try SOAPResponse.messages(Self.fault("ErrorInvalidServerVersion"))
            Issue.record("no error")
        } catch let e as ConnectorError {
            #expect(e.kind == .misconfigured)
            #expect(e.message.contains("older"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func anOlderServerThatDoesNotKnowTheVersionNameSaysSoToo() throws {
        let fault = String(decoding: Self.fault("ErrorSchemaValidation"), as: UTF8.self)
            .replacingOccurrences(of: "<e:Message xmlns:e=\"\(NS.e)\">busy</e:Message>",
                                  with: "<e:Message xmlns:e=\"\(NS.e)\">The 'Version' attribute of 'RequestServerVersion' is invalid</e:Message>")
        do {
            _ = try SOAPResponse.messages(Data(fault.utf8))
            Issue.record("no error")
        } catch let e as ConnectorError {
            #expect(e.kind == .misconfigured)
        }
    }

    @Test func autodiscoverAnswers() throws {
        let ok = """
            <?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">\
            <Response xmlns="\(Autodiscover.responseSchema)"><Account><AccountType>email</AccountType><Action>settings</Action>\
            <Protocol><Type>EXPR</Type><EwsUrl>https://mail.example.com/EWS/Exchange.asmx</EwsUrl></Protocol></Account></Response></Autodiscover>
            """
        #expect(Autodiscover.parse(try XMLTree.parse(Data(ok.utf8))) == .ews(URL(string: "https://mail.example.com/EWS/Exchange.asmx")!))
        let redirect = ok.replacingOccurrences(of: "<Action>settings</Action>", with: "<Action>redirectAddr</Action><RedirectAddr>b@c.org</RedirectAddr>")
        #expect(Autodiscover.parse(try XMLTree.parse(Data(redirect.utf8))) == .redirectAddress("b@c.org"))
        #expect(Autodiscover.candidates(for: "ada@example.com").map(\.absoluteString) == [
            "https://example.com/autodiscover/autodiscover.xml", "https://autodiscover.example.com/autodiscover/autodiscover.xml",
        ])
    }
}

/// Exchange's fax slots are kinds of fax; it keeps no label text, preference or IM service.
@Suite struct EWSLabelMappingTests {
    @Test func faxesGoToTheirOwnSlots() {
        let c = Contact(phones: [LabeledValue("1", label: .homeFax), LabeledValue("2", label: .fax),
                                 LabeledValue("3", label: .workFax)])
        let slots = EWSContact(c.normalized())
        #expect(slots.phones == ["HomeFax": "1", "OtherFax": "2", "BusinessFax": "3"])
        #expect(slots.contact.phones.map(\.label) == [.workFax, .homeFax, .fax])
        // Two of a kind: the second takes a free fax slot, and reads back as that slot's kind.
        let two = EWSContact(Contact(phones: [LabeledValue("1", label: .workFax), LabeledValue("2", label: .workFax)]))
        #expect(two.phones == ["BusinessFax": "1", "OtherFax": "2"])
    }

    /// Eight "other" numbers fill Exchange's eight other slots, AssistantPhone last (as the
    /// Microsoft 365 spoke does), and read back in that order: none is lost between the two.
    @Test func eightOtherPhonesFitWithTheAssistantSlotLast() {
        let numbers = (1...8).map { "+1 555 010\($0)" }
        let c = Contact(phones: numbers.map { LabeledValue($0, label: .other) })
        let slots = EWSContact(c.normalized())
        #expect(slots.phones.count == 8 && slots.phones["AssistantPhone"] == "+1 555 0108")
        #expect(slots.contact.phones.map(\.value) == numbers)
        #expect(EWSContact.fit(c.normalized()).phones.count == 8)
    }

    @Test func detailsAreNotKeptAndTheFitSaysSo() {
        let c = Contact(emails: [LabeledValue("a@x", label: .home, customLabel: "Cottage", preferred: true)],
                        ims: [LabeledValue("ada", service: "skype")]).normalized()
        let fit = EWSContact.fit(c)
        #expect(fit.emails == [LabeledValue("a@x")])
        #expect(fit.ims == [LabeledValue("ada")])
    }

    /// A fax stays in its slot while that slot reads back with its label, and moves when relabelled
    /// (else Exchange would read back the old kind and undo the edit).
    @Test func aFaxStaysInItsSlotWhileItsKindFits() {
        var old = EWSContact()
        old.phones = ["BusinessFax": "1", "HomeFax": "3"]
        let c = Contact(phones: [LabeledValue("1", label: .workFax), LabeledValue("2", label: .mobile),
                                 LabeledValue("3", label: .fax)])
        #expect(EWSContact(c, keeping: old).phones == ["BusinessFax": "1", "MobilePhone": "2", "OtherFax": "3"])
    }
}
