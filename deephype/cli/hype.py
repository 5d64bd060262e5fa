"""`deephype hype` (candidates for a song, offline when Spotify is not configured) and `deephype detect`."""

from __future__ import annotations

import json

import click

from deephype.cli.common import echo_json, pass_settings
from deephype.config import Settings


@click.command()
@click.argument("argument")
@click.option("--genres", default=None, help='Use these genres instead of looking them up: "indie folk,dream pop".')
@click.option("-n", "count", type=click.IntRange(1, 50), default=None,
              help="How many candidates  [default: generation.candidates]")
@click.option("--seed", type=int, default=None, help="Sample with this seed, to repeat a run exactly.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object, candidates best first.")
@pass_settings
def hype(settings: Settings, argument: str, genres: str | None, count: int | None, seed: int | None,
         as_json: bool) -> None:
    """Write candidate posts about a song: deephype hype "Mt. Joy - Silver Lining".

    Genres come from Spotify when SPOTIPY_CLIENT_ID and SPOTIPY_CLIENT_SECRET are set, else from the genre cache
    and the offline artist table; the source is shown with them.
    """
    # Imported here so `deephype --help` does not wait for torch.
    from deephype.generate import Generator
    from deephype.hype import hype as write_candidates
    from deephype.hype import read_song
    from deephype.song_genres import GenreResolver
    from deephype.spotify import SpotifyGenres
    from deephype.store import Store

    read_song(argument)  # a bad argument fails before the model loads
    generator = Generator.load(settings)
    store = Store.open(settings.path("state_db"))
    spotify = SpotifyGenres.from_environment(settings.spotify, store)
    try:
        result = write_candidates(argument, generator, GenreResolver(settings, store, spotify),
                                  count or settings.generation.candidates, genres, seed=seed)
    finally:
        if spotify is not None:
            spotify.close()
        store.close()
    if as_json:
        echo_json(result.to_dict())
        return
    click.echo(show_result(result))


def show_result(result) -> str:
    """The human-readable report: the song, its genres and their source, notes, then numbered candidates."""
    credit = f" (feat. {', '.join(result.featuring)})" if result.featuring else ""
    version = f" [{result.version}]" if result.version else ""
    lines = [f"{result.artist} - {result.song}{credit}{version}",
             f"Genres: {', '.join(result.genres) or 'none'} (source: {result.genre_source})"]
    lines += [f"Note: {note}" for note in result.notes]
    for rank, candidate in enumerate(result.candidates, start=1):
        lines.append(f"{rank:>2}. [{candidate.score:+.2f}] {candidate.text}")
    return "\n".join(lines)


@click.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help='Print {"artist", "song", "featuring", "version"} or null.')
def detect(text: str, as_json: bool) -> None:
    """Find the artist and song in a tweet, a headline or a /hype argument: deephype detect "Bicep - Opal"."""
    from deephype.songs import detect_song

    ref = detect_song(text)
    if as_json:
        click.echo(json.dumps(ref.to_dict() if ref else None, ensure_ascii=False))
        return
    if ref is None:
        click.echo("No song found.")
        return
    click.echo(f"Artist: {ref.artist}\nSong: {ref.song}")
    if ref.featuring:
        click.echo(f"Featuring: {', '.join(ref.featuring)}")
    if ref.version:
        click.echo(f"Version: {ref.version}")
