import pytest

from audiogen.article import Article
from audiogen.narration import (
    HEADLINE,
    INTRO,
    PART_HEADING,
    PART_HEADLINE,
    PART_INTRO,
    PART_OUTRO,
    Script,
    Segment,
    build_script,
    chunk,
    split_sentences,
)

# Each case is a paragraph with " | " where it must split into sentences.
SPLITS = [
    # the sample article
    "In an address on Dec. 25, Chinese Foreign Minister Wang Yi defended Beijing’s stance. | "
    "He said Beijing will “deepen strategic mutual trust.”",
    "Regarding Russia's full-scale war, he said: \"We have upheld the principles of objectivity, "
    'still less seeking selfish gains from the situation." | On Dec. 22, Russian and Chinese '
    "naval forces engaged in joint military drills.",
    "Medvedev’s trip occurred as President Volodymyr Zelensky visited Washington for talks with "
    "U.S. President Joe Biden.",
    # abbreviations mid-sentence
    "Mr. Smith met Mrs. Jones. | They talked.",
    "Dr. Who and Gen. Mark Milley met Sen. Ted Cruz.",
    "Gov. Ron DeSantis flew to St. Louis. | He landed.",
    "He lives at No. 10 Downing Street. | She does not.",
    "Roe v. Wade and Smith vs. The State were cited.",
    "Apples, pears, etc. were sold.",
    "It rained on Sept. 3 and Jan. 6. | Then it stopped.",
    # initials
    "J. R. R. Tolkien wrote it. | George W. Bush read it.",
    "It was Plan B. | The plan worked.",
    # decimals and money
    "Growth was 3.5 percent. | It cost $1.1 billion.",
    # an abbreviation ending a sentence: split before a typical sentence opener only
    "It happened in the U.S. | The next day it was over.",
    "It happened in the U.S. | In 2020 it happened again.",
    "The U.N. Security Council met. | The E.U. agreed.",
    "We met at 8 p.m. Monday. | At 9 p.m. | The show began.",
    "Apples, pears, etc. | The end.",
    # quotes
    "He said: “We are fine.” | Then he left.",
    "She wrote: ‘It is over.’ | Nobody replied.",
    '"Stop!" he shouted. | "Why?" she asked.',
    'He left. | "We won," she said.',
    'It was called a "crisis". | The word stuck.',
    "(It was late.) | Nobody came.",
    # question and exclamation marks, ellipses
    "Who knew? | Nobody did! | Really.",
    "Wait... | What happened? | He paused … and went on.",
    "He hesitated… | Then he spoke.",
    "It ended in 2024. | 2025 began.",
    "No final period",
    "...",
]


@pytest.mark.parametrize("case", SPLITS)
def test_split_sentences(case):
    assert split_sentences(case.replace(" | ", " ")) == case.split(" | ")


@pytest.mark.parametrize(
    ("paragraph", "sentences"),
    [
        ("   Spaces   everywhere.\n\nYes.  ", ["Spaces everywhere.", "Yes."]),
        ("", []),
        ("  \n ", []),
    ],
)
def test_split_sentences_normalises_whitespace(paragraph, sentences):
    assert split_sentences(paragraph) == sentences


@pytest.mark.parametrize("case", SPLITS)
def test_sentences_give_back_the_paragraph(case):
    paragraph = case.replace(" | ", "  \n ")
    found = split_sentences(paragraph)
    assert all(found)
    assert " ".join(found) == " ".join(paragraph.split())


LONG = (
    "On December twenty-first, Russia’s Deputy Chairman of the Security Council, Dmitry "
    "Medvedev, traveled to China for an unannounced meeting with Chinese President Xi Jinping — "
    "and according to Reuters, they discussed the no limits strategic partnership between Moscow "
    "and Beijing; as well as Russia’s war in Ukraine: a war that has gone on for many months "
    "without any sign of ending whatsoever in the weeks and months and years to come"
)


def test_no_limit_gives_one_chunk_per_sentence():
    assert chunk(LONG, None) == (LONG,)
    assert chunk("Short.", 100) == ("Short.",)
    assert chunk("", 100) == ()


@pytest.mark.parametrize("limit", [100, 60, 30, 20])
def test_chunks_fit_and_keep_every_word_in_order(limit):
    chunks = chunk(LONG, limit)
    assert all(0 < len(piece) <= limit for piece in chunks)
    assert " ".join(chunks).split() == LONG.split()


def test_chunks_prefer_clause_boundaries():
    assert chunk(LONG, 100) == (
        "On December twenty-first, Russia’s Deputy Chairman of the Security Council, "
        "Dmitry Medvedev,",
        "traveled to China for an unannounced meeting with Chinese President Xi Jinping —",
        "and according to Reuters,",
        "they discussed the no limits strategic partnership between Moscow and Beijing;",
        "as well as Russia’s war in Ukraine:",
        # a clause longer than the limit: split at words
        "a war that has gone on for many months without any sign of ending whatsoever in the weeks "
        "and months",
        "and years to come",
    )


def test_a_word_longer_than_the_limit_is_cut_hard():
    word = "x" * 250
    chunks = chunk(f"a {word} b", 100)
    assert all(0 < len(piece) <= 100 for piece in chunks)
    assert "".join(chunks).replace(" ", "") == f"a{word}b"


ARTICLE = Article(
    headline="China strengthens ties with Russia, defends war stance",
    paragraphs=(
        "In an address on Dec. 25, Wang Yi spoke. He said trade is nearly its $200 billion target.",
        "Medvedev met U.S. President Joe Biden. ...",
    ),
    headings={1: "Talks in Washington"},
)


def test_build_script_headline_heading_and_sentences():
    script = build_script(ARTICLE)
    assert isinstance(script, Script)
    assert script.segments == (
        Segment(
            HEADLINE,
            "China strengthens ties with Russia, defends war stance",
            "China strengthens ties with Russia, defends war stance",
            ("China strengthens ties with Russia, defends war stance",),
            PART_HEADLINE,
        ),
        Segment(
            1,
            "In an address on Dec. 25, Wang Yi spoke.",
            "In an address on December twenty-fifth, Wang Yi spoke.",
            ("In an address on December twenty-fifth, Wang Yi spoke.",),
        ),
        Segment(
            1,
            "He said trade is nearly its $200 billion target.",
            "He said trade is nearly its two hundred billion dollar target.",
            ("He said trade is nearly its two hundred billion dollar target.",),
        ),
        Segment(
            2, "Talks in Washington", "Talks in Washington", ("Talks in Washington",), PART_HEADING
        ),  # fmt: skip
        Segment(
            2,
            "Medvedev met U.S. President Joe Biden.",
            "Medvedev met US President Joe Biden.",
            ("Medvedev met US President Joe Biden.",),
        ),
        # "..." has nothing to say: no segment
    )


def test_intro_and_outro_lines_frame_the_article_as_parts_of_their_own():
    script = build_script(
        ARTICLE,
        intro=("This article was narrated by an AI voice.",),
        outro=("Read more at kyivindependent.com. Thanks for listening.",),
    )
    first, headline = script.segments[:2]
    assert (first.paragraph, first.part) == (INTRO, PART_INTRO)
    assert first.spoken == "This article was narrated by an AI voice."
    assert (headline.paragraph, headline.part) == (HEADLINE, PART_HEADLINE)
    outro = [s for s in script.segments if s.part == PART_OUTRO]
    # Its own paragraph after the body, one segment per sentence, said like the rest.
    assert [s.paragraph for s in outro] == [len(ARTICLE.paragraphs) + 1] * 2
    assert outro[0].spoken == "Read more at kyivindependent dot com."
    # Both readings carry them: they are part of what the MP3 says.
    for text in (script.transcript, script.spoken_text):
        assert text.startswith("This article was narrated by an AI voice.\n\nChina")
    assert script.transcript.endswith("\n\nRead more at kyivindependent.com. Thanks for listening.")
    assert script.spoken_text.endswith(
        "\n\nRead more at kyivindependent dot com. Thanks for listening."
    )


def test_build_script_chunks_for_a_limited_engine():
    script = build_script(ARTICLE, max_chunk_chars=30)
    for segment in script.segments:
        assert all(len(piece) <= 30 for piece in segment.chunks)
        assert " ".join(segment.chunks) == segment.spoken
    assert script.segments[1].chunks == (
        "In an address on December",
        "twenty-fifth, Wang Yi spoke.",
    )


def test_build_script_uses_the_article_language():
    article = Article(headline="Preis: 5 €", paragraphs=("Es kostet 5 €. Ja.",), language="de")
    spoken = [segment.spoken for segment in build_script(article).segments]
    assert spoken == ["Preis: 5 €", "Es kostet 5 €.", "Ja."]


def test_transcript_is_the_article_as_written():
    # A heading is a paragraph of its own; the "..." that says nothing is not there.
    assert build_script(ARTICLE).transcript == (
        "China strengthens ties with Russia, defends war stance\n\n"
        "In an address on Dec. 25, Wang Yi spoke. "
        "He said trade is nearly its $200 billion target.\n\n"
        "Talks in Washington\n\n"
        "Medvedev met U.S. President Joe Biden."
    )


def test_spoken_text_is_what_the_newsreader_says_laid_out_the_same():
    spoken = build_script(ARTICLE).spoken_text
    paragraphs = spoken.split("\n\n")
    assert paragraphs[0] == "China strengthens ties with Russia, defends war stance"
    assert paragraphs[1].startswith("In an address on December twenty-fifth, Wang Yi spoke. He ")
    assert "two hundred billion dollar" in paragraphs[1] and "$" not in spoken
    assert paragraphs[2:] == ["Talks in Washington", "Medvedev met US President Joe Biden."]


@pytest.mark.parametrize("limit", [100, 30, 12, 10])  # every plain word fits
def test_a_phoneme_block_is_one_word_to_the_chunker(limit):
    spoken = (
        "Officials said, on Monday, that [[ʃˈiː dʒˈɪnpˈɪŋ]] and [[kˈɪm dʒˈɔːŋ ˈʊn]] met; "
        "[[ʃˈiː dʒˈɪnpˈɪŋ,]] [[wˈɑːŋ jˈiː]] and others agreed to talk again before the winter"
    )
    chunks = chunk(spoken, limit)
    assert " ".join(chunks).split() == spoken.split()
    for piece in chunks:
        assert piece.count("[[") == piece.count("]]"), piece
        # Over the limit only when the piece is a block that alone is longer.
        assert len(piece) <= limit or (piece.startswith("[[") and piece.count("[[") == 1), piece


def test_a_preset_may_drop_the_wire_dateline():
    article = Article(
        "Drones strike the capital",
        ("KYIV, Ukraine (AP) — Russian drones struck the city overnight, officials said.",),
    )
    read = build_script(article).segments[1]
    dropped = build_script(article, drop_dateline=True).segments[1]
    assert read.spoken.startswith("Kyiv, Ukraine")
    assert dropped.spoken == "Russian drones struck the city overnight, officials said."
    assert dropped.text == "Russian drones struck the city overnight, officials said."


def test_every_shipped_preset_says_what_it_does_with_datelines():
    from audiogen.voices import load_voices

    assert {voice.datelines for voice in load_voices().values()} <= {"read", "drop"}
