"""The one exception type the library raises for what the user can put right.

The message names no command-line flag: the library is called from Python too. When the fault
lies in one of the caller's Options, `setting` names that field ("voice", "lexicons",
"profile", "output", ...), and a front end says it its own way (cli.py names the flag).
"""


class AudiogenError(Exception):
    """An expected failure: bad input, a missing voice, no network.

    The message is shown to the user as it is, so it says what is wrong and what to do,
    on one line, without a traceback. `setting`: the Options field at fault, if one is.
    """

    def __init__(self, message: str, *, setting: str | None = None):
        super().__init__(message)
        self.setting = setting
