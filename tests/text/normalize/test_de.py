"""German: numbers with the decimal comma, ordinals, dates, years, times, units, money and
abbreviations, each case as a narrator reads it."""

from __future__ import annotations

import pytest

from audio_edition.text.normalize import Normalizer

GERMAN = Normalizer("de-DE")


@pytest.mark.parametrize(
    "written, spoken",
    [
        # numbers
        ("Wir haben 21 Bücher.", "Wir haben einundzwanzig Bücher."),
        ("Das Buch hat 1.000 Seiten.", "Das Buch hat eintausend Seiten."),
        (
            "Die Stadt hat 1.234.567 Einwohner.",
            "Die Stadt hat eine Million zweihundertvierunddreißigtausendfünfhundertsiebenundsechzig"
            " Einwohner.",
        ),
        ("Es sind 1\u202f500 Leute.", "Es sind fünfzehnhundert Leute."),
        ("Die Wohnung hat 1 Zimmer.", "Die Wohnung hat ein Zimmer."),
        ("Er hat 3.", "Er hat drei."),
        ("Ich habe 3. Dann ging ich.", "Ich habe drei. Dann ging ich."),
        (
            "Wir zählten bis 12. Danach schliefen wir.",
            "Wir zählten bis zwölf. Danach schliefen wir.",
        ),
        ("Es geht bis zum 12. Kapitel.", "Es geht bis zum zwölften Kapitel."),
        ("Friedrich II. war König von Preußen.", "Friedrich der Zweite war König von Preußen."),
        ("Ludwig XIV baute Versailles.", "Ludwig der Vierzehnte baute Versailles."),
        ("Es regierte Karl IV.", "Es regierte Karl der Vierte."),
        # decimals
        ("Es sind 3,5 kg Mehl.", "Es sind drei Komma fünf Kilogramm Mehl."),
        ("Er ist 1,5 Stunden gelaufen.", "Er ist eins Komma fünf Stunden gelaufen."),
        ("Pi ist etwa 3,14.", "Pi ist etwa drei Komma eins vier."),
        # ordinals
        ("Der 1. Mai ist ein Feiertag.", "Der erste Mai ist ein Feiertag."),
        ("1. Mai", "erster Mai"),
        ("Am 3. Oktober feiern wir.", "Am dritten Oktober feiern wir."),
        ("Er belegte den 2. Platz.", "Er belegte den zweiten Platz."),
        ("Das war im 19. Jahrhundert.", "Das war im neunzehnten Jahrhundert."),
        (
            "Am Montag, den 3. Oktober, beim 5. Versuch.",
            "Am Montag, den dritten Oktober, beim fünften Versuch.",
        ),
        ("Die 2. Auflage ist da.", "Die zweite Auflage ist da."),
        ("Ab 1. Januar gilt es.", "Ab erstem Januar gilt es."),
        # dates
        (
            "Am 3. Oktober 2021 feiern wir.",
            "Am dritten Oktober zweitausendeinundzwanzig feiern wir.",
        ),
        (
            "Er wurde am 3.10.2021 geboren.",
            "Er wurde am dritten Oktober zweitausendeinundzwanzig geboren.",
        ),
        ("Termin: 03/10/2021.", "Termin: dritter Oktober zweitausendeinundzwanzig."),
        ("Am 2021-10-03 war es.", "Am dritten Oktober zweitausendeinundzwanzig war es."),
        (
            "Seit dem 1. Januar 2020 und bis zum 31. Dezember.",
            "Seit dem ersten Januar zweitausendzwanzig und bis zum einunddreißigsten Dezember.",
        ),
        ("Version 1.2.10 ist neu.", "Version 1.2.10 ist neu."),
        # day and month without a year, after a word that gives the ordinal its ending
        ("Heute ist der 24.12.", "Heute ist der vierundzwanzigste Dezember."),
        ("Am 1.5. kommt er.", "Am ersten Mai kommt er."),
        (
            "Vom 3.10. bis 5.10. geschlossen.",
            "Vom dritten Oktober bis fünften Oktober geschlossen.",
        ),
        ("Ab 1.5., sagt er.", "Ab erstem Mai, sagt er."),
        (
            "Heute ist der 24.12. Morgen nicht.",
            "Heute ist der vierundzwanzigste Dezember. Morgen nicht.",
        ),
        ("Am 24.12. Weihnachten feiern.", "Am vierundzwanzigsten Dezember Weihnachten feiern."),
        ("Seit dem 1.2.3.4 nichts.", "Seit dem 1.2.3.4 nichts."),
        ("Am 1.2.3. nichts.", "Am 1.2.3. nichts."),
        ("Am 32.12. und am 3.13. nicht.", "Am 32.12. und am 3.13. nicht."),
        ("Wir nutzen Version 1.2.", "Wir nutzen Version 1.2."),
        # years
        ("Es war 1995.", "Es war neunzehnhundertfünfundneunzig."),
        (
            "Er lebte von 1749 bis 1832.",
            "Er lebte von siebzehnhundertneunundvierzig bis achtzehnhundertzweiunddreißig.",
        ),
        ("Im Jahr 2024.", "Im Jahr zweitausendvierundzwanzig."),
        ("Die 1990er Jahre und die 20er.", "Die neunzehnhundertneunziger Jahre und die zwanziger."),
        # times
        ("Um 14:30 Uhr beginnt es.", "Um vierzehn Uhr dreißig beginnt es."),
        ("Treffen um 14.30 Uhr.", "Treffen um vierzehn Uhr dreißig."),
        ("Um 1 Uhr endet es, um 18 Uhr nicht.", "Um ein Uhr endet es, um achtzehn Uhr nicht."),
        ("Ab 9:05 Uhr.", "Ab neun Uhr fünf."),
        ("Um 0:30 Uhr", "Um null Uhr dreißig"),
        ("Um 23:59:30.", "Um dreiundzwanzig Uhr neunundfünfzig und dreißig Sekunden."),
        ("Es steht 2:1.", "Es steht zwei:eins."),
        # units
        (
            "Wir fuhren 5 km mit 30 km/h.",
            "Wir fuhren fünf Kilometer mit dreißig Kilometer pro Stunde.",
        ),
        ("Es hat 20 °C und 50 % Regen.", "Es hat zwanzig Grad Celsius und fünfzig Prozent Regen."),
        ("Es ist -5 °C kalt.", "Es ist minus fünf Grad Celsius kalt."),
        ("Es dauerte 1 h 30 min.", "Es dauerte eine Stunde dreißig Minuten."),
        (
            "Der Tank fasst 60 l, das Auto wiegt 1,2 t.",
            "Der Tank fasst sechzig Liter, das Auto wiegt eins Komma zwei Tonnen.",
        ),
        ("Die Wohnung hat 85 m².", "Die Wohnung hat fünfundachtzig Quadratmeter."),
        ("Er lief 1 km.", "Er lief ein Kilometer."),
        # money
        ("Das kostet 12,50 €.", "Das kostet zwölf Euro fünfzig."),
        ("Das kostet €12.50 und 1 €.", "Das kostet zwölf Euro fünfzig und ein Euro."),
        ("Nur 0,99 € pro Stück!", "Nur neunundneunzig Cent pro Stück!"),
        ("Es kostet $5 oder £3,50.", "Es kostet fünf Dollar oder drei Pfund fünfzig."),
        ("Der Preis: 1.299,00 €", "Der Preis: eintausendzweihundertneunundneunzig Euro"),
        ("Es kostet 2 EUR oder 12,50 Euro.", "Es kostet zwei Euro oder zwölf Euro fünfzig."),
        ("Es kostet 5 Mio. Euro.", "Es kostet fünf Millionen Euro."),
        ("Es kostet 20 CHF oder 1 CHF.", "Es kostet zwanzig Franken oder ein Franken."),
        ("Nur 3,50 CHF, 0,20 CHF.", "Nur drei Franken fünfzig, zwanzig Rappen."),
        (
            "Es sind 7 EUR, 20 USD, 5 GBP, 300 JPY.",
            "Es sind sieben Euro, zwanzig Dollar, fünf Pfund, dreihundert Yen.",
        ),
        # abbreviations
        (
            "Siehe Kap. 3 und Abb. 2 in Bd. 1.",
            "Siehe Kapitel drei und Abbildung zwei in Band eins.",
        ),
        ("Es dauert 2 Std. 30 Min.", "Es dauert zwei Stunden dreißig Minuten."),
        ("Nur 1 Std. und 45 Sek. Pause.", "Nur eine Stunde und fünfundvierzig Sekunden Pause."),
        ("Obst, z. B. Äpfel, d.h. gesund.", "Obst, zum Beispiel Äpfel, das heißt gesund."),
        (
            "Er las u. a. Goethe, Schiller usw.",
            "Er las unter anderem Goethe, Schiller und so weiter.",
        ),
        (
            "Das ist Nr. 5, ca. 20 Leute bzw. mehr.",
            "Das ist Nummer fünf, zirka zwanzig Leute beziehungsweise mehr.",
        ),
        ("Dr. Müller, Hr. Meier und Fr. Schmidt.", "Doktor Müller, Herr Meier und Frau Schmidt."),
        (
            "Treffen mit Prof. Dr. Weber, vgl. S. 12.",
            "Treffen mit Professor Doktor Weber, vergleiche Seite zwölf.",
        ),
        ("Z. B. morgen, evtl. später.", "Zum Beispiel morgen, eventuell später."),
        ("Äpfel, Birnen etc.", "Äpfel, Birnen et zetera."),
        ("Das Kind sagt: Fr. ist frei.", "Das Kind sagt: Fr. ist frei."),
        # symbols, comparisons and what generic did well
        ("Tom & Jerry", "Tom und Jerry"),
        ("wenn a <= b", "wenn a kleiner oder gleich b"),
        ("Der Hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b ist lang.", "Der Hash … ist lang."),
        ("Das ist *wichtig*.", "Das ist wichtig."),
        (
            "Tel. 0171-555-1234",
            "Telefon null eins sieben eins, fünf fünf fünf, eins zwei drei vier",
        ),
    ],
)
def test_german(written, spoken):
    assert GERMAN.spoken_form(written) == spoken
