"""The one exception type the command line turns into a one-line message."""


class AudiogenError(Exception):
    """An expected failure: bad input, a missing voice, no network.

    The message is shown to the user as it is, so it says what is wrong and what to do,
    on one line, without a traceback.
    """
