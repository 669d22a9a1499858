"""Each recognizer on its own: true matches, near misses and checksum failures."""

import pytest

from recognizers import (
    DateOfBirthRecognizer, DutchAddressRecognizer, DutchLocationRecognizer, DutchPersonRecognizer,
    EmailRecognizer, IpAddressRecognizer, NlAgbRecognizer, NlBigRecognizer, NlBsnRecognizer,
    NlBtwRecognizer, NlIbanRecognizer, NlIdDocumentRecognizer, NlKvkRecognizer,
    NlMemberNumberRecognizer, NlPhoneRecognizer, NlPostcodeRecognizer, NlUzoviRecognizer,
)

THRESHOLD = 0.5


def found(recognizer, text, threshold=THRESHOLD):
    entity = recognizer.supported_entities[0]
    return [text[r.start:r.end] for r in recognizer.analyze(text, [entity]) if r.score >= threshold]


@pytest.mark.parametrize("text, expected", [
    ("BSN: 123456782", ["123456782"]),
    ("bsn 123.456.782 van de verzekerde", ["123.456.782"]),
    ("burgerservicenummer 1234.56.782", ["1234.56.782"]),
    ("BSN-nummer: 111 222 333", ["111 222 333"]),
    ("sofinummer 50260662", ["50260662"]),              # 8 digits, zero-padded, with label
    ("het nummer 123.456.782 staat op de pas", ["123.456.782"]),  # dotted: BSN shape
    ("BSN 123456789", []),                              # elfproef fails
    ("BSN 101222331", []),                              # onderwijsnummer
    ("factuurnummer 123456782", []),                    # passes the elfproef, but an invoice
    ("declaratie 111222333 en BSN 123456782", ["123456782"]),
    ("nummer 123456782", []),                           # bare 9 digits: low score
    ("12345678 stuks", []),                             # 8 digits without label
    ("IBAN NL91ABNA0417164300", []),                    # digits inside an IBAN
    ("bedrag 123.456.782,50", []),                      # an amount
])
def test_bsn(text, expected):
    assert found(NlBsnRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("IBAN NL91ABNA0417164300.", ["NL91ABNA0417164300"]),
    ("rekening NL91 ABNA 0417 1643 00 TEST", ["NL91 ABNA 0417 1643 00"]),
    ("DE89370400440532013000", ["DE89370400440532013000"]),
    ("GB29 NWBK 6016 1331 9268 19", ["GB29 NWBK 6016 1331 9268 19"]),
    ("NL91ABNA0417164301", []),                          # mod-97 fails
    ("NL91ABNA041716430", []),                           # too short
    ("code AB12CDEF34567890", []),
])
def test_iban(text, expected):
    assert found(NlIbanRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("UZOVI 3311", ["3311"]),
    ("uzovi-code: 7095", ["7095"]),
    ("zorgverzekeraar CZ (7119)", ["7119"]),              # known code next to an insurer
    ("zorgverzekeraar sinds 2019", []),
    ("in 2019 opgenomen", []),
    ("postcode 3311 AB", []),
    ("3311 euro", []),
])
def test_uzovi(text, expected):
    assert found(NlUzoviRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("AGB-code 01012345", ["01012345"]),
    ("AGB: 12-345678", ["12-345678"]),
    ("zorgverlenerscode 03054719", ["03054719"]),
    ("AGB 00123456", []),                                # prefix 00 is never issued
    ("ordernummer 01012345", []),
    ("01012345", []),                                    # no label
])
def test_agb(text, expected):
    assert found(NlAgbRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("geboren 12-03-1985", ["12-03-1985"]),
    ("geb. 12/03/1985", ["12/03/1985"]),
    ("Geboortedatum: 12.03.1985", ["12.03.1985"]),
    ("geboren op 12 maart 1985", ["12 maart 1985"]),
    ("geb. 12 mrt. 1985", ["12 mrt. 1985"]),
    ("geboortedatum 1985-03-12", ["1985-03-12"]),
    ("gebdat 19850312", ["19850312"]),
    ("behandeld op 12-03-2024", []),                     # treatment date
    ("geboren 12-03-1985, opgenomen 01-02-2024", ["12-03-1985"]),
    ("geboren 31-02-1985", []),                          # no such date
    ("geboren 12-03-1885", []),                          # implausible
    ("geboren 12-03-2099", []),                          # in the future
    ("factuurdatum 12-03-1985", []),
])
def test_date_of_birth(text, expected):
    assert found(DateOfBirthRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("3511 LK Utrecht", ["3511 LK"]),
    ("postcode 3511lk", ["3511lk"]),
    ("postcode 3511 lk", ["3511 lk"]),
    ("1234AB", ["1234AB"]),
    ("1234 SS", []),                                     # SA/SD/SS never issued
    ("neem 1000 mg", []),
    ("2000 IE vitamine D", []),
    ("in 2019 de patiënt", []),
    ("0123 AB", []),                                     # no leading zero
])
def test_postcode(text, expected):
    assert found(NlPostcodeRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("bel 06-12345678", ["06-12345678"]),
    ("0612345678", ["0612345678"]),
    ("+31 6 1234 5678", ["+31 6 1234 5678"]),
    ("+31 (0)20 123 4567", ["+31 (0)20 123 4567"]),
    ("0031 20 1234567", ["0031 20 1234567"]),
    ("tel. 020-1234567", ["020-1234567"]),
    ("036 547 2299", ["036 547 2299"]),
    ("(020) 123 4567", ["(020) 123 4567"]),
    ("0800-1234", ["0800-1234"]),
    ("0900 1234567", ["0900 1234567"]),
    ("op 06-12-2019 10:30", []),                         # a date and a time
    ("bedrag 0123456789", []),
    ("061234567", []),                                   # nine digits
])
def test_phone(text, expected):
    assert found(NlPhoneRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("mail j.devries@example.nl graag", ["j.devries@example.nl"]),
    ("Info@Tandarts-Praktijk.co.uk.", ["Info@Tandarts-Praktijk.co.uk"]),
    ("jan@localhost", []),
    ("jan@example.invalidtld", []),
    ("@twitterhandle", []),
])
def test_email(text, expected):
    assert found(EmailRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("scanner 192.168.10.25", ["192.168.10.25"]),
    ("ip 2001:db8::1", ["2001:db8::1"]),
    ("versie 999.1.2.3", []),
    ("12.03.1985", []),
])
def test_ip_address(text, expected):
    assert found(IpAddressRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("paspoort NXC4R2KL5", ["NXC4R2KL5"]),
    ("ID-kaart nr. IR57BN8L3", ["IR57BN8L3"]),
    ("documentnummer: BN1234567", ["BN1234567"]),
    ("paspoort NXO4R2KL5", []),                          # letter O never used
    ("paspoort ABCDEFGH1", []),                          # a word, not a number
    ("batch NXC4R2KL5", []),                             # no document label
])
def test_id_document(text, expected):
    assert found(NlIdDocumentRecognizer(), text) == expected


@pytest.mark.parametrize("recognizer, text, expected", [
    (NlBigRecognizer(), "BIG-nummer 19012345601", ["19012345601"]),
    (NlBigRecognizer(), "19012345601", []),
    (NlKvkRecognizer(), "KvK 12345678", ["12345678"]),
    (NlKvkRecognizer(), "AGB 12345678", []),
    (NlBtwRecognizer(), "btw-nummer NL004495445B01", ["NL004495445B01"]),
    (NlBtwRecognizer(), "NL004495446B01", []),                # checksum fails
    (NlMemberNumberRecognizer(), "verzekerdennummer 123456789", ["123456789"]),
    (NlMemberNumberRecognizer(), "polisnummer P-20193344", ["P-20193344"]),
    (NlMemberNumberRecognizer(), "nummer 123456789", []),
])
def test_labelled_numbers(recognizer, text, expected):
    assert found(recognizer, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Mevrouw Oukili belde.", ["Oukili"]),                           # unlisted name, title
    ("Dhr. J.P. van der Berg kwam langs.", ["J.P. van der Berg"]),
    ("Verzekerde Sjoerd Hoekstra-de Boer belde.", ["Sjoerd Hoekstra-de Boer"]),
    ("Geachte heer Nguyen,", ["Nguyen"]),
    ("Met vriendelijke groet,\n\nDr. A. Wijnstra\nTandarts", ["A. Wijnstra"]),
    ("Naam: Jansen, J.P.", ["Jansen, J.P."]),
    ("Gesprek met Fatima el Amrani.", ["Fatima el Amrani"]),
    ("huisarts Kowalczyk verwees", ["Kowalczyk"]),
    ("De heer Oukili belde. Later belde Oukili opnieuw.", ["Oukili", "Oukili"]),
    ("Patiënte heeft de ziekte van Parkinson.", []),                 # eponym
    ("Gesprek met de bakker op de hoek.", []),                       # common word
    ("Vandaag M. Crohn besproken.", []),                             # morbus Crohn
    ("Het Jeroen Bosch Ziekenhuis belde.", []),                      # institution
    ("Patiënt kwam. Bevestiging verstuurd.", []),                    # a role, then a new sentence
    ("Zwangerschapsverlof van Lotte.", ["Lotte"]),                   # lowercase 'van' is a preposition
    ("Ondertekend door J. van 't Hof.", ["J. van 't Hof"]),
])
def test_person(text, expected):
    assert found(DutchPersonRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Kerkstraat 12a, 3511 LK", ["Kerkstraat 12a"]),
    ("Laan van Meerdervoort 214", ["Laan van Meerdervoort 214"]),
    ("Prinsengracht 263-2", ["Prinsengracht 263-2"]),
    ("Vondelstraat 112 A", ["Vondelstraat 112 A"]),
    ("Burgemeester de Withstraat 9", ["Burgemeester de Withstraat 9"]),
    ("Kamer 12 is vrij", []),
    ("Postbus 1234", []),
    ("Kerkstraat 12 mg", []),
    ("kerkstraat 12", []),                                           # lowercase: no street name
])
def test_address(text, expected):
    assert found(DutchAddressRecognizer(), text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Hij woont in Utrecht.", ["Utrecht"]),
    ("Van Bergen op Zoom naar 's-Hertogenbosch.", ["Bergen op Zoom", "'s-Hertogenbosch"]),
    ("Verhuisd naar Den Haag", ["Den Haag"]),
    ("Het gaat echt best goed.", []),                                # Echt and Best are places too
    ("Woonplaats: Best", ["Best"]),
    ("3511 LK Utrecht", ["Utrecht"]),
])
def test_location(text, expected):
    assert found(DutchLocationRecognizer(), text) == expected
