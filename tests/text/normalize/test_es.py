"""Spanish: numbers with the decimal comma, ordinals, dates, years, times, units, money and
abbreviations, each case as a narrator reads it."""

from __future__ import annotations

import pytest

from audio_edition.text.normalize import Normalizer

SPANISH = Normalizer("es-ES")


@pytest.mark.parametrize(
    "written, spoken",
    [
        # numbers
        ("Tengo 3 gatos y 21 perros.", "Tengo tres gatos y veintiún perros."),
        (
            "Tiene 1.234.567 habitantes.",
            "Tiene un millón doscientos treinta y cuatro mil quinientos sesenta y siete"
            " habitantes.",
        ),
        ("Hay 1\u202f000 libros.", "Hay mil libros."),
        (
            "Tiene 1 hijo y 31 años, página 21 de 30.",
            "Tiene un hijo y treinta y un años, página veintiuno de treinta.",
        ),
        (
            "Hay 81.000 habitantes y 101.000 votos.",
            "Hay ochenta y un mil habitantes y ciento un mil votos.",
        ),
        ("Vinieron 21000 personas.", "Vinieron veintiún mil personas."),
        (
            "Ganó 21.000.000 € y 31.000.000.000 €.",
            "Ganó veintiún millones de euros y treinta y un mil millones de euros.",
        ),
        ("Son 21.001 votos.", "Son veintiún mil un votos."),
        ("Hace -3 grados.", "Hace menos tres grados."),
        ("Son 3. Nada más.", "Son tres. Nada más."),
        # decimals
        ("Pesa 3,5 kg.", "Pesa tres coma cinco kilogramos."),
        ("Mide 1,80 m.", "Mide uno coma ochenta metros."),
        ("Son 2,1 km y 0,05 l.", "Son dos coma uno kilómetros y cero coma cero cinco litros."),
        # ordinals
        ("El 1.º de la clase y la 2.ª vez.", "El primero de la clase y la segunda vez."),
        ("El 1er piso, el 3.er día y el 5º año.", "El primer piso, el tercer día y el quinto año."),
        ("La 21ª edición.", "La vigésima primera edición."),
        ("El 3.º piso y el 1.º día.", "El tercer piso y el primer día."),
        ("El 21.º piso y el 13º año.", "El vigésimo primer piso y el décimo tercer año."),
        ("El 3.º de la lista, el 1.º en llegar.", "El tercero de la lista, el primero en llegar."),
        ("Quedó 3.º. Luego 1.º y 2.º.", "Quedó tercero. Luego primero y segundo."),
        ("La 3.ª planta y la 1.ª vez.", "La tercera planta y la primera vez."),
        ("En el siglo XXI y en el siglo XIX.", "En el siglo veintiuno y en el siglo diecinueve."),
        ("Carlos III y Alfonso XIII.", "Carlos tercero y Alfonso trece."),
        ("Capítulo IV, pero Malcolm X.", "Capítulo cuarto, pero Malcolm X."),
        # dates
        ("El 1 de mayo de 2020 fue viernes.", "El uno de mayo de dos mil veinte fue viernes."),
        ("El 15 de agosto de 1995.", "El quince de agosto de mil novecientos noventa y cinco."),
        (
            "Nació el 03/10/2021 en Madrid.",
            "Nació el tres de octubre de dos mil veintiuno en Madrid.",
        ),
        (
            "El 01.02.2022 y el 2023-12-25.",
            "El uno de febrero de dos mil veintidós y el veinticinco de diciembre de dos mil"
            " veintitrés.",
        ),
        # years
        ("En 1492 llegó Colón.", "En mil cuatrocientos noventa y dos llegó Colón."),
        ("Murió en el 44 a. C.", "Murió en el cuarenta y cuatro antes de Cristo."),
        # times
        ("Nos vemos a las 14:30.", "Nos vemos a las catorce y treinta."),
        ("A las 9:00 o a la 1:15.", "A las nueve o a la una y quince."),
        ("El tren sale a las 7:05.", "El tren sale a las siete y cinco."),
        (
            "Abre a las 14:05 h y cierra a las 20:00 h.",
            "Abre a las catorce horas y cinco y cierra a las veinte horas.",
        ),
        (
            "A las 21:00 y a las 23:59:30.",
            "A las veintiuna y a las veintitrés y cincuenta y nueve y treinta segundos.",
        ),
        # units
        ("Recorrió 21 km a 100 km/h.", "Recorrió veintiún kilómetros a cien kilómetros por hora."),
        ("Durante 1 h y 45 min.", "Durante una hora y cuarenta y cinco minutos."),
        (
            "Hace 20 °C con un 50 % de humedad.",
            "Hace veinte grados Celsius con un cincuenta por ciento de humedad.",
        ),
        ("Hace -3 °C.", "Hace menos tres grados Celsius."),
        (
            "Un piso de 90 m² y 1 t de peso.",
            "Un piso de noventa metros cuadrados y una tonelada de peso.",
        ),
        (
            "Añade 1 l de agua y 250 g de harina.",
            "Añade un litro de agua y doscientos cincuenta gramos de harina.",
        ),
        # money
        ("Cuesta 12,50 €.", "Cuesta doce euros con cincuenta."),
        (
            "Cuesta €12.50 o 1 € o 21 €.",
            "Cuesta doce euros con cincuenta o un euro o veintiún euros.",
        ),
        ("Solo 0,99 €.", "Solo noventa y nueve céntimos."),
        ("Ganó 1.000.000 €.", "Ganó un millón de euros."),
        ("Cuesta £1 y 2 £.", "Cuesta una libra y dos libras."),
        ("Son 5 $ o 10 dólares.", "Son cinco dólares o diez dólares."),
        ("Cuesta 20 CHF o 1 CHF.", "Cuesta veinte francos suizos o un franco suizo."),
        (
            "Cuesta 3,50 CHF, 0,20 CHF.",
            "Cuesta tres francos suizos con cincuenta, veinte céntimos.",
        ),
        (
            "Son 7 EUR, 20 USD, 5 GBP, 300 JPY.",
            "Son siete euros, veinte dólares, cinco libras, trescientos yenes.",
        ),
        # a feminine unit or currency: the hundreds and the ones agree below a million
        (
            "Pesa 352 libras y cuesta 352 £.",
            "Pesa trescientas cincuenta y dos libras y cuesta trescientas cincuenta y dos libras.",
        ),
        ("Son 500 t en 21 horas.", "Son quinientas toneladas en veintiuna horas."),
        ("Duró 201 horas, 1500 horas.", "Duró doscientas una horas, mil quinientas horas."),
        ("Ganó 352.000 £.", "Ganó trescientas cincuenta y dos mil libras."),
        ("Ganó 1.200.000 £.", "Ganó un millón doscientas mil libras."),
        ("Ganó 200.000.000 £.", "Ganó doscientos millones de libras."),
        (
            "Hay 352 perros y 352 personas.",
            "Hay trescientos cincuenta y dos perros y trescientos cincuenta y dos personas.",
        ),
        # abbreviations
        (
            "Véase el cap. 3, fig. 2, págs. 45 y 46.",
            "Véase el capítulo tres, figura dos, páginas cuarenta y cinco y cuarenta y seis.",
        ),
        (
            "El Sr. García, la Sra. López y la Srta. Ruiz.",
            "El señor García, la señora López y la señorita Ruiz.",
        ),
        ("El Dr. Pérez y la Dra. Gómez.", "El doctor Pérez y la doctora Gómez."),
        ("Frutas, p. ej. manzanas, etc.", "Frutas, por ejemplo manzanas, etcétera."),
        ("¿Cómo está Ud.? ¿Y Uds.?", "¿Cómo está usted? ¿Y ustedes?"),
        ("Vive en el n.º 5 y en el nº 7.", "Vive en el número cinco y en el número siete."),
        ("Llamó a D. Quijote desde EE. UU.", "Llamó a don Quijote desde Estados Unidos."),
        ("Mide aprox. 3 m, véase pág. 12.", "Mide aproximadamente tres metros, véase página doce."),
        # symbols, comparisons and what generic did well
        ("Tom & Jerry", "Tom y Jerry"),
        ("si a >= b", "si a mayor o igual que b"),
        ("El hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b es largo.", "El hash … es largo."),
        ("Es *importante*.", "Es importante."),
    ],
)
def test_spanish(written, spoken):
    assert SPANISH.spoken_form(written) == spoken


@pytest.mark.parametrize(
    "written, spoken",
    [
        ("El 1 de mayo de 2020.", "El primero de mayo de dos mil veinte."),
        ("Nació el 01/10/2021.", "Nació el primero de octubre de dos mil veintiuno."),
        ("El 21 de mayo.", "El veintiuno de mayo."),
    ],
)
def test_the_first_day_is_an_ordinal_outside_spain(written, spoken):
    assert Normalizer("es-MX").spoken_form(written) == spoken
