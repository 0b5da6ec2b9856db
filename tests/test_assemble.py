import numpy as np
import pytest

from audiogen.assemble import EDGE_MS, LEAD_IN, TAIL, assemble
from audiogen.engines import Audio
from audiogen.narration import Script, Segment
from audiogen.speak import spoken
from audiogen.voices import Pauses
from tests.conftest import speech_onsets

RATE = 22050
PAUSES = Pauses(sentence=0.3, paragraph=0.8, headline=1.1)
SECTION_PAUSES = Pauses(sentence=0.3, paragraph=0.8, headline=1.1, section=1.6)


def tone(seconds: float, padding: float = 0.25, rate: int = RATE) -> Audio:
    """A tone with silence either side, as a TTS engine returns a sentence."""
    t = np.arange(int(seconds * rate)) / rate
    voiced = (0.5 * np.sin(2 * np.pi * 220 * t) * 32767).astype(np.int16)
    silence = np.zeros(int(padding * rate), dtype=np.int16)
    return Audio(np.concatenate([silence, voiced, silence]), rate)


def segment(paragraph: int, chunks: int = 1) -> Segment:
    return Segment(paragraph, "x", "x", ("x",) * chunks)


def samples(track) -> np.ndarray:
    """The whole track, read back from its spool."""
    return track.spool.read(0, track.spool.length)


def test_pauses_are_exactly_as_set_and_starts_match_the_sound():
    script = Script((segment(0), segment(1), segment(1), segment(2)))
    audio = [[tone(1.0)], [tone(0.5)], [tone(0.7)], [tone(0.4)]]
    track = assemble(script, audio, PAUSES)

    edge = 2 * EDGE_MS / 1000
    expected = [LEAD_IN]
    for voiced, pause in ((1.0, 1.1), (0.5, 0.3), (0.7, 0.8)):
        expected.append(expected[-1] + voiced + edge + pause)
    assert track.starts == pytest.approx(expected, abs=0.002)
    # Each segment ends where its pause begins: the next start, less the pause.
    voiced = [1.0, 0.5, 0.7, 0.4]
    ends = [start + length + edge for start, length in zip(expected, voiced, strict=True)]
    assert track.ends == pytest.approx(ends, abs=0.002)
    assert track.seconds == pytest.approx(expected[-1] + 0.4 + edge + TAIL, abs=0.002)

    # The sound really starts where the track says (within the kept edge).
    onsets = speech_onsets(samples(track), min_gap=0.2, rate=RATE)
    assert onsets == pytest.approx([s + EDGE_MS / 1000 for s in expected], abs=0.011)


def test_chunks_of_one_sentence_are_joined_with_a_short_gap():
    track = assemble(Script((segment(0, chunks=3),)), [[tone(0.3)] * 3], PAUSES)
    assert len(speech_onsets(samples(track), min_gap=0.1, rate=RATE)) == 3


def test_a_silent_chunk_is_kept_rather_than_lost():
    silent = Audio(np.zeros(RATE // 2, dtype=np.int16), RATE)
    track = assemble(Script((segment(0), segment(1))), [[tone(0.5)], [silent]], PAUSES)
    assert track.seconds > LEAD_IN + 0.5 + PAUSES.headline + 0.5


def test_join_is_one_copy_of_the_audio_however_many_chunks():
    # 2,000 chunks: adding segments one by one would copy the growing track 2,000 times.
    script = Script(tuple(segment(1 + i // 10) for i in range(2000)))
    track = assemble(script, [[tone(0.05, padding=0.01)]] * 2000, PAUSES)
    assert len(track.starts) == 2000
    assert track.starts == tuple(sorted(track.starts))


def test_mixed_sample_rates_are_refused():
    script = Script((segment(0), segment(1)))
    with pytest.raises(ValueError, match="sample rate"):
        assemble(script, [[tone(0.2)], [tone(0.2, rate=24000)]], PAUSES)


def test_joins_do_not_click():
    # A tone that starts and stops at full amplitude: without fades each end is a step.
    t = np.arange(RATE // 2) / RATE
    abrupt = Audio((0.5 * np.cos(2 * np.pi * 220 * t) * 32767).astype(np.int16), RATE)
    script = Script((segment(0), segment(1, chunks=2)))
    track = assemble(script, [[abrupt], [abrupt, abrupt]], PAUSES)
    sound = samples(track)
    steady = np.abs(np.diff(sound[int(track.starts[0] * RATE) + 500 :][:5000])).max()
    # Unfaded, the step at each end would be the whole amplitude: 16 times the tone's own.
    assert np.abs(np.diff(sound)).max() < steady * 1.5
    for start, end in zip(track.starts, track.ends, strict=True):
        assert abs(sound[round(start * RATE)]) < 1e-3
        assert abs(sound[round(end * RATE) - 1]) < 1e-3


def test_a_section_heading_gets_its_own_pause():
    script = Script(tuple(segment(p) for p in (0, 1, 1, 2, 3)))
    audio = [[tone(0.4)]] * 5
    plain = assemble(script, audio, SECTION_PAUSES)
    marked = assemble(script, audio, SECTION_PAUSES, sections=frozenset({1, 3}))

    def pauses(track):
        return [b - a for a, b in zip(track.ends, track.starts[1:], strict=False)]

    assert pauses(plain) == pytest.approx([1.1, 0.3, 0.8, 0.8], abs=0.001)
    # Before a heading its own pause; straight after the headline the longer of the two.
    assert pauses(marked) == pytest.approx([1.6, 0.3, 1.6, 0.8], abs=0.001)
    short = assemble(script, audio, Pauses(0.3, 0.8, 1.1, section=0.5), sections=frozenset({1, 3}))
    assert pauses(short) == pytest.approx([1.1, 0.3, 0.5, 0.8], abs=0.001)
    assert Pauses().section == pytest.approx(1.2)


class Counting:
    """An engine that speaks a short tone per chunk, and fails on the `fails`-th."""

    max_chunk_chars = None

    def __init__(self, fails: int = 0):
        self.calls, self.fails = 0, fails

    def synthesize(self, text: str) -> Audio:
        self.calls += 1
        if self.calls == self.fails:
            raise RuntimeError("the engine broke")
        return tone(0.05, padding=0.01)


@pytest.mark.parametrize("ahead", [0, 2])
def test_chunks_spoken_ahead_arrive_in_order_and_errors_reach_the_caller(ahead):
    script = Script(tuple(segment(1 + i // 3, chunks=1 + i % 2) for i in range(12)))
    seen = []
    audio = list(spoken(script, Counting(), lambda *progress: seen.append(progress), ahead=ahead))
    assert [len(chunks) for chunks in audio] == [len(s.chunks) for s in script.segments]
    assert [done for done, _, _ in seen] == list(range(1, 19))
    with pytest.raises(RuntimeError, match="the engine broke"):
        list(spoken(script, Counting(fails=5), ahead=ahead))


def test_a_caller_that_stops_stops_the_engine():
    script = Script(tuple(segment(1 + i) for i in range(50)))
    engine = Counting()

    def stop(done, total, seconds):
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        list(spoken(script, engine, stop, ahead=2))
    # What it had made ahead, and the chunk it was on: no more.
    assert engine.calls <= 3 + 2 + 1
