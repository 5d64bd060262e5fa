"""`deephype data build / show / export` end to end on a small posts file, and every way the input can be bad."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from deephype.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_build_export_show(temp_config, small_posts, tmp_path):
    code, output = run("--config", str(temp_config), "data", "build", "--posts", str(small_posts), "--json")
    assert code == 0, output
    funnel = json.loads(output)
    assert funnel["posts"] == 4 and funnel["posts_kept"] == 3  # the round-up is dropped
    assert funnel["sentences"] >= 6 and funnel["sentences_with_genre"] <= funnel["sentences"]
    assert funnel["drop_reasons"]["post:roundup"] == 1

    code, output = run("--config", str(temp_config), "data", "export")
    records = [json.loads(line) for line in output.splitlines()]
    assert len(records) == funnel["sentences"]
    texts = " ".join(r["text"] for r in records)
    assert "<artist>" in texts and "<song>" in texts
    for banned in ("Instagram", "http", "@mtjoyband", "Listen below", "Silver Lining", "Mt. Joy"):
        assert banned not in texts
    assert {r["split"] for r in records} == {"train", "val"}
    for record in records:
        assert set(record) == {"text", "artist", "song", "genres", "genre_sources", "condition_labels", "split"}
        assert len(record["genre_sources"]) == len(record["genres"]) and record["condition_labels"]
    songs_per_split = {}
    for record in records:
        songs_per_split.setdefault((record["artist"], record["song"]), set()).add(record["split"])
    assert all(len(splits) == 1 for splits in songs_per_split.values())  # never a song on both sides

    code, output = run("--config", str(temp_config), "data", "show")
    assert code == 0 and "Funnel:" in output and (tmp_path / "plots" / "corpus.png").stat().st_size > 10_000


def test_rebuild_is_reproducible(temp_config, small_posts):
    outputs = []
    for _ in range(2):
        run("--config", str(temp_config), "data", "build", "--posts", str(small_posts))
        outputs.append(run("--config", str(temp_config), "data", "export")[1])
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"[]", "no usable sentences"),
        (json.dumps([{"title": "Hello", "content": "Buy now."}]).encode(), "no usable sentences"),
    ],
)
def test_bad_posts_leave_the_existing_corpus_alone(temp_config, small_posts, tmp_path, content, message):
    run("--config", str(temp_config), "data", "build", "--posts", str(small_posts))
    before = run("--config", str(temp_config), "data", "export")[1]
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    code, output = run("--config", str(temp_config), "data", "build", "--posts", str(bad))
    assert code == 2 and message in output and "Traceback" not in output
    assert run("--config", str(temp_config), "data", "export")[1] == before


def test_show_without_a_corpus_says_what_to_do(temp_config):
    code, output = run("--config", str(temp_config), "data", "show")
    assert code == 2 and "run `deephype data build` first" in output


def test_heldout_writes_the_posts_of_the_validation_songs(temp_config, small_posts, tmp_path):
    run("--config", str(temp_config), "data", "build", "--posts", str(small_posts))
    records = [json.loads(line) for line in run("--config", str(temp_config), "data", "export")[1].splitlines()]
    val_artists = {r["artist"] for r in records if r["split"] == "val"}
    out = tmp_path / "heldout.json"
    code, output = run("--config", str(temp_config), "data", "heldout", "--posts", str(small_posts), "--out", str(out))
    assert code == 0 and "deephype eval --posts" in output
    written = json.loads(out.read_text())
    originals = {post["title"]: post for post in json.loads(small_posts.read_text())}
    assert written and all(post == {**post, **originals[post["title"]]} for post in written)  # the raw posts
    assert all(any(artist in post["title"] for artist in val_artists) for post in written)
    code, output = run("--config", str(temp_config), "data", "heldout", "--posts", str(small_posts), "--split", "train")
    assert {post["title"] for post in json.loads(output)}.isdisjoint({post["title"] for post in written})
