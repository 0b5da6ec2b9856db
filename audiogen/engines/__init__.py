"""Speech engines behind one small interface: spoken text in, PCM audio out.

Engines know nothing about articles, files or tags. Each engine module is imported only
when a voice that names it is used, so listing voices or printing help stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Audio:
    """Mono 16-bit PCM."""

    samples: np.ndarray  # int16, one dimension
    sample_rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.sample_rate


class Engine(Protocol):
    # Longest chunk of text the engine accepts in one call; None means one sentence a call.
    max_chunk_chars: int | None
    # Bumped when the engine's own code changes the audio for the same text and settings: it
    # is part of the voice's identity (voices.voice_identity), so cached chunks are retired.
    version: int

    def synthesize(self, text: str) -> Audio:
        """Speak one chunk of already-normalised text."""
        ...
