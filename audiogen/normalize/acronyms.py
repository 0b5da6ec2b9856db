"""Acronyms: said as letters (IMF, CIA, BBC) or as a word (NATO, UNESCO, COVID).

The written form of a letter acronym is the one espeak spells in that place, checked with
Piper's phonemizer (`bench/normalize.py --phonemes` checks them again):
- most are spelled wherever they stand, and are left as written ("the CIA", "the BBC.");
- many are spelled before a word but read as a word at the end of a clause ("the IMF said" is
  letters, "by the IMF." is "imf"): there they are written with dots, "by the I.M.F.";
- a few espeak always reads as a word ("WHO" is "who", "IAEA" is "eye-ee-a"): always dotted.
The dotted form is one every engine spells, so the words are the same for every engine.

An all-caps token in no list is judged by its letters: one a reader could say as a word
(4 letters or more, English-like clusters) is left alone; a short one that is an everyday word
("THE", "MIX") too; any other is spelled, with dots. A valid Roman numeral in no name ("MIX",
"DIV") is left as written.
"""

from __future__ import annotations

import re

from audiogen.normalize.rules import Rule, rule

SPELLED_ANYWHERE = set(
    "CIA FBI EU UN BBC CNN NHS MP PM AM TV GDP CEO CFO ID US UK USA DC DNC RNC FDA CDC DOJ DHS "
    "NSA IRS FTC FCC NTSB NSC UNHCR WFP WTO OECD MSF PKK SNP BJP CCP KGB FSB SBU HQ RPG AI IT "
    "CPI LNG ABC NBC CBS PBS NPR CNBC MSNBC ESPN HBO NFL NBA MLB NHL MLS WTA PGA DNA HIV HPV "
    "PTSD GP MRI PPE CCTV SUV ATM PR HR QR USB PC OK BC BCE DVD GPS SMS VPN JFK MLK UCLA MIT "
    "LSE MBA UFO LGBT LGBTQ ECHR DMZ KFC IBM HSBC BP GM VW BMW GMT UTC BST CET MSK JST KST HKT "
    "SGT DPA DPRK SLBM ZNPP NRA NSF WMD NYSE HRW SDF HTS CD".split()
)  # "AM" and "PM" follow a time ("eight AM."), where espeak spells them
SPELLED_BEFORE_A_WORD = set(
    "IMF AP NGO EV IDF ICC ICJ UAE NYC GOP SEC EPA FAA TSA ATF DEA NIH ECB ANC DUP PLA GRU POW "
    "IED UAV ISS ESA IPO ETF ITV AFP UPI UFC IOC ATP ICU VAT AD LED NYU OAS UBS EY EET IST WAT "
    "EAT ADB SCO ILO ITU IRA DOD DOE DOT HUD VA GAO OMB FEC RAF SAS MIA KIA EW IFV APC QE PE ESG "
    "OTC YPG".split()
)
ALWAYS_DOTTED = set(
    "WHO LA UNSC UNGA UNDP IAEA OSCE ICRC IRGC NCAA IS AU CEST EEST AEST AEDT AIIB EBRD CSTO "
    "OHCHR UNFPA PSNI USCIS ACLU NAACP AARP SEIU USGS USMC ICBM PBOC FOMC OPCW".split()
)
LETTERS = SPELLED_ANYWHERE | SPELLED_BEFORE_A_WORD | ALWAYS_DOTTED

# Acronyms said as words. Left as written: a respelling, if one is needed ("FEMA"), belongs to
# the pronunciation lexicon.
WORDS = set(
    "NATO UNESCO NASA OPEC COVID UNICEF FIFA UEFA ISIS ISIL AIDS SARS MERS NAFTA ASEAN BRICS "
    "FEMA POTUS SCOTUS FLOTUS NORAD DARPA NOAA UNRWA UKIP HIMARS ATACMS GMLRS JDAM MANPADS MRAP "
    "SWIFT APEC CERN SPAC REIT FTSE NASDAQ OFCOM OFSTED INTERPOL EUROPOL FRONTEX ECOWAS "
    "MERCOSUR UNIFIL UNMISS MONUSCO UNAMA ISAF PACE SEAL SEALS SWAT NIMBY LASER RADAR SCUBA "
    "TASER AWOL OSHA DACA MAGA CHIPS HAMAS ICE COP WASP NEET ZIP PIN GIF JPEG NASCAR CARICOM "
    "AUKUS SALT START CENTCOM EUCOM AFRICOM SOCOM DEFCON SIGINT OSINT COVAX LIBOR SOFR TARP "
    "FARC ETA ZANU SWAPO UNITA OPEC JSON ASCII CAPTCHA".split()
)
# Everyday words a headline may shout; an unknown token of these letters is not an acronym.
_EVERYDAY = set(
    "A AN AS AT BE BY DO GO HE HI IF IN ME MY NO OF OH ON OR SO TO UP WE THE AND FOR BUT NOT YOU "
    "ALL ANY CAN HAS HAD HER HIM HIS HOW ITS MAY NEW NOW OLD ONE OUR OUT SEE TWO WAY WHY YES YET "
    "BIG BAD DAY END FEW GET GOT LET LOW MAN MEN OFF OWN PUT RUN SAY SET SIX TEN TOP TRY USE WAR "
    "WAS WIN WON AGO AGE AIR ARE ART ASK BAN BID BOY BUY CAR CUT DID DIE DOG EAT EYE FAR FIX FLY "
    "FUN GAS GUN HIT HOT JOB KEY KID LAW LIE LOT MIX OIL PAY RED SEA SHE SON SUN TAX TIE TOO WET "
    "BAR BED BOX BUS CUP DRY EGG FAN FAT FEE FIT GAP HAT JET LAB LEG MAP NET PAN PEN PET PIE POT "
    "RAW RID ROW SAD SIT SKY TEA TIP TOY WEB ZOO HOW WHO MAX PRO AIR NEO".split()
)
SHORT_WORDS = _EVERYDAY - LETTERS

_VOWELS = "AEIOUY"
# Consonant clusters English starts and ends syllables with.
ONSETS = set(
    "B C D F G H J K L M N P Q R S T V W X Y Z BL BR CH CL CR DR DW FL FR GL GN GR KL KN KR PH PL "
    "PR PS QU SC SCH SCR SH SHR SK SL SM SN SP SPH SPL SPR SQU ST STR SW TH THR TR TW WH WR".split()
)
CODAS = set(
    "B C D F G H K L M N P R S T V W X Z CH CK CT DS FF FT GH GHT GS KS LD LF LK LL LM LP LS LT "
    "LTH MB MP MS ND NDS NG NGS NGTH NK NS NT NTS NTH NZ PH PS PT RB RC RCH RD RDS RF RG RK RKS "
    "RL RM RN RP RS RT RTH RTS SH SK SP SS ST TCH TH TS TZ WN WS XT".split()
)
_RUNS = re.compile(r"[AEIOU]+|[^AEIOU]+")
_NUMERAL = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_BEFORE_A_WORD = re.compile(r"[\s-]+[\w$£€]")
# A period followed by more text: the dotted form there ("I.M.F. Next") would read, on a second
# pass, as a written initialism whose period is dropped; so the acronym is left as written.
_PERIOD_THEN_TEXT = re.compile(r"\.(?![\s\"'”’)\]]*$)")


def pronounceable(letters: str) -> bool:
    """ "NASA", "BREAKING": a reader would say them as words; "NCAA", "OECD", "IAEA": no."""
    if len(letters) < 4:
        return False
    # "Y" is a vowel except where a syllable starts with it ("YEMEN"); good enough here.
    runs = _RUNS.findall(letters.replace("Y", "I") if not letters.startswith("Y") else letters)
    if len(runs) < 2:
        return False
    for index, run in enumerate(runs):
        if run[0] in _VOWELS:
            if len(run) > 2:
                return False
        elif index == 0:
            if run not in ONSETS:
                return False
        elif index == len(runs) - 1:
            if run not in CODAS:
                return False
        elif not splits_into_syllables(run):
            return False
    return True


def splits_into_syllables(cluster: str) -> bool:
    """ "NSTR" -> "N|STR": the end of one syllable and the start of the next."""
    return any(
        (cluster[:cut] in CODAS or not cluster[:cut])
        and (cluster[cut:] in ONSETS or not cluster[cut:])
        for cut in range(len(cluster) + 1)
    )


def dotted(letters: str, suffix: str) -> str:
    """ "IMF" -> "I.M.F", "NGOs" -> "N.G.O.'s": every engine spells these. (The plural is
    written as a possessive: espeak reads "N.G.O.s" as "N G O S".)"""
    return ".".join(letters) + (".'s" if suffix else "")


def is_everyday(letters: str) -> bool:
    return (
        letters in SHORT_WORDS or pronounceable(letters) or _NUMERAL.fullmatch(letters) is not None
    )


def acronym(match: re.Match) -> str:
    """ "the IMF said" -> as written; "by the IMF." -> "by the I.M.F."; "the WHO" -> "the
    W.H.O"; "XKCD" -> "X.K.C.D"."""
    letters, suffix, written = match["letters"], match["suffix"] or "", match.group(0)
    if letters + suffix in WORDS or letters in WORDS or letters in SPELLED_ANYWHERE:
        return written
    if letters not in LETTERS and (is_everyday(letters + suffix.upper()) or is_everyday(letters)):
        return written
    after = match.end()
    if _PERIOD_THEN_TEXT.match(match.string, after):
        return written
    if letters in SPELLED_BEFORE_A_WORD and _BEFORE_A_WORD.match(match.string, after):
        return written
    return dotted(letters, suffix)


RULES: tuple[Rule, ...] = (
    rule(
        r"(?=[A-Z])(?<![\w.'’&@#])(?P<letters>[A-Z]{2,})(?P<suffix>['’]s|s)?(?![\w'’]|\.[A-Za-z])",
        acronym,
    ),
)
