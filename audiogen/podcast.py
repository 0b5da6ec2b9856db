"""The podcast feed: an RSS 2.0 feed, with iTunes and Podcasting 2.0 tags, of a folder's MP3s.

Listeners turn what they saved into a personal podcast: `audiogen convert` fills a folder with
MP3s, and this module describes them in `feed.xml` beside them, for a podcast app to subscribe
to once the folder is served over http(s). Everything an item says comes from the tags
audiogen wrote (publish.tags), so the feed can be made again from the folder alone at any
time. The one thing taken from the previous feed is each item's guid: podcast apps know an
episode by it, and a guid that changed would show a heard episode as new.

An episode is dated by when its article was published (a publisher's feed), or by when it
was converted (ADDED_DATE, a listener's feed: a 2022 article saved today is new in the
app): the manifest's record of the conversion, else the MP3's modification time. A published
date is the instant the page gave, with its UTC offset (publish writes both); a page that gave
no time zone is taken as UTC.
"""

from __future__ import annotations

import collections
import difflib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

# feedgen 1.0's feedgen.util uses lxml.etree without importing it, so a first import of one
# of its extensions (rather than of feedgen.feed) fails unless lxml.etree is loaded already.
import lxml.etree  # noqa: F401

# isort: split
import feedparser
import mutagen
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.ext.podcast import PodcastExtension
from feedgen.ext.podcast_entry import PodcastEntryExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from mutagen.mp3 import MP3

from audiogen import __version__
from audiogen.article import parse_date
from audiogen.errors import AudiogenError
from audiogen.files import write_whole
from audiogen.publish import ISO_639_2, PUBLISHED
from audiogen.urls import web_address

NAME = "feed.xml"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
COVERS = ("cover.jpg", "cover.png")  # cover art beside the MP3s, used when --image is not given
# Files beside an MP3, named after it, that the feed links to when they exist.
TRANSCRIPTS = ((".vtt", "text/vtt"), (".srt", "application/srt"))
CHAPTERS = (".chapters.json", "application/json+chapters")
DEFAULT_LANGUAGE = "en"
ARTWORK = ".jpg"  # a local channel image is made square and written as FOLDER/<feed's stem>.jpg
PUBLISHED_DATE, ADDED_DATE = "published", "added"  # what an episode is dated by
# The manifest field that says when a source was converted (ISO 8601).
CONVERTED_AT = "converted_at"
# Apple Podcasts' categories and their subcategories, as its podcast specification lists them.
CATEGORIES = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing",
                 "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health",
                         "Nutrition", "Sexuality"),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": ("Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies",
                "Home & Garden", "Video Games"),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": ("Business News", "Daily News", "Entertainment News", "News Commentary",
             "Politics", "Sports News", "Tech News"),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism",
                                "Religion", "Spirituality"),
    "Science": ("Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics",
                "Natural Sciences", "Nature", "Physics", "Social Sciences"),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy", "Places & Travel",
                          "Relationships"),
    "Sports": ("Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf",
               "Hockey", "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball",
               "Wilderness", "Wrestling"),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews",
                  "TV Reviews"),
}  # fmt: skip
# publish writes TLAN through ISO_639_2; reading it back through the same table keeps the
# two in step.
_ISO_639_1 = {three: two for two, three in ISO_639_2.items()}

log = logging.getLogger("audiogen")


@dataclass(frozen=True)
class Episode:
    """One MP3 as the feed tells of it, read from the tags audiogen wrote."""

    path: Path
    title: str  # TIT2, the headline
    published: datetime  # aware: see _published; the file's time when the article had none
    added: datetime  # aware: when it was converted (the manifest's record, else the file's)
    seconds: float  # TLEN
    size: int  # bytes, as the enclosure must say
    description: str | None = None  # COMM, the lede
    author: str | None = None  # TPE1, the byline
    publisher: str | None = None  # TALB
    language: str | None = None  # TLAN, as ISO 639-1 where it has a code
    url: str | None = None  # WOAS, the article's web address

    def date(self, date_by: str) -> datetime:
        """When it was published, or when it was added (ADDED_DATE)."""
        return self.added if date_by == ADDED_DATE else self.published


class ITunesExtension(PodcastExtension):
    """feedgen's iTunes channel tags, with cover art and the explicit flag written here.

    feedgen 1.0 knows only the old yes/no/clean values of itunes:explicit, where Apple's
    specification now asks for true/false, and it silently drops an itunes:image whose
    address does not end in .jpg or .png (a .jpeg, or a URL with a query string).
    """

    def __init__(self):
        super().__init__()
        self.explicit = False
        self.image: str | None = None

    def extend_rss(self, rss_feed):
        rss_feed = super().extend_rss(rss_feed)
        channel = rss_feed[0]
        if self.image:
            xml_elem(f"{{{ITUNES_NS}}}image", channel).attrib["href"] = self.image
        xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = "true" if self.explicit else "false"
        return rss_feed


class PodcastIndexExtension(BaseExtension):
    """The Podcasting 2.0 namespace (podcastindex.org): declared once, on the feed's root."""

    def extend_ns(self):
        return {"podcast": PODCAST_NS}


class PodcastIndexEntryExtension(BaseEntryExtension):
    """An item's podcast:transcript and podcast:chapters links."""

    def __init__(self):
        self.transcripts: list[tuple[str, str]] = []  # (url, MIME type)
        self.chapters: tuple[str, str] | None = None

    def extend_rss(self, entry):
        for url, kind in self.transcripts:
            transcript = xml_elem(f"{{{PODCAST_NS}}}transcript", entry)
            # Both formats are timed: apps may show them as captions, as the spec's rel says.
            transcript.attrib.update({"url": url, "type": kind, "rel": "captions"})
        if self.chapters:
            url, kind = self.chapters
            xml_elem(f"{{{PODCAST_NS}}}chapters", entry).attrib.update({"url": url, "type": kind})
        return entry


def folder_url(url: str) -> str:
    """The address the folder is served from, ending in a slash so file names join onto it."""
    parts = urlsplit(web_address(url))
    if parts.query or parts.fragment:  # file names could not be joined onto it
        raise ValueError(f"{url!r}: a folder's address has no ?query or #fragment")
    return url.rstrip("/") + "/"


def read_episode(mp3: Path, converted: datetime | None = None) -> Episode | None:
    """The episode an MP3 of ours makes; None, with a warning, for any other file.
    `converted`: when it was converted, if known; else the file's modification time."""
    try:
        audio = MP3(mp3)
        size = mp3.stat().st_size
    except (mutagen.MutagenError, OSError) as error:
        log.warning("%s: cannot read it as an MP3 (%s); left out of the feed", mp3, error)
        return None
    tags = audio.tags
    if tags is None or "TIT2" not in tags or not str(tags["TIT2"]).strip():
        log.warning("%s: no headline tag (TIT2), not made by audiogen; left out of the feed", mp3)
        return None
    comments = tags.getall("COMM")
    return Episode(
        path=mp3,
        title=str(tags["TIT2"]),
        published=_published(tags, mp3),
        added=converted or _modified(mp3),
        seconds=_seconds(tags, audio),
        size=size,
        description=str(comments[0]) if comments else None,
        author=_text(tags, "TPE1"),
        publisher=_text(tags, "TALB"),
        language=_language(_text(tags, "TLAN")),
        url=tags["WOAS"].url if "WOAS" in tags else None,
    )


def folder_episodes(folder: Path, date_by: str = PUBLISHED_DATE) -> list[Episode]:
    """The episodes the folder's MP3s make, newest first by `date_by`."""
    converted = conversion_times(folder)
    mp3s = sorted(
        path
        for path in folder.iterdir()
        # Dot files are other programs' leftovers, or a writer's temporary file.
        if path.suffix.lower() == ".mp3" and not path.name.startswith(".") and path.is_file()
    )
    episodes = [e for e in (read_episode(mp3, converted.get(mp3.name)) for mp3 in mp3s) if e]
    # The file name breaks ties, so that equal dates keep one order from run to run.
    return sorted(episodes, key=lambda e: (e.date(date_by), e.path.name), reverse=True)


def conversion_times(folder: Path) -> dict[str, datetime]:
    """MP3 file name -> when the manifest in `folder` says it was converted, where it says."""
    from audiogen.manifest import Manifest

    times = {}
    for entry in Manifest(folder).entries.values():
        when = _aware(entry.get(CONVERTED_AT))
        if when and isinstance(entry.get("output"), str):
            times[Path(entry["output"]).name] = when
    return times


def apple_category(value: str) -> str:
    """`value` ("news/politics", "News / Politics", "Technology") as Apple spells the
    category, "Category/Subcategory"; ValueError naming the nearest ones if it is not one."""
    spelled = {name.lower(): name for name in _category_names()}
    key = "/".join(part.strip() for part in value.split("/")).lower()
    if key in spelled:
        return spelled[key]
    # A subcategory alone ("Politics") is named in full; else the names spelled most alike.
    whole = [spelled[name] for name in spelled if name.endswith("/" + key)]
    alike = difflib.get_close_matches(key, list(spelled), n=3, cutoff=0.6)
    nearest = list(dict.fromkeys(whole + [spelled[name] for name in alike]))[:3]
    hint = ", ".join(nearest) if nearest else "none; Apple's are e.g. News, News/Politics, Arts"
    raise ValueError(f"{value!r} is not an Apple Podcasts category; nearest: {hint}")


def _category_names() -> list[str]:
    """Every category, and every "Category/Subcategory"."""
    subcategories = [f"{name}/{sub}" for name, subs in CATEGORIES.items() for sub in subs]
    return [*CATEGORIES, *subcategories]


def earlier_guids(feed: Path) -> dict[str, str]:
    """File name -> guid of each item of an earlier feed (none if there is no such feed)."""
    try:
        # Bytes, not the path: feedparser would take a path it cannot open for the feed's text.
        content = feed.read_bytes()
    except OSError:  # none yet (or unreadable, and then it is about to be replaced)
        return {}
    guids = {}
    for entry in feedparser.parse(content).entries:
        for enclosure in entry.get("enclosures", []):
            name = unquote(PurePosixPath(urlsplit(enclosure.get("href", "")).path).name)
            if name and entry.get("id"):
                guids[name] = entry["id"]
    return guids


def episode_guids(episodes: Iterable[Episode], earlier: Mapping[str, str]) -> dict[Path, str]:
    """A guid for each episode, unique in the feed and the same in every feed made later.

    An episode the earlier feed listed keeps the guid it had there, whatever it would be
    made from now. A new one gets its article's identity (identity.feed_guid), which stays
    the same when the article is converted again under a new headline (a new file name);
    an MP3 that carries none (made before audiogen kept it), its address, else its file name.
    """
    episodes = list(episodes)
    guids: dict[Path, str] = {}
    taken: set[str] = set()
    for episode in episodes:  # the kept ones first: no new guid may take theirs
        guid = earlier.get(episode.path.name)
        if guid and guid not in taken:
            guids[episode.path] = guid
            taken.add(guid)
    for episode in episodes:
        if episode.path not in guids:
            guids[episode.path] = _new_guid(episode, taken)
            taken.add(guids[episode.path])
    return guids


def build_feed(
    folder: Path,
    *,
    title: str,
    base_url: str,
    description: str | None = None,
    language: str | None = None,
    image: str | None = None,
    category: str | None = None,
    explicit: bool = False,
    author: str | None = None,
    previous: Path | None = None,
    feed_name: str | None = NAME,
    date_by: str = PUBLISHED_DATE,
    max_episodes: int | None = None,
    empty: bool = False,
) -> bytes:
    """The RSS 2.0 podcast feed of the MP3s audiogen wrote into `folder`, as UTF-8 XML.

    `base_url` is the http(s) address the folder is served from; `previous` an earlier feed
    whose guids are kept; `feed_name` the feed's own file name in the folder, for its self
    link (None when it is kept elsewhere). `image` is the channel art's address. `category`
    is one of Apple's (apple_category), a subcategory after a slash: "News/Daily News".
    `date_by`: PUBLISHED_DATE or ADDED_DATE; `max_episodes`: only that many, the newest.
    Raises AudiogenError when the folder holds no MP3 of ours (unless `empty`: a service's
    feed, subscribed to before its first episode, is a channel with no items), or an option
    is not valid.
    """
    base = folder_url(base_url)
    if date_by not in (PUBLISHED_DATE, ADDED_DATE):
        raise AudiogenError(f"episodes are dated by {PUBLISHED_DATE!r} or {ADDED_DATE!r}")
    if category:
        try:
            category = apple_category(category)
        except ValueError as error:
            raise AudiogenError(str(error)) from error
    episodes = folder_episodes(folder, date_by)[:max_episodes]
    if not episodes and not empty:
        raise AudiogenError(f"{folder}: no MP3s made by audiogen in it, so no feed to write")
    generator = _channel(
        folder,
        episodes,
        title=title,
        base=base,
        description=description,
        language=language,
        image=image,
        category=category,
        explicit=explicit,
        author=author,
        feed_name=feed_name,
        date_by=date_by,
    )
    guids = episode_guids(episodes, earlier_guids(previous) if previous else {})
    for episode in episodes:
        _add_item(generator, episode, base, guids[episode.path], episode.date(date_by))
    return generator.rss_str(pretty=True)


def write_feed(
    folder: Path, *, output: Path | None = None, artwork: Path | None = None, **options
) -> Path:
    """Write the folder's feed (build_feed's options) to `output`, by default FOLDER/feed.xml.

    `artwork`: an image file for the channel, instead of an `image` address: made square
    (cover.cover_jpeg) and written into the folder, named after the feed (feed.jpg), where
    the base URL serves it. The items the feed already there listed keep their guids. The
    new feed is written under a temporary name and renamed into place, so an app fetching
    it meanwhile gets one whole feed or the other.
    """
    from audiogen.cover import cover_jpeg

    output = output or folder / NAME
    inside = output.parent.resolve() == folder.resolve()
    art = folder / (Path(output.name).stem + ARTWORK)
    if artwork:
        square = cover_jpeg(artwork)  # first: a bad image leaves every file as it was
        options["image"] = folder_url(options["base_url"]) + quote(art.name)
    content = build_feed(
        folder, previous=output, feed_name=output.name if inside else None, **options
    )
    try:
        if artwork:
            write_whole(art, square)
        # Written as publish writes every file in an output folder: whole or not at all,
        # and a killed run's leftover cleared by the next (publish.remove_stale_parts).
        write_whole(output, content)
    except OSError as error:
        reason = error.strerror or error
        raise AudiogenError(f"{output}: cannot write the feed: {reason}") from error
    return output


def _channel(folder: Path, episodes: list[Episode], *, base: str, **options) -> FeedGenerator:
    generator = FeedGenerator()
    generator.register_extension("podcast", ITunesExtension, PodcastEntryExtension, atom=False)
    generator.register_extension(
        "podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension, atom=False
    )
    title = options["title"]
    generator.title(title)
    if options["feed_name"]:
        generator.link(href=base + quote(options["feed_name"]), rel="self")
    # After the self link: feedgen makes the last link given the channel's <link>.
    generator.link(href=base, rel="alternate")
    generator.description(options["description"] or _default_description(episodes))
    # Most episodes' language; the episodes come newest first, so the newer wins a tie.
    generator.language(options["language"] or _most_common(e.language for e in episodes))
    generator.generator(f"audiogen {__version__}")
    # The newest episode's date rather than now: a feed made again from the same folder is
    # the same file, byte for byte.
    if episodes:
        generator.lastBuildDate(episodes[0].date(options["date_by"]))
    image = options["image"] or _cover(folder, base)
    if image:
        generator.image(url=image, title=title, link=base)
        generator.podcast.image = image
    if options["category"]:
        category, _, sub = options["category"].partition("/")
        generator.podcast.itunes_category(
            {"cat": category.strip(), **({"sub": sub.strip()} if sub.strip() else {})}
        )
    generator.podcast.explicit = options["explicit"]
    author = options["author"] or _most_common((e.publisher for e in episodes), default=None)
    if author:
        generator.podcast.itunes_author(author)
    return generator


def _add_item(
    generator: FeedGenerator, episode: Episode, base: str, guid: str, date: datetime
) -> None:
    item = generator.add_entry(order="append")  # episodes come newest first already
    item.title(episode.title)
    item.guid(guid, permalink=False)
    item.enclosure(base + quote(episode.path.name), str(episode.size), "audio/mpeg")
    item.pubDate(date)
    if episode.description:
        item.description(episode.description)
    if episode.url:
        item.link(href=episode.url)
    item.podcast.itunes_duration(_clock(episode.seconds))
    if episode.author:
        item.podcast.itunes_author(episode.author)
    for suffix, kind in TRANSCRIPTS:
        if (sidecar := _sidecar(episode.path, suffix)).is_file():
            item.podcastindex.transcripts.append((base + quote(sidecar.name), kind))
    suffix, kind = CHAPTERS
    if (sidecar := _sidecar(episode.path, suffix)).is_file():
        item.podcastindex.chapters = (base + quote(sidecar.name), kind)


def _sidecar(mp3: Path, suffix: str) -> Path:
    return mp3.with_name(mp3.stem + suffix)


def _new_guid(episode: Episode, taken: set[str]) -> str:
    for candidate in (_identity_guid(episode.path), episode.url, episode.path.name):
        if candidate and candidate not in taken:
            return candidate
    # Two articles converted with the same --url, and the file name already someone's.
    number = 2
    while f"{episode.path.name}#{number}" in taken:
        number += 1
    return f"{episode.path.name}#{number}"


def _identity_guid(mp3: Path) -> str | None:
    from audiogen.publish import written_identity
    from audiogen.sources.identity import feed_guid

    identity = written_identity(mp3)
    return feed_guid(identity) if identity else None


def _published(tags, mp3: Path) -> datetime:
    """The local time and offset the page gave (publish's TXXX), else TDRC: UTC in ID3v2.4,
    and for a page that gave no zone its own time, taken as UTC; else the file's time."""
    local = tags.getall(f"TXXX:{PUBLISHED}")
    if local and (when := _aware(str(local[0]), naive=None)):
        return when
    if "TDRC" in tags and tags["TDRC"].text:
        stamp = tags["TDRC"].text[0]
        return datetime(
            stamp.year,
            stamp.month or 1,
            stamp.day or 1,
            stamp.hour or 0,
            stamp.minute or 0,
            stamp.second or 0,
            tzinfo=UTC,
        )
    # An undated article: when it was converted is the best date there is.
    return _modified(mp3)


def _modified(mp3: Path) -> datetime:
    return datetime.fromtimestamp(mp3.stat().st_mtime, UTC).replace(microsecond=0)


def _aware(value: object, naive: object = UTC) -> datetime | None:
    """An ISO 8601 time as an aware datetime; one without an offset is in the zone `naive`
    (None: not taken). None for anything else."""
    when = parse_date(value) if isinstance(value, str) else None
    if when is None or (when.tzinfo is None and naive is None):
        return None
    return when if when.tzinfo else when.replace(tzinfo=naive)


def _seconds(tags, audio: MP3) -> float:
    try:
        return int(str(tags["TLEN"])) / 1000
    except (KeyError, ValueError):  # not written, or not a number: measure the audio instead
        return audio.info.length


def _clock(seconds: float) -> str:
    """HH:MM:SS, as itunes:duration is most widely read."""
    minutes, second = divmod(round(seconds), 60)
    hour, minute = divmod(minutes, 60)
    return f"{hour:02d}:{minute:02d}:{second:02d}"


def _text(tags, frame: str) -> str | None:
    if frame not in tags:
        return None
    return str(tags[frame]).strip() or None


def _language(code: str | None) -> str | None:
    """TLAN's ISO 639-2 code as the ISO 639-1 code RSS expects (eng -> en), where one exists."""
    return _ISO_639_1.get(code.lower(), code) if code else None


def _most_common(values: Iterable[str | None], default: str | None = DEFAULT_LANGUAGE):
    counts = collections.Counter(value for value in values if value)
    return counts.most_common(1)[0][0] if counts else default


def _default_description(episodes: list[Episode]) -> str:
    publishers = {e.publisher for e in episodes if e.publisher}
    # One publisher is worth naming; a folder of saved pages from many sites would be a list.
    source = f" from {publishers.pop()}" if len(publishers) == 1 else ""
    return f"Articles{source}, read aloud. Made with audiogen."


def _cover(folder: Path, base: str) -> str | None:
    return next((base + name for name in COVERS if (folder / name).is_file()), None)
