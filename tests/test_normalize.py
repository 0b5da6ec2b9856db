import random

import pytest

from audiogen.normalize import normalize

SAMPLE_SENTENCES = [
    (
        "In an address on Dec. 25, Chinese Foreign Minister Wang Yi defended Beijing’s stance.",
        "In an address on December twenty-fifth, Chinese Foreign Minister Wang Yi defended "
        "Beijing’s stance.",
    ),
    (
        "bilateral trade between China and Russia is quickly nearly its $200 billion target.",
        "bilateral trade between China and Russia is quickly nearly its two hundred billion "
        "dollars target.",
    ),
    (
        "On Dec. 22, Russian and Chinese naval forces engaged in joint military drills.",
        "On December twenty-second, Russian and Chinese naval forces engaged in joint military "
        "drills.",
    ),
    (
        "Zelensky visited Washington for talks with U.S. President Joe Biden.",
        "Zelensky visited Washington for talks with US President Joe Biden.",
    ),
    (
        "Media identifies nearly 85,000 Russian soldiers killed in Ukraine.",
        "Media identifies nearly eighty-five thousand Russian soldiers killed in Ukraine.",
    ),
    (
        "2024 will likely mark the war's deadliest year, with over 20,000 deaths over the past "
        "12 months",
        "twenty twenty-four will likely mark the war's deadliest year, with over twenty thousand "
        "deaths over the past twelve months",
    ),
    (
        "The IMF approved the $1.1 billion tranche, over $15 billion in budget support.",
        "The IMF approved the one point one billion dollars tranche, over fifteen billion dollars "
        "in budget support.",
    ),
    ("December 25, 2022 8:54 PM", "December twenty-fifth, twenty twenty-two eight fifty-four PM"),
]

RULES = [
    # dates
    ("on Dec. 21", "on December twenty-first"),
    ("Dec. 25", "December twenty-fifth"),
    ("Sept. 3", "September third"),
    ("December 25, 2022", "December twenty-fifth, twenty twenty-two"),
    ("Jan. 6th", "January sixth"),
    ("May 1", "May first"),
    ("Dec. 25-27", "December twenty-fifth to twenty-seventh"),
    ("in Dec. 2022", "in December twenty twenty-two"),
    ("Dec. 45", "Dec. forty-five"),  # not a day: the number is still read
    # money
    ("$200 billion", "two hundred billion dollars"),
    ("$1.1 billion", "one point one billion dollars"),
    ("$15 billion", "fifteen billion dollars"),
    ("$5", "five dollars"),
    ("$1", "one dollar"),
    ("$3.50", "three dollars and fifty cents"),
    ("$1.01", "one dollar and one cent"),
    ("$0.99", "ninety-nine cents"),
    ("$3.00", "three dollars"),
    ("$1,000", "one thousand dollars"),
    ("$5m", "five million dollars"),
    ("£2.50", "two pounds and fifty pence"),
    ("£1 million", "one million pounds"),
    ("€1", "one euro"),
    ("€3.5 trillion", "three point five trillion euros"),
    # initialisms, so the voice says the letters
    ("the U.S. President", "the US President"),
    ("in the U.S.", "in the US."),
    ("the U.S., China", "the US, China"),
    ("U.S.-China talks", "US-China talks"),
    ("the U.K. and the U.N.", "the UK and the UN."),
    ("E.U. leaders", "EU leaders"),
    ("Washington, D.C., on Monday", "Washington, DC, on Monday"),
    ("the U.A.E. President", "the U.A.E President"),
    # names: espeak would end the sentence at these periods
    ("George W. Bush", "George W Bush"),
    ("J. R. R. Tolkien", "J R R Tolkien"),
    ("Mr. Smith and Mrs. Jones", "Mister Smith and Missus Jones"),
    ("Dr. Jones", "Doctor Jones"),
    ("Sen. Ted Cruz", "Senator Ted Cruz"),
    ("St. Petersburg", "Saint Petersburg"),
    ("Martin Luther King Jr. said", "Martin Luther King Junior said"),
    ("No. 10 Downing Street", "number ten Downing Street"),
    ("Roe v. Wade", "Roe versus Wade"),
    # numbers
    ("85,000", "eighty-five thousand"),
    ("12", "twelve"),
    ("1,234", "one thousand two hundred and thirty-four"),
    ("2024", "twenty twenty-four"),
    ("in 2024.", "in twenty twenty-four."),
    ("1905", "nineteen oh-five"),
    ("2000", "two thousand"),
    ("999", "nine hundred and ninety-nine"),
    ("2100", "two thousand one hundred"),  # past the year range
    ("3.5 percent", "three point five percent"),
    ("3.14", "three point one four"),
    ("0.5", "zero point five"),
    ("007", "zero zero seven"),
    ("-5 degrees", "minus five degrees"),
    ("2022-23", "twenty twenty-two to twenty-three"),
    ("1939–1945", "nineteen thirty-nine to nineteen forty-five"),
    ("the 1990s", "the nineteen nineties"),
    ("the ’80s", "the eighties"),
    ("12-year-old", "twelve-year-old"),
    ("COVID-19", "COVID-nineteen"),
    # percentages
    ("5%", "five percent"),
    ("3.5%", "three point five percent"),
    ("5 %", "five percent"),
    # ordinals
    ("21st", "twenty-first"),
    ("2nd", "second"),
    ("103rd", "one hundred and third"),
    ("the 1,000th", "the one thousandth"),
    # times
    ("8:54 PM", "eight fifty-four PM"),
    ("8:54 p.m. on Monday", "eight fifty-four PM on Monday"),
    ("at 8 p.m.", "at eight PM."),
    ("at 8pm", "at eight PM"),
    ("8:05 a.m.", "eight oh five AM."),
    ("8:00", "eight o'clock"),
    ("20:30", "twenty thirty"),
    # ampersand
    ("Tom & Jerry", "Tom and Jerry"),
    ("R&D", "R and D"),
    # left alone
    ("the US and us", "the US and us"),
    ("It is what it is.", "It is what it is."),
    ("G7 and 5G", "G7 and 5G"),
    ("  extra   spaces ", "extra spaces"),
]


@pytest.mark.parametrize(("written", "spoken"), SAMPLE_SENTENCES)
def test_sample_article_sentences(written, spoken):
    assert normalize(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), RULES)
def test_rule(written, spoken):
    assert normalize(written) == spoken


def test_other_languages_are_only_whitespace_normalised():
    assert normalize(" Am 25.  Dezember 2022 ", "de") == "Am 25. Dezember 2022"


TRICKY = [
    "",
    " ",
    "\n\t",
    ".",
    "...",
    "?!",
    "$",
    "£",
    "%",
    "&",
    "Dec.",
    "Dec. ",
    "U.",
    "U.S..",
    "p.m.",
    "-",
    "−",
    "$.",
    "$,",
    "$1,",
    "1,2345",
    "1.2.3",
    "10**30",
    str(10**30),
    "$" + str(10**30),
    str(10**30) + "%",
    str(10**30) + "th",
    "99:99",
    "25:00 PM",
    "0 pm",
    "0:00",
    "Dec. 0",
    "Feb. 31, 0000",
    "日本語のテキスト",
    "٣ ١٢ １２",
    "naïve café — “quoted” ‘text’…",
    "emoji 🎉 5 🎉",
    "\x00\x01",
    "A. B. C.",
    "$$5",
    "5$",
    "%%5%%",
    "&&&",
]


@pytest.mark.parametrize("text", TRICKY)
def test_never_raises_and_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@pytest.mark.parametrize(("written", "spoken"), SAMPLE_SENTENCES + RULES)
def test_spoken_forms_are_fixed_points(written, spoken):
    assert normalize(spoken) == spoken


def test_random_mixtures_are_idempotent_and_keep_every_word():
    pieces = [
        *"$£€%&.,-–−:'’\"“”() ",
        *["1", "0", "12", "2024", "1990", "85,000", "3.5", "Dec.", "Sept.", "May", "U.S."],
        *["A.", "p.m.", "PM", "th", "s", "bn", "billion", "Mr.", "No.", "vs.", "the", "The"],
        *["é", "日本", "٣", "\n"],
    ]
    generator = random.Random(7)
    for _ in range(3000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 12)))
        once = normalize(text)
        assert normalize(once) == once, text
        for word in text.split():
            if word.isalpha():
                assert word.lower() in once.lower(), (text, once)
