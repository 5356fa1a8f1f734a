/// Real-world cards, reproduced in the shape their exporters write them.
enum Fixtures {
    static let all = [
        "apple": apple, "outlook": outlook, "google": google, "nextcloud": nextcloud, "android21": android21,
    ]

    /// iCloud / iOS Contacts export: item groups with X-ABLabel, year-less birthday, folded base64 PHOTO.
    static let apple = #"""
        BEGIN:VCARD
        VERSION:3.0
        PRODID:-//Apple Inc.//iPhone OS 17.2//EN
        N:Appleseed;Johnny;;;
        FN:Johnny Appleseed
        ORG:Apple Inc.;
        TITLE:Engineer
        item1.EMAIL;type=INTERNET;type=pref:johnny@icloud.com
        item1.X-ABLabel:_$!<Other>!$_
        EMAIL;type=INTERNET;type=WORK:johnny@apple.com
        TEL;type=CELL;type=VOICE;type=pref:+1 (408) 555-0101
        TEL;type=IPHONE;type=CELL;type=VOICE:+1 408 555 0102
        item2.TEL:+1 408 555 0103
        item2.X-ABLabel:_$!<Main>!$_
        item3.TEL:+1 408 555 0104
        item3.X-ABLabel:Cottage
        TEL;type=HOME;type=FAX:+1 408 555 0105
        item4.ADR;type=HOME;type=pref:;;1 Infinite Loop;Cupertino;CA;95014;United States
        item4.X-ABADR:us
        item5.URL;type=pref:https://www.apple.com
        item5.X-ABLabel:_$!<HomePage>!$_
        item6.X-ABDATE;type=pref:2010-06-05
        item6.X-ABLabel:_$!<Anniversary>!$_
        item7.X-ABRELATEDNAMES;type=pref:Jane Appleseed
        item7.X-ABLabel:_$!<Spouse>!$_
        IMPP;X-SERVICE-TYPE=Skype;type=HOME;type=pref:skype:johnny.appleseed
        BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-15
        NOTE:Met at WWDC\, 2019\nLikes apples
        X-SOCIALPROFILE;type=twitter:https://twitter.com/johnny
        PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgAAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY
         GRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRkdISUpLTE1OT1
         BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoOEhYaH
         iImKi4yNjo+QkZKTlJWWl5iZmpucnZ6foKGio6SlpqeoqaqrrK2ur7CxsrP/2Q==
        CATEGORIES:Family,Friends
        UID:0E9B3A5C-1F2D-4C3B-9A8E-7D6C5B4A3F21
        REV:2024-01-15T10:20:30Z
        END:VCARD
        """#

    /// Outlook vCard 2.1 export: bare TYPE params, QUOTED-PRINTABLE in Windows-1252 with soft breaks
    /// (the last continuation starts with a space that is content, not folding).
    static let outlook = """
        BEGIN:VCARD
        VERSION:2.1
        N;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:M=FCller;J=FCrgen
        FN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:J=FCrgen M=FCller
        ORG:Contoso GmbH;Vertrieb
        TITLE;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Gesch=E4ftsf=FChrer
        NOTE;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Erste Zeile=0D=0AZweite Zeile mit =80 und =93Anf=
        =FChrung=94, sehr lang und deshalb weich umbrochen=
         und weiter.
        TEL;WORK;VOICE:+49 30 1234567
        TEL;CELL;VOICE:+49 170 1234567
        TEL;WORK;FAX:+49 30 1234568
        ADR;WORK;PREF;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:;;Stra=DFe 1;M=FCnchen;;80331;Deutschland
        LABEL;WORK;PREF;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Stra=DFe 1=0D=0AM=FCnchen 80331
        URL;WORK:http://www.contoso.de
        EMAIL;PREF;INTERNET:juergen.mueller@contoso.de
        BDAY:19750812
        X-MS-OL-DEFAULT-POSTAL-ADDRESS:2
        REV:20240115T102030Z
        END:VCARD
        """

    /// Google Contacts export: escaped colon in URLs, X-ABLabel groups, CATEGORIES of group names.
    static let google = #"""
        BEGIN:VCARD
        VERSION:3.0
        FN:Ada Lovelace
        N:Lovelace;Ada;;;
        NICKNAME:Countess
        EMAIL;TYPE=INTERNET;TYPE=HOME:ada@example.com
        EMAIL;TYPE=INTERNET:ada.work@example.org
        TEL;TYPE=CELL:+44 20 7946 0000
        TEL;TYPE=WORK:+44 20 7946 0001
        ADR;TYPE=HOME:;;12 St James's Square;London;;SW1Y 4JH;United Kingdom
        ORG:Analytical Engines Ltd.
        TITLE:Programmer
        BDAY:--12-10
        item1.URL:http\://www.example.com/ada
        item1.X-ABLabel:PROFILE
        item2.X-ABDATE:1835-07-08
        item2.X-ABLabel:_$!<Anniversary>!$_
        item3.IMPP;X-SERVICE-TYPE=Jabber:xmpp:ada@jabber.example
        item3.X-ABLabel:_$!<Work>!$_
        CATEGORIES:myContacts,Starred in Android
        NOTE:Wrote the first algorithm\, allegedly.
        END:VCARD
        """#

    /// Nextcloud (sabre/vobject) in 4.0: data: URI photo, PREF=1, tel: URIs, quoted TYPE lists.
    static let nextcloud = #"""
        BEGIN:VCARD
        VERSION:4.0
        PRODID:-//Sabre//Sabre VObject 4.5.3//EN
        UID:3f1c6a86-5d7c-4b6e-9b3e-1c2d3e4f5a6b
        FN:Grace Hopper
        N:Hopper;Grace;Brewster Murray;Rear Admiral;
        ADR;TYPE=WORK:;;1 Navy Way;Arlington;VA;22202;USA
        EMAIL;TYPE=home:grace@home.example
        EMAIL;TYPE=work;PREF=1:grace@navy.example
        TEL;TYPE="voice,cell";VALUE=uri:tel:+1-202-555-0199
        TEL;TYPE=work:+1 202 555 0100
        ANNIVERSARY:19300615
        BDAY:19061209
        KIND:individual
        GENDER:F
        CATEGORIES:Navy,Computing\, Early
        GEO:geo:38.8719,-77.0563
        TZ:-05:00
        PHOTO:data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUl
         EQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==
        REV:20240115T102030Z
        END:VCARD
        """#

    /// An old Android / Nokia 2.1 card: bare params, base64 photo with indented lines and a
    /// terminating blank line.
    static let android21 = """
        BEGIN:VCARD
        VERSION:2.1
        N:Doe;Jane;;;
        FN:Jane Doe
        TEL;HOME;VOICE:555-1234
        TEL;WORK;PREF:555-5678
        TEL;CELL:555-0000
        EMAIL;INTERNET;WORK:jane@work.example
        ADR;HOME:;;1 Main St;Springfield;IL;62701;USA
        PHOTO;ENCODING=BASE64;GIF:
            R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAA
            LAAAAAABAAEAAAIBRAA7

        X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;JD;1;;;;;;;;;;;;;
        END:VCARD
        """
}
