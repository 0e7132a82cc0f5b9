# ruff: noqa: E501  (a table of whole sentences, as written and as spoken)
"""`spoken` reads each example of issue #29 (times, dates, fractions, web addresses, units,
money, misspelled ordinals, a new user's finds) as a narrator would: the whole command, from
the file through segmenting to the normalizer."""

from __future__ import annotations

EXAMPLES = [
    (
        "The alarm rang at 3 a.m. and again at 02:00 pm.",
        "The alarm rang at three AM and again at two PM.",
    ),
    ("The shop opens 9am-11am on Sundays.", "The shop opens nine AM to eleven AM on Sundays."),
    (
        "The call ended at 11:30:15 p.m. e.s.t and the log says 16:45:05.",
        "The call ended at eleven thirty and fifteen seconds PM E S T and the log says four forty-five and five seconds PM.",
    ),
    ("The last train leaves at 22:00.", "The last train leaves at ten PM."),
    (
        "The report is dated 2019/11/04 and the invoice 23-04-2021.",
        "The report is dated November fourth, twenty nineteen and the invoice the twenty-third of April twenty twenty-one.",
    ),
    (
        "It was signed FEB. 9 2021, filed OCT. 3 and paid Mar-12-2022.",
        "It was signed February ninth twenty twenty-one, filed October third and paid March twelfth, twenty twenty-two.",
    ),
    ("We met on 9 june 2011.", "We met on the ninth of June twenty eleven."),
    (
        "Add 1/8th of a cup, then 2/3RD of the rest; the ratio is 2 7/3.",
        "Add one eighth of a cup, then two thirds of the rest; the ratio is two and seven thirds.",
    ),
    (
        "See www.example.org/47-docs and https://docs.example.com/getting-started-guide for details.",
        "See w w w dot example dot org slash forty-seven dash docs and docs dot example dot com slash getting dash started dash guide for details.",
    ),
    (
        "The crate weighs 15KG; the harvest was 250 million kg; the tank holds 3,210.50 km³ and flows at 5 cc/s.",
        "The crate weighs fifteen kilograms; the harvest was two hundred and fifty million kilograms; the tank holds three thousand two hundred and ten point five zero cubic kilometers and flows at five c c per second.",
    ),
    (
        "It costs $15/mo, the deal was ¥45 b and the budget ₩120 billion.",
        "It costs fifteen dollars a month, the deal was forty-five billion yen and the budget one hundred and twenty billion won.",
    ),
    (
        "She came 5rd, he came 13nd and they came 22th.",
        "She came fifth, he came thirteenth and they came twenty-second.",
    ),
    (
        "Decompress `.zst`, `.gz`, `.xz` and `.lz4` files.",
        "Decompress dot zst, dot gz, dot xz and dot lz4 files.",
    ),
    ("If a<b and b>c then a<c.", "If a less than b and b greater than c then a less than c."),
    (
        "The war lasted from 1990-\n1995 in this story.",
        "The war lasted from nineteen ninety to nineteen ninety-five in this story.",
    ),
]


def test_spoken_reads_the_issue_s_examples_as_a_narrator_would(run_cli, tmp_path):
    (tmp_path / "examples.txt").write_text("\n\n".join(w for w, _ in EXAMPLES), encoding="utf-8")
    done = run_cli("spoken", "examples.txt")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().strip().split("\n\n") == [s for _, s in EXAMPLES]


REVIEW_EXAMPLES = [
    ("We met Lt. Dan there.", "We met Lieutenant Dan there."),
    ("See Ch. 4 for details.", "See chapter four for details."),
    (
        "Phone 555-1234 ext. 56 today.",
        "Phone five five five, one two three four, extension five six today.",
    ),
    ("I said no. 5 people came anyway.", "I said no. five people came anyway."),
    (
        "We called 300 of our customers last week.",
        "We called three hundred of our customers last week.",
    ),
    (
        "The office is at 350 W 42nd St. in New York.",
        "The office is at three hundred and fifty W forty-second Street in New York.",
    ),
    ("He drove a 1967 MG to work.", "He drove a nineteen sixty-seven MG to work."),
    ("The population is now 5 m people.", "The population is now five million people."),
    ("I woke at 5 am - 6 of us were up.", "I woke at five AM, six of us were up."),
    ("Lunch at 12:15, tea at 13:00.", "Lunch at twelve fifteen PM, tea at one PM."),
]


def test_spoken_reads_what_the_review_found_as_a_narrator_would(run_cli, tmp_path):
    text = "\n\n".join(w for w, _ in REVIEW_EXAMPLES)
    (tmp_path / "review.txt").write_text(text, encoding="utf-8")
    done = run_cli("spoken", "review.txt")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().strip().split("\n\n") == [s for _, s in REVIEW_EXAMPLES]
