"""French: numbers with the decimal comma, ordinals, dates, years, times, units, money and
abbreviations, each case as a narrator reads it."""

from __future__ import annotations

import pytest

from audio_edition.text.normalize import Normalizer

FRENCH = Normalizer("fr-FR")


@pytest.mark.parametrize(
    "written, spoken",
    [
        # numbers
        ("J'ai 3 chats.", "J'ai trois chats."),
        ("Nous avons 21 livres et 1 000 pages.", "Nous avons vingt et un livres et mille pages."),
        (
            "Il y a 1\u202f234\u202f567 habitants.",
            "Il y a un million deux cent trente-quatre mille cinq cent soixante-sept habitants.",
        ),
        ("Il y a 1\u00a0234 livres.", "Il y a mille deux cent trente-quatre livres."),
        ("Il fait -4 degrés.", "Il fait moins quatre degrés."),
        ("Il a 3 ans. Fin.", "Il a trois ans. Fin."),
        # decimals
        ("Il pèse 3,5 kg.", "Il pèse trois virgule cinq kilogrammes."),
        ("Le taux est de 3,25 %.", "Le taux est de trois virgule vingt-cinq pour cent."),
        ("Il mesure 1,05 m.", "Il mesure un virgule zéro cinq mètre."),
        ("Il verse 0,75 l de vin.", "Il verse zéro virgule soixante-quinze litre de vin."),
        # ordinals
        ("La 1re fois, le 2e jour, le 3ème.", "La première fois, le deuxième jour, le troisième."),
        ("Le 2nd Empire et la 1ère place.", "Le second Empire et la première place."),
        ("Le 1er arrivé et la 2nde manche.", "Le premier arrivé et la seconde manche."),
        ("Au XIXe siècle, sous François Ier.", "Au dix-neuvième siècle, sous François premier."),
        (
            "Le XXIe siècle et la Ve République.",
            "Le vingt et unième siècle et la cinquième République.",
        ),
        ("Le 21e étage, le 1\u1d49\u02b3 prix.", "Le vingt et unième étage, le premier prix."),
        (
            "Louis XIV et Chapitre IX, mais Malcolm X.",
            "Louis quatorze et Chapitre neuf, mais Malcolm X.",
        ),
        # dates
        ("Le 1er mai 2020, nous étions là.", "Le premier mai deux mille vingt, nous étions là."),
        (
            "Le 1 mai et le 14 juillet 1789.",
            "Le premier mai et le quatorze juillet mille sept cent quatre-vingt-neuf.",
        ),
        ("Rendez-vous le 03/10/2021.", "Rendez-vous le trois octobre deux mille vingt et un."),
        (
            "Le 01.02.2022 et le 2023-12-25.",
            "Le premier février deux mille vingt-deux et le vingt-cinq décembre deux mille"
            " vingt-trois.",
        ),
        # years
        ("Il est né en 1995.", "Il est né en mille neuf cent quatre-vingt-quinze."),
        (
            "En 52 av. J.-C. et en 14 apr. J.-C.",
            "En cinquante-deux avant Jésus-Christ et en quatorze après Jésus-Christ.",
        ),
        # times
        ("Rendez-vous à 14h30.", "Rendez-vous à quatorze heures trente."),
        (
            "Il est 14 h 30, puis 8h, puis 1 h et 21h.",
            "Il est quatorze heures trente, puis huit heures, puis une heure et vingt et une"
            " heures.",
        ),
        ("À 14:30 précises.", "À quatorze heures trente précises."),
        ("À 0h15 puis à 12:00.", "À zéro heure quinze puis à douze heures."),
        ("À 23:59:30.", "À vingt-trois heures cinquante-neuf et trente secondes."),
        ("Le match dure 1 h 05.", "Le match dure une heure cinq."),
        # units
        ("Il a couru 10 km en 1 h.", "Il a couru dix kilomètres en une heure."),
        ("Il roule à 130 km/h.", "Il roule à cent trente kilomètres à l'heure."),
        (
            "Le lac fait 3,2 km² et 21 t d'eau.",
            "Le lac fait trois virgule deux kilomètres carrés et vingt et une tonnes d'eau.",
        ),
        (
            "Il fait 20 °C et -2 °C la nuit.",
            "Il fait vingt degrés Celsius et moins deux degrés Celsius la nuit.",
        ),
        (
            "Ajoutez 250 ml d'eau et 1 g de sel.",
            "Ajoutez deux cent cinquante millilitres d'eau et un gramme de sel.",
        ),
        ("Il attend 1 min puis 15 min.", "Il attend une minute puis quinze minutes."),
        # money
        ("Ça coûte 12,50 €.", "Ça coûte douze euros cinquante."),
        (
            "Ça coûte €12.50 ou 1 € ou 0,50 €.",
            "Ça coûte douze euros cinquante ou un euro ou cinquante centimes.",
        ),
        ("Un budget de 2 000 000 €.", "Un budget de deux millions d'euros."),
        (
            "Il a payé 99,99 € et 5 $.",
            "Il a payé quatre-vingt-dix-neuf euros quatre-vingt-dix-neuf et cinq dollars.",
        ),
        ("Une livre coûte £3 et 1 £.", "Une livre coûte trois livres et une livre."),
        ("Ça fait 12 euros.", "Ça fait douze euros."),
        ("Ça coûte 20 CHF ou 1 CHF.", "Ça coûte vingt francs ou un franc."),
        ("Ça coûte 3,50 CHF, 0,20 CHF.", "Ça coûte trois francs cinquante, vingt centimes."),
        (
            "Il a 7 EUR, 20 USD, 5 GBP, 300 JPY.",
            "Il a sept euros, vingt dollars, cinq livres, trois cents yens.",
        ),
        # abbreviations
        (
            "Voir le chap. 3, fig. 2, pp. 45-50.",
            "Voir le chapitre trois, figure deux, pages quarante-cinq à cinquante.",
        ),
        ("M. Dupont et Mme Martin.", "Monsieur Dupont et Madame Martin."),
        (
            "Mlle Roux, MM. Durand et Dr Petit.",
            "Mademoiselle Roux, Messieurs Durand et Docteur Petit.",
        ),
        ("Des fruits, p. ex. des pommes, etc.", "Des fruits, par exemple des pommes, etcétéra."),
        ("Le n° 5, c.-à-d. le dernier.", "Le numéro cinq, c'est-à-dire le dernier."),
        (
            "Voir p. 5, env. 30 personnes, cf. p. 7.",
            "Voir page cinq, environ trente personnes, voir page sept.",
        ),
        ("Le Pr Martin habite à St-Denis.", "Le Professeur Martin habite à Saint-Denis."),
        ("Il a dit M. et puis rien.", "Il a dit M. et puis rien."),
        # symbols, comparisons and what generic did well
        ("Tom & Jerry", "Tom et Jerry"),
        ("si a <= b", "si a inférieur ou égal à b"),
        ("Le hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b est long.", "Le hash … est long."),
        ("C'est *important*.", "C'est important."),
    ],
)
def test_french(written, spoken):
    assert FRENCH.spoken_form(written) == spoken


@pytest.mark.parametrize("written", ["100 " * 25_000, "1" + " 000" * 25_000])
def test_a_100_kb_run_of_space_grouped_numbers_is_read_in_linear_time(written):
    # Tried again from each of its groups, such a run took minutes (over 20 s at 100 KB).
    spoken = FRENCH.spoken_form(written).split()
    assert len(spoken) == sum(ch.isdigit() for ch in written)
    assert set(spoken) == {"un", "zéro"}
