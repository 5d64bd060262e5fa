"""`deephype data ...`: build, inspect and export the labelled sentence corpus."""

from __future__ import annotations

import json
from pathlib import Path

import click

from deephype.card_plot import plot_card
from deephype.cli.common import DeephypeGroup, echo_json, pass_settings
from deephype.config import Settings
from deephype.corpus_build import build_corpus
from deephype.corpus_export import export_sentences, export_split_posts
from deephype.errors import StoreError
from deephype.posts import read_posts
from deephype.store import Store

FUNNEL_KEYS = ("posts", "posts_kept", "sentences", "sentences_with_genre", "genre_coverage", "coverage_by_source",
               "train_sentences", "val_sentences", "songs", "funnel", "drop_reasons", "build_seconds")


@click.group(cls=DeephypeGroup)
def data() -> None:
    """Build, inspect and export the sentence corpus."""


def corpus_path(settings: Settings, db: str | None) -> Path:
    return Path(db) if db else settings.path("corpus_db")


def open_corpus(path: Path) -> Store:
    if not path.exists():
        raise StoreError(f"no corpus at {path}: run `deephype data build` first")
    return Store.open(path)


@data.command()
@click.option("--posts", "posts_path", type=click.Path(), default=None,
              help="Posts: a JSON list (Mercury format), JSON Lines, or a folder of .txt files (default: config).")
@click.option("--db", default=None, help="Corpus database to write (default: paths.corpus_db in config).")
@click.option("--json", "as_json", is_flag=True, help="Print the funnel as one JSON object.")
@pass_settings
def build(settings: Settings, posts_path: str | None, db: str | None, as_json: bool) -> None:
    """Clean posts into labelled sentences and store them with their funnel and data card."""
    posts = Path(posts_path) if posts_path else settings.path("posts")
    card = build_corpus(settings, posts, corpus_path(settings, db), progress=not as_json)
    if as_json:
        echo_json({key: card[key] for key in FUNNEL_KEYS})
        return
    click.echo(format_funnel(card))
    click.echo(f"\nCorpus written to {corpus_path(settings, db)}. Next: `deephype data show`.")


def format_funnel(card: dict) -> str:
    lines = ["Funnel:"]
    for step in card["funnel"]:
        lines.append(f"  {step['step']:<30} {step['kept']:>7,} {step['unit']:<9} (dropped {step['dropped']:,})")
    lines.append(f"Sentences with a real genre: {card['sentences_with_genre']:,} of {card['sentences']:,} "
                 f"({card['genre_coverage']:.1%}); by source: {json.dumps(card['coverage_by_source'])}")
    lines.append(f"Built in {card['build_seconds']} s")
    return "\n".join(lines)


@data.command()
@click.option("--db", default=None, help="Corpus database (default: paths.corpus_db in config).")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Where to write the PNG (default: <plots_dir>/corpus.png).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole data card as JSON.")
@pass_settings
def show(settings: Settings, db: str | None, plot_path: str | None, as_json: bool) -> None:
    """Print the data card (counts, label coverage, top genres, lengths) and plot the funnel and genres."""
    store = open_corpus(corpus_path(settings, db))
    card = store.card()
    if as_json:
        echo_json(card)
        return
    click.echo(format_funnel(card))
    click.echo(f"\nSongs: {card['songs']:,} ({card['train_songs']:,} train, {card['val_songs']:,} validation); "
               f"sentences: {card['train_sentences']:,} train, {card['val_sentences']:,} validation")
    click.echo(f"Condition labels: {len(card['condition_labels'])}")
    click.echo("Top genres: " + ", ".join(f"{g} ({n})" for g, n in card["top_genres"][:10]))
    click.echo("Lengths (words): " + ", ".join(f"{k}: {v}" for k, v in card["length_histogram"].items()))
    path = plot_card(card, Path(plot_path) if plot_path else settings.path("plots_dir") / "corpus.png")
    click.echo(f"Plot written to {path}")


@data.command()
@click.option("--db", default=None, help="Corpus database (default: paths.corpus_db in config).")
@click.option("--split", type=click.Choice(["train", "val"]), default=None, help="Only one split (default: both).")
@click.option("--out", type=click.Path(dir_okay=False), default="-", help="Output file (default: standard output).")
@pass_settings
def export(settings: Settings, db: str | None, split: str | None, out: str) -> None:
    """Write the kept sentences as JSON Lines (text, artist, song, genres, sources, condition labels, split)."""
    store = open_corpus(corpus_path(settings, db))
    with click.open_file(out, "w", encoding="utf-8") as handle:
        count = export_sentences(store, handle, split)
    if out != "-":
        click.echo(f"{count:,} sentences written to {out}")


@data.command()
@click.option("--db", default=None, help="Corpus database (default: paths.corpus_db in config).")
@click.option("--posts", "posts_path", type=click.Path(), default=None,
              help="The posts the corpus was built from (default: paths.posts in config).")
@click.option("--split", type=click.Choice(["val", "train"]), default="val", show_default=True,
              help="Whose songs' posts to write.")
@click.option("--out", type=click.Path(dir_okay=False), default="-", help="Output file (default: standard output).")
@pass_settings
def heldout(settings: Settings, db: str | None, posts_path: str | None, split: str, out: str) -> None:
    """Write the raw posts of the validation songs as a JSON list, for `deephype eval --posts`.

    The models never trained on these songs: this is how the shipped model is evaluated on held-out data.
    """
    store = open_corpus(corpus_path(settings, db))
    posts = read_posts(posts_path or settings.path("posts"))
    with click.open_file(out, "w", encoding="utf-8") as handle:
        count = export_split_posts(store, posts, handle, split)
    if out != "-":
        click.echo(f"{count:,} posts of {split} songs written to {out}. Next: `deephype eval --posts {out}`.")
