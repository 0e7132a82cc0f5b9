"""A narrator's table: short sentences of realistic prose and the reading a careful listener
expects."""

from __future__ import annotations

import pytest

from audio_edition.text.normalize import Normalizer
from tests.text.normalize import said

ENGLISH = Normalizer()

# Cardinals, decimals, percentages and years
CARDINALS = [
    ("The recipe serves 4 people.", "The recipe serves four people."),
    ("We planted 12 trees.", "We planted twelve trees."),
    ("The stadium holds 45,000 fans.", "The stadium holds forty-five thousand fans."),
    (
        "The town has 1,234 residents.",
        "The town has one thousand two hundred and thirty-four residents.",
    ),
    ("Pi is roughly 3.14.", "Pi is roughly three point one four."),
    ("The temperature fell to -5 overnight.", "The temperature fell to minus five overnight."),
    ("Add 0.5 teaspoons of salt.", "Add zero point five teaspoons of salt."),
    ("The index rose 2.75 points.", "The index rose two point seven five points."),
    ("There were 100 entries.", "There were one hundred entries."),
    ("The bridge took 7 years to build.", "The bridge took seven years to build."),
    ("Turnout was 63% this year.", "Turnout was sixty-three percent this year."),
    ("Interest rose by 0.25%.", "Interest rose by zero point two five percent."),
    ("The city spent 1.5 million on roads.", "The city spent one point five million on roads."),
    ("He scored 30 points in 2 games.", "He scored thirty points in two games."),
    ("The novel was published in 1995.", "The novel was published in nineteen ninety-five."),
    ("She was born in 2008.", "She was born in two thousand and eight."),
    ("The population is 8,000,000.", "The population is eight million."),
    ("The Normans landed in 1066.", "The Normans landed in ten sixty-six."),
    ("The abbey was finished in 1090.", "The abbey was finished in ten ninety."),
    ("Divide it by 1024.", "Divide it by one thousand and twenty-four."),
    ("Around 1050 men died.", "Around one thousand and fifty men died."),
    ("In 1066, the Normans came.", "In ten sixty-six, the Normans came."),
    ("The chronicle ends in 1087 AD.", "The chronicle ends in ten eighty-seven AD."),
    ("The survey found 1050 cases.", "The survey found one thousand and fifty cases."),
    ("She counted 1066 sheep.", "She counted one thousand and sixty-six sheep."),
]


@pytest.mark.parametrize("written, spoken", CARDINALS)
def test_cardinals(written: str, spoken: str) -> None:
    assert ENGLISH.spoken_form(written) == spoken


# Ordinals
ORDINALS = [
    ("She finished 1st in the race.", "She finished first in the race."),
    ("He came 2nd overall.", "He came second overall."),
    ("Our 3rd album is out.", "Our third album is out."),
    ("It is the 4th edition.", "It is the fourth edition."),
    ("Turn left at the 22nd street.", "Turn left at the twenty-second street."),
    ("The 21st century began in 2001.", "The twenty-first century began in two thousand and one."),
    ("They celebrated their 50th anniversary.", "They celebrated their fiftieth anniversary."),
    ("It was her 100th match.", "It was her one hundredth match."),
    ("He lives on the 11th floor.", "He lives on the eleventh floor."),
    ("The 13th chapter is short.", "The thirteenth chapter is short."),
    ("The team is ranked 33rd.", "The team is ranked thirty-third."),
    ("The 19th century saw rapid change.", "The nineteenth century saw rapid change."),
    ("This is the 101st time.", "This is the one hundred and first time."),
    ("Our 12th birthday party was fun.", "Our twelfth birthday party was fun."),
]


@pytest.mark.parametrize("written, spoken", ORDINALS)
def test_ordinals(written: str, spoken: str) -> None:
    assert ENGLISH.spoken_form(written) == spoken


# Money
MONEY = [
    ("The sandwich costs $5.99.", "The sandwich costs five dollars and ninety-nine cents."),
    ("Tickets are $20.", "Tickets are twenty dollars."),
    ("A coffee is £3.50 here.", "A coffee is three pounds and fifty pence here."),
    ("Entry is £10.", "Entry is ten pounds."),
    ("The book costs €15.", "The book costs fifteen euros."),
    ("Lunch was €12.40.", "Lunch was twelve euros and forty cents."),
    ("The deal is worth $1.2 billion.", "The deal is worth one point two billion dollars."),
    ("The startup raised $5m.", "The startup raised five million dollars."),
    ("Gum costs $.50.", "Gum costs fifty cents."),
    ("It costs $1.", "It costs one dollar."),
    ("A ramen bowl is ¥900.", "A ramen bowl is nine hundred yen."),
    ("Rent is $1,500 a month.", "Rent is one thousand five hundred dollars a month."),
    ("The fine was $0.01.", "The fine was one cent."),
    ("Revenue hit $3bn last year.", "Revenue hit three billion dollars last year."),
    ("The salary is $50k.", "The salary is fifty thousand dollars."),
    ("He paid £1.01 for it.", "He paid one pound and one penny for it."),
]


@pytest.mark.parametrize("written, spoken", MONEY)
def test_money(written: str, spoken: str) -> None:
    assert ENGLISH.spoken_form(written) == spoken


# Dates in every written form, and decades
DATES = [
    ("The meeting is on March 5.", "The meeting is on March fifth."),
    ("The launch is March 15, 2024.", "The launch is March fifteenth, twenty twenty-four."),
    ("We met on 5 March 2024.", "We met on the fifth of March twenty twenty-four."),
    ("The release date is 2024-03-05.", "The release date is March fifth, twenty twenty-four."),
    ("The form is dated 3/5/2024.", "The form is dated March fifth, twenty twenty-four."),
    ("It happened jul 25 2012.", "It happened July twenty-fifth twenty twelve."),
    ("The concert was 25 july 2012.", "The concert was the twenty-fifth of July twenty twelve."),
    ("The deadline is 25/07/2012.", "The deadline is the twenty-fifth of July twenty twelve."),
    (
        "The invoice is dated 25.07.2012.",
        "The invoice is dated the twenty-fifth of July twenty twelve.",
    ),
    ("Music changed in the 1990s.", "Music changed in the nineteen nineties."),
    ("Fashion in the 1980 s was loud.", "Fashion in the nineteen eighties was loud."),
    ("She grew up in the 60s.", "She grew up in the sixties."),
    ("Jazz thrived in the 1920s.", "Jazz thrived in the nineteen twenties."),
    ("The war lasted 1939-1945.", "The war lasted nineteen thirty-nine to nineteen forty-five."),
    ("The shop opens on Dec 24.", "The shop opens on December twenty-fourth."),
    ("We flew out on Jan 1, 2020.", "We flew out on January first, twenty twenty."),
    ("The festival starts July 4th.", "The festival starts July fourth."),
    ("The report is due 2023-11-30.", "The report is due November thirtieth, twenty twenty-three."),
    ("He was born on 12/25/1990.", "He was born on December twenty-fifth, nineteen ninety."),
    ("The exam is on 1 September.", "The exam is on the first of September."),
    (
        "The treaty was signed in 1990-1995.",
        "The treaty was signed in nineteen ninety to nineteen ninety-five.",
    ),
    ("Sales peaked in the 2000s.", "Sales peaked in the two thousands."),
]


@pytest.mark.parametrize("written, spoken", DATES)
def test_dates(written: str, spoken: str) -> None:
    assert ENGLISH.spoken_form(written) == spoken


# Clock times, a.m./p.m., seconds and time zones
TIMES = [
    ("The train leaves at 10:30 p.m.", "The train leaves at ten thirty PM."),
    ("Doors open at 10:00.", "Doors open at ten o'clock."),
    ("The call is at 1:59 p.m. EST.", "The call is at one fifty-nine PM E S T."),
    ("Breakfast ends at 9:45 am.", "Breakfast ends at nine forty-five AM."),
    ("The shop closes at 5 PM.", "The shop closes at five PM."),
    ("Wake me at 7am.", "Wake me at seven AM."),
    ("The bus came at 6:15 AM.", "The bus came at six fifteen AM."),
    ("The flight lands at 14:30 UTC.", "The flight lands at two thirty PM U T C."),
    ("The lap ended at 10:30:15.", "The lap ended at ten thirty and fifteen seconds."),
    ("We meet at 01:00 a.m. sharp.", "We meet at one AM sharp."),
    ("Lunch is at 12:30.", "Lunch is at twelve thirty PM."),
    ("The show starts at 8:05 pm.", "The show starts at eight oh five PM."),
    ("The alarm rang at 6:00 a.m.", "The alarm rang at six AM."),
    ("The match kicks off at 3pm GMT.", "The match kicks off at three PM G M T."),
    ("The webinar is at 11:00 am PST.", "The webinar is at eleven AM P S T."),
    ("Check-in is from 15:00.", "Check-in is from three PM."),
    ("The store opens at 9 a.m. daily.", "The store opens at nine AM daily."),
    ("The outage began at 23:59.", "The outage began at eleven fifty-nine PM."),
]


@pytest.mark.parametrize("written, spoken", TIMES)
def test_times(written: str, spoken: str) -> None:
    assert ENGLISH.spoken_form(written) == spoken


# Fractions and mixed numbers
FRACTIONS = [
    ("Add 1/4 cup of sugar.", "Add one quarter cup of sugar."),
    ("Use 2/3 of the dough.", "Use two thirds of the dough."),
    ("Bake for 3 1/2 hours.", "Bake for three and a half hours."),
    ("Support is available 24/7.", "Support is available twenty-four seven."),
    ("It is a 50/50 chance.", "It is a fifty fifty chance."),
    ("Stir in 1/2 cup of milk.", "Stir in one half cup of milk."),
    ("Cut 3/4 of an inch off.", "Cut three quarters of an inch off."),
    ("Add 1 1/4 cups of flour.", "Add one and a quarter cups of flour."),
    ("Only 1/3 of voters agreed.", "Only one third of voters agreed."),
    ("Fold in 2 3/4 cups of oats.", "Fold in two and three quarters cups of oats."),
    ("About 5/8 of the route is paved.", "About five eighths of the route is paved."),
    ("Use a 1/8 teaspoon of cloves.", "Use a one eighth teaspoon of cloves."),
    ("Pour 1/10 of the mix.", "Pour one tenth of the mix."),
    ("He ran 2 1/2 miles.", "He ran two and a half miles."),
]


@pytest.mark.parametrize("written, spoken", FRACTIONS)
def test_fractions(written: str, spoken: str) -> None:
    assert ENGLISH.spoken_form(written) == spoken


# Measures: SI, imperial, data, speeds, temperatures, per
MEASURES = [
    ("Add 2 tbsp of oil.", "Add two tablespoons of oil."),
    ("Stir in 1 tsp of salt.", "Stir in one teaspoon of salt."),
    ("Pressure rose to 30 psi.", "Pressure rose to thirty pounds per square inch."),
    ("The suitcase weighs 12kg.", "The suitcase weighs twelve kilograms."),
    ("The walk is 1 km long.", "The walk is one kilometer long."),
    ("The limit is 30 km/h.", "The limit is thirty kilometers per hour."),
    ("The phone has 5 GB free.", "The phone has five gigabytes free."),
    ("Apples cost 3 dollars, or 12/kg.", "Apples cost three dollars, or twelve per kilogram."),
    ("Buy a 2-5lb bag.", "Buy a two to five pounds bag."),
    ("He ran the 100m in record time.", "He ran the one hundred meters in record time."),
    ("Insert a 9V battery.", "Insert a nine volt battery."),
    ("The water boils at 100°C.", "The water boils at one hundred degrees Celsius."),
    ("It was 20°C outside.", "It was twenty degrees Celsius outside."),
    (
        "Preheat the oven to 350°F.",
        "Preheat the oven to three hundred and fifty degrees Fahrenheit.",
    ),
    ("The pizza weighs 500 g.", "The pizza weighs five hundred grams."),
    ("Add 250ml of water.", "Add two hundred and fifty milliliters of water."),
    ("The cable is 3 ft long.", "The cable is three feet long."),
    ("Use 8 oz of cheese.", "Use eight ounces of cheese."),
    ("The car does 60 mph.", "The car does sixty miles per hour."),
    ("The link runs at 100 Mbps.", "The link runs at one hundred megabits per second."),
    ("The response took 5 ms.", "The response took five milliseconds."),
    ("The radio tunes to 440 kHz.", "The radio tunes to four hundred and forty kilohertz."),
    ("The house used 300 kWh.", "The house used three hundred kilowatt hours."),
    ("The drive holds 2 TB.", "The drive holds two terabytes."),
    ("Download 1.5 GB of data.", "Download one point five gigabytes of data."),
    ("Drink 2L of water daily.", "Drink two liters of water daily."),
    ("The bulb is 60W.", "The bulb is sixty watts."),
    ("The flight covers 500 miles.", "The flight covers five hundred miles."),
    ("The file is 200 MB.", "The file is two hundred megabytes."),
    ("The bag weighs 1 lb.", "The bag weighs one pound."),
    ("The marathon is 42.2 km.", "The marathon is forty-two point two kilometers."),
    ("The screw is 5 mm wide.", "The screw is five millimeters wide."),
    ("The wind reached 80 km/h.", "The wind reached eighty kilometers per hour."),
    ("Fuel is sold at 2 dollars per gallon.", "Fuel is sold at two dollars per gallon."),
    ("The rate is 10 MB/s.", "The rate is ten megabytes per second."),
    (
        "The peak is 8,849 m high.",
        "The peak is eight thousand eight hundred and forty-nine meters high.",
    ),
    ("The remote takes a 9V battery.", "The remote takes a nine volt battery."),
    ("We ran a 5 km loop.", "We ran a five kilometer loop."),
    ("Buy a 2 kg bag of flour.", "Buy a two kilogram bag of flour."),
    ("She won the 10-km race.", "She won the ten kilometer race."),
    ("It is a 5-min walk.", "It is a five minute walk."),
    ("A 30 mph wind blew.", "A thirty mile per hour wind blew."),
    ("The bag weighs 2 kg in all.", "The bag weighs two kilograms in all."),
]


@pytest.mark.parametrize("written, spoken", MEASURES)
def test_measures(written: str, spoken: str) -> None:
    assert ENGLISH.spoken_form(written) == spoken


# Telephone numbers
PHONES = [
    ("Call 555-0100 to book.", "Call five five five, zero one zero zero to book."),
    (
        "Our office line is 020 7946 0018.",
        "Our office line is zero two zero, seven nine four six, zero zero one eight.",
    ),
    (
        "Call us at (555) 123-4567.",
        "Call us at five five five, one two three, four five six seven.",
    ),
    (
        "Ring +44 20 7946 0958 today.",
        "Ring plus four four, two zero, seven nine four six, zero nine five eight today.",
    ),
    (
        "Call 1-800-555-0199 now.",
        "Call one, eight zero zero, five five five, zero one nine nine now.",
    ),
    (
        "Text 555.123.4567 for updates.",
        "Text five five five, one two three, four five six seven for updates.",
    ),
    (
        "Dial 555-123-4567 for help.",
        "Dial five five five, one two three, four five six seven for help.",
    ),
    (
        "The hotel is at +1 212 555 0100.",
        "The hotel is at plus one, two one two, five five five, zero one zero zero.",
    ),
    (
        "Phone (212) 555-0147 after six.",
        "Phone two one two, five five five, zero one four seven after six.",
    ),
    (
        "Reach us on +33 1 42 68 53 00.",
        "Reach us on plus three three, one, four two, six eight, five three, zero zero.",
    ),
    (
        "Call 555 123 4567 to book.",
        "Call five five five, one two three, four five six seven to book.",
    ),
]


@pytest.mark.parametrize("written, spoken", PHONES)
def test_phones(written: str, spoken: str) -> None:
    assert ENGLISH.spoken_form(written) == spoken


# E-mail addresses and URLs
WEB = [
    ("Email jane@example.org for details.", "Email jane at example dot org for details."),
    ("Write to asdf123@abc.com today.", "Write to asdf one two three at abc dot com today."),
    ("Visit https://www.example.com/a?b=1 for more.", "Visit w w w dot example dot com for more."),
    ("See example.com for the rules.", "See example dot com for the rules."),
    ("Read the docs at docs.python.org.", "Read the docs at docs dot python dot org."),
    ("Contact support@shop.co.uk now.", "Contact support at shop dot co dot u k now."),
    (
        "Go to http://news.bbc.co.uk/sport today.",
        "Go to news dot bbc dot co dot u k slash sport today.",
    ),
    ("Mail john.smith@company.com.", "Mail john dot smith at company dot com."),
    ("Download it from github.com.", "Download it from github dot com."),
    ("Browse www.wikipedia.org later.", "Browse w w w dot wikipedia dot org later."),
    ("Send feedback to team@example.io.", "Send feedback to team at example dot i o."),
    ("Visit web3.example.com now.", "Visit web three dot example dot com now."),
    ("Email info@hotel42.com.", "Email info at hotel four two dot com."),
    (
        "Book at https://booking.example.net/deals.",
        "Book at booking dot example dot net slash deals.",
    ),
]


@pytest.mark.parametrize("written, spoken", WEB)
def test_web(written: str, spoken: str) -> None:
    assert ENGLISH.spoken_form(written) == spoken


# Ranges, with and without units
RANGES = [
    ("Serves 5-7 people.", "Serves five to seven people."),
    ("Bake for 20-25 minutes.", "Bake for twenty to twenty-five minutes."),
    (
        "The museum was built 1990-1995.",
        "The museum was built nineteen ninety to nineteen ninety-five.",
    ),
    ("Use 2-3 eggs.", "Use two to three eggs."),
    ("Carry 1-2 kg of gear.", "Carry one to two kilograms of gear."),
    ("The hike is 10-12 km.", "The hike is ten to twelve kilometers."),
    ("Expect 30-40% growth.", "Expect thirty to forty percent growth."),
    ("Ages 8-12 are welcome.", "Ages eight to twelve are welcome."),
    ("Open 9-5 on weekdays.", "Open nine to five on weekdays."),
    ("Read pages 10-20.", "Read pages ten to twenty."),
    ("Prices range $10-$20.", "Prices range ten dollars to twenty dollars."),
    ("Steep the tea 3\u20135 minutes.", "Steep the tea three to five minutes."),
    ("Keep it at 18-20°C.", "Keep it at eighteen to twenty degrees Celsius."),
    ("It took 2-3 hours.", "It took two to three hours."),
]


@pytest.mark.parametrize("written, spoken", RANGES)
def test_ranges(written: str, spoken: str) -> None:
    assert ENGLISH.spoken_form(written) == spoken


# Dimensions
DIMENSIONS = [
    ("The rug is 5x7.", "The rug is five by seven."),
    ("The room is 10 x 12.", "The room is ten by twelve."),
    ("Use a 2x8 board.", "Use a two by eight board."),
    ("Buy a 4x4 truck.", "Buy a four by four truck."),
    ("Cut a 3x5 card.", "Cut a three by five card."),
    ("The tile is 12x12 inches.", "The tile is twelve by twelve inches."),
    ("The box is 10x20x30 cm.", "The box is ten by twenty by thirty centimeters."),
    ("Use a 2x4 for the frame.", "Use a two by four for the frame."),
]


@pytest.mark.parametrize("written, spoken", DIMENSIONS)
def test_dimensions(written: str, spoken: str) -> None:
    assert ENGLISH.spoken_form(written) == spoken


# Long codes: hashes, UUIDs, keys, base64
CODES = [
    (
        "The commit 3f2a9c1b7e4d5a6f8b9c0d1e2f3a4b5c6d7e8f90 fixed it.",
        "The commit a long code fixed it.",
    ),
    ("Its id is 123e4567-e89b-12d3-a456-426614174000.", "Its id is a long code."),
    ("Use the key sk_live_4eC39HqLyjWDarjtT1zdp7dc here.", "Use the key a long code here."),
    ("The checksum is d41d8cd98f00b204e9800998ecf8427e.", "The checksum is a long code."),
    ("Paste aGVsbG8gd29ybGQgdGhpcyBpcyBiYXNlNjQ= into the box.", "Paste a long code into the box."),
    ("The token AKIAIOSFODNN7EXAMPLE12ab is secret.", "The token a long code is secret."),
    ("Build 9f86d081884c7d65 passed.", "Build a long code passed."),
    (
        "The SHA is e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.",
        "The SHA is a long code.",
    ),
    ("Order 550e8400-e29b-41d4-a716-446655440000 shipped.", "Order a long code shipped."),
    ("The hash was abc123def4567890 then.", "The hash was a long code then."),
]


@pytest.mark.parametrize("written, spoken", CODES)
def test_codes(written: str, spoken: str) -> None:
    assert ENGLISH.spoken_form(written) == spoken


# Abbreviations and symbols
ABBREVIATIONS = [
    ("Open C:\\Users today.", "Open C backslash Users today."),
    (
        "The router is at 192.168.0.1.",
        "The router is at one nine two dot one six eight dot zero dot one.",
    ),
    ("Dr. Smith will see you.", "Doctor Smith will see you."),
    ("Mr. Jones arrived late.", "Mister Jones arrived late."),
    ("Mrs. Patel runs the shop.", "Missus Patel runs the shop."),
    ("We visited St. Ives.", "We visited Saint Ives."),
    ("He lives on Baker St.", "He lives on Baker Street."),
    ("Bring fruit, e.g. apples.", "Bring fruit, for example apples."),
    ("Use a tool, i.e. a hammer.", "Use a tool, that is a hammer."),
    ("Pack socks, shirts, etc.", "Pack socks, shirts, et cetera."),
    ("It is Spain vs. Italy tonight.", "It is Spain versus Italy tonight."),
    ("Read Chapter IV tonight.", "Read Chapter four tonight."),
    ("Salt & pepper.", "Salt and pepper."),
    ("Two + two equals four.", "Two plus two equals four."),
    ("Note that 2 + 2 = 4.", "Note that two plus two equals four."),
    ("She was voted #1.", "She was voted number one."),
    ("Play it in C#.", "Play it in C sharp."),
    ("Follow #MeToo online.", "Follow hashtag MeToo online."),
    ("It takes ~5 minutes.", "It takes about five minutes."),
    ("Compute 2^10 first.", "Compute two to the power of ten first."),
    ("Check that x >= 10.", "Check that x greater than or equal to ten."),
    ("Latency is <5 ms.", "Latency is less than five milliseconds."),
    ("Prof. Lee teaches maths.", "Professor Lee teaches maths."),
    ("We climbed Mt. Everest.", "We climbed Mount Everest."),
    ("It is approx. 5 km away.", "It is approximately five kilometers away."),
    ("Martin Luther King Jr. spoke.", "Martin Luther King Junior spoke."),
    ("Update to v2.3.1 now.", "Update to version two point three point one now."),
    ("See No. 5 on the list.", "See number five on the list."),
    ("Multiply 3 \u00d7 4.", "Multiply three by four."),
    ("It is 5 ± 1.", "It is five plus or minus one."),
    (
        "The router at 192.168.0.1 is slow.",
        "The router at one nine two dot one six eight dot zero dot one is slow.",
    ),
]


@pytest.mark.parametrize("written, spoken", ABBREVIATIONS)
def test_abbreviations(written: str, spoken: str) -> None:
    assert said(written) == spoken  # through the sentence splitter, as `spoken` reads it


# Roman numerals: monarchs' ordinals, sequels' and parts' cardinals, letters left alone
ROMANS = [
    ("Henry VIII had six wives.", "Henry the eighth had six wives."),
    ("Louis XIV built Versailles.", "Louis the fourteenth built Versailles."),
    ("Queen Elizabeth II opened it.", "Queen Elizabeth the second opened it."),
    ("Pope John Paul II visited.", "Pope John Paul the second visited."),
    (
        "The reign of James I, then Charles I.",
        "The reign of James the first, then Charles the first.",
    ),
    ("Mary I love you.", "Mary I love you."),
    ("Louis I think so.", "Louis I think so."),
    ("The book I read was long.", "The book I read was long."),
    ("This phase I hate.", "This phase I hate."),
    ("Give IV fluids at once.", "Give IV fluids at once."),
    ("We watched Rocky IV twice.", "We watched Rocky four twice."),
    ("Part I of the trilogy is best.", "Part one of the trilogy is best."),
    ("Richard III lost at Bosworth.", "Richard the third lost at Bosworth."),
    ("Rocky IV is the silliest sequel.", "Rocky four is the silliest sequel."),
    ("Final Fantasy VII sold millions.", "Final Fantasy seven sold millions."),
    ("Apollo XIII came home.", "Apollo thirteen came home."),
    (
        "Star Wars Episode IV opened in 1977.",
        "Star Wars Episode four opened in nineteen seventy-seven.",
    ),
    ("The Godfather Part II is longer.", "The Godfather Part two is longer."),
    ("Super Bowl LVII was close.", "Super Bowl fifty-seven was close."),
    ("The tumour was stage III.", "The tumour was stage three."),
    ("Read Section C first.", "Read Section C first."),
    ("Part D covers drugs.", "Part D covers drugs."),
    ("Malcolm X spoke in Harlem.", "Malcolm X spoke in Harlem."),
    ("In IV drips the dose is lower.", "In IV drips the dose is lower."),
    ("Washington DC is humid.", "Washington DC is humid."),
]


@pytest.mark.parametrize("written, spoken", ROMANS)
def test_romans(written: str, spoken: str) -> None:
    assert ENGLISH.spoken_form(written) == spoken
