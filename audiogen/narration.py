"""The Script: the exact words that will be spoken, in order.

Each segment is one sentence (or the headline, or a section heading), knows the paragraph
it came from and its written text, and carries the chunks the engine will be called with.
A script has two readings: `transcript`, the article as written, for people (the MP3's USLT,
captions, chapter titles); and `spoken_text`, the newsreader's words, what the MP3 says.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audiogen.article import Article
from audiogen.normalize import drop_dateline as without_dateline
from audiogen.normalize import normalize

if TYPE_CHECKING:
    from audiogen.lexicon import Lexicon

HEADLINE = 0  # paragraph number of the headline; body paragraphs count from 1
INTRO = -1  # paragraph number of the publisher's intro lines; the outro's follows the body

# What a segment is part of: a publisher may give each part its own voice, and the assembler
# its own pause.
PART_INTRO, PART_HEADLINE, PART_HEADING, PART_BODY, PART_OUTRO = (
    "intro", "headline", "heading", "body", "outro",
)  # fmt: skip


@dataclass(frozen=True)
class Segment:
    paragraph: int  # 0 for the headline, 1.. for body paragraphs (INTRO, and last + 1: outro)
    text: str  # as written in the article: what the transcript and captions show
    spoken: str  # as the newsreader says it ("December twenty-fifth" for "Dec. 25")
    chunks: tuple[str, ...]  # `spoken` as the engine reads it (lexicon applied), in engine calls
    part: str = PART_BODY


@dataclass(frozen=True)
class Script:
    segments: tuple[Segment, ...]

    @property
    def transcript(self) -> str:
        """The article as written ("On Dec. 25, ..."), a blank line between paragraphs: the
        headline, headings, paragraphs and a publisher's intro and outro, as a reader reads."""
        return _paragraphs(self.segments, lambda segment: segment.text)

    @property
    def spoken_text(self) -> str:
        """The newsreader's words ("On December twenty-fifth, ..."), laid out as `transcript`:
        what the MP3 says, word for word (before the lexicon's respellings)."""
        return _paragraphs(self.segments, lambda segment: segment.spoken)


def _paragraphs(segments: tuple[Segment, ...], form: Callable[[Segment], str]) -> str:
    """Each paragraph's sentences in `form`, joined by spaces; a heading is a paragraph of
    its own, though it shares its section's first paragraph number."""
    runs = itertools.groupby(segments, key=lambda segment: (segment.paragraph, segment.part))
    return "\n\n".join(" ".join(form(segment) for segment in run) for _, run in runs)


def build_script(
    article: Article,
    max_chunk_chars: int | None = None,
    lexicon: Lexicon | None = None,
    phonemes: bool = False,
    drop_dateline: bool = False,
    intro: tuple[str, ...] = (),
    outro: tuple[str, ...] = (),
) -> Script:
    """Headline, then each paragraph's sentences, normalised and chunked for the engine.

    `max_chunk_chars` None: one chunk per sentence. A number: chunks of at most that many
    characters, split at clause, then word boundaries (gTTS: 100, Piper: 200).
    `lexicon` rewrites the chunks only, with `[[phonemes]]` where `phonemes` is true (engines
    that take them); each segment's `spoken` keeps the newsreader's words.
    `drop_dateline` leaves out a wire dateline ("KYIV, Ukraine (AP) —") at the top.
    `intro` and `outro`: the publisher's lines before the headline and after the article
    ("This article was narrated by an AI voice."), one paragraph each.
    """
    written: list[tuple[int, str, str]] = [
        (INTRO, sentence, PART_INTRO) for line in intro for sentence in split_sentences(line)
    ]
    written.append((HEADLINE, article.headline, PART_HEADLINE))
    for number, paragraph in enumerate(article.paragraphs, start=1):
        if drop_dateline and number == 1:
            paragraph = without_dateline(paragraph)
        heading = article.headings.get(number - 1)
        if heading:
            written.append((number, heading, PART_HEADING))
        written.extend((number, sentence, PART_BODY) for sentence in split_sentences(paragraph))
    last = len(article.paragraphs) + 1
    written.extend(
        (last, sentence, PART_OUTRO) for line in outro for sentence in split_sentences(line)
    )
    segments = (
        spoken_segment(p, text, article.language, max_chunk_chars, lexicon, phonemes, part)
        for p, text, part in written
    )
    # A segment with nothing to say ("...", a stray "*") would be silence, or an engine error.
    return Script(tuple(s for s in segments if any(c.isalnum() for c in s.spoken)))


def spoken_segment(
    paragraph: int,
    written: str,
    language: str,
    max_chunk_chars: int | None,
    lexicon: Lexicon | None = None,
    phonemes: bool = False,
    part: str = PART_BODY,
) -> Segment:
    # Normalised per sentence, after splitting: normalisation can never move a sentence boundary.
    text = " ".join(written.split())
    spoken = normalize(text, language)
    # The lexicon comes after normalising (a respelling such as "zeh-LEN-skee" must not be read
    # as an acronym) and before chunking (a respelling is longer than the name it replaces).
    said = lexicon.apply(spoken, phonemes=phonemes) if lexicon else spoken
    return Segment(paragraph, text, spoken, chunk(said, max_chunk_chars), part)


# --- sentences ----------------------------------------------------------------------------------


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles stand before a name, so their period never ends a sentence: "Dr. Who", "Sen. Ted Cruz".
# "vs." and "e.g." are never last either: "Smith vs. The State", "e.g. The Times".
NEVER_FINAL = words(
    "Mr Mrs Ms Messrs Dr Prof Gen Lt Col Maj Capt Sgt Adm Cmdr Sen Rep Gov Pres Rev Hon "
    "vs v e.g i.e cf"
)
# Other abbreviations, an initial "W." and a dotted initialism "U.S." can end a sentence, and a
# capitalised word after them is ambiguous: "the U.S. President" goes on, "in the U.S. The next
# day" does not. The rule: split there only when the next word is one that typically opens a
# sentence (SENTENCE_STARTERS); before a name-like word or a number, keep going.
ABBREVIATIONS = words(
    "St Mt Ft Jr Sr No Nos etc Inc Ltd Co Corp Bros Ave Blvd Rd Dept Univ approx est "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec"
)
SENTENCE_STARTERS = words(
    "The A An He She It They We I You This That These Those There Here His Her Its Their Our My "
    "In On At By For From With Without After Before During Since Until As If When While Where "
    "But And Or So Yet Still Also Then Now Later Earlier Meanwhile However Instead Although Though "
    "Some Many Most Several Both Each Every All No None Not Neither What Why How Who Which "
    "According Despite Under Over Last Next One Two Three"
)

_OPENERS = "\"'“‘([«"
_CLOSERS = "\"'”’)]»"
# A candidate boundary: terminal punctuation, any closing quotes or brackets, then the space.
_BOUNDARY = re.compile(r"[.!?…]+[" + re.escape(_CLOSERS) + r"]* ")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # "U.S", "p.m", "e.g" (final period cut)


def split_sentences(paragraph: str) -> list[str]:
    """A written paragraph's sentences; joined with single spaces they give the paragraph back
    (whitespace-normalised)."""
    text = " ".join(paragraph.split())
    sentences, start = [], 0
    for boundary in _BOUNDARY.finditer(text):
        space = boundary.end() - 1
        last_word = text[start:space].rsplit(" ", 1)[-1]
        next_word = text[boundary.end() :].split(" ", 1)[0]
        if ends_sentence(last_word, next_word):
            sentences.append(text[start:space])
            start = boundary.end()
    sentences.append(text[start:])
    return [sentence for sentence in sentences if sentence]


def ends_sentence(last_word: str, next_word: str) -> bool:
    """Whether the punctuation ending `last_word` closes its sentence, given the word after."""
    following = next_word.lstrip(_OPENERS)
    if not following or following[0].islower():
        return False  # "etc. and", '"Stop!" he said', "... and then"
    if not last_word.rstrip(_CLOSERS).endswith("."):
        return True  # "?", "!", "…"
    core = last_word.lstrip(_OPENERS).rstrip(_CLOSERS)
    if core.endswith(".."):
        return True  # an ellipsis "..."
    stem = core[:-1]
    if stem in NEVER_FINAL:
        return False
    if stem in ABBREVIATIONS or _INITIALISM.fullmatch(stem) or is_initial(stem):
        return not following[0].isdigit() and following.rstrip(",;:") in SENTENCE_STARTERS
    return True


def is_initial(stem: str) -> bool:
    return len(stem) == 1 and stem.isupper()


# --- chunks -------------------------------------------------------------------------------------

# Clause boundaries: after , ; : or … (and a closing quote or bracket after them), and after a
# spaced dash. The punctuation stays with the clause before it, so the engine still hears it.
# Captions (sidecars.py) break their cues at the same places.
CLAUSE_BREAK = re.compile(r"(?<=[,;:…]) |(?<=[,;:…][\"'”’)\]»]) |(?<= [—–]) ")
# A lexicon's `[[phonemes]]` block is one word to the engine: cut in two, each half would be read
# as text. Its spaces are glued while splitting (one character for one, so lengths hold).
_PHONEME_BLOCK = re.compile(r"\[\[.*?\]\]")
_GLUE = "\x00"


def chunk(spoken: str, max_chars: int | None) -> tuple[str, ...]:
    """`spoken` in engine-sized pieces: whole sentence, else whole clauses, else whole words.

    A `[[phonemes]]` block is never split, even if it alone is longer than `max_chars`.
    """
    if not spoken:
        return ()
    if max_chars is None or len(spoken) <= max_chars:
        return (spoken,)
    glued = _PHONEME_BLOCK.sub(lambda block: block[0].replace(" ", _GLUE), spoken)
    chunks: list[str] = []
    for clause in CLAUSE_BREAK.split(glued):
        pieces = [clause] if len(clause) <= max_chars else words_within(clause, max_chars)
        for piece in pieces:
            if chunks and len(chunks[-1]) + 1 + len(piece) <= max_chars:
                chunks[-1] += " " + piece
            else:
                chunks.append(piece)
    return tuple(piece.replace(_GLUE, " ") for piece in chunks)


def words_within(clause: str, max_chars: int) -> list[str]:
    """A too-long clause in word-boundary pieces; a word longer than the limit is cut hard,
    except a `[[phonemes]]` block."""
    pieces: list[str] = []
    for word in clause.split():
        if "[[" in word:
            parts = [word]
        else:
            parts = [word[start : start + max_chars] for start in range(0, len(word), max_chars)]
        for part in parts:
            if pieces and len(pieces[-1]) + 1 + len(part) <= max_chars:
                pieces[-1] += " " + part
            else:
                pieces.append(part)
    return pieces
