"""Reading posts files: JSON list, JSON Lines, a folder of .txt, and every way a file can be wrong."""

import json

import pytest

from deephype.errors import InputError
from deephype.posts import read_posts

POST = {"title": "Opia - 'Four Winds'", "content": "A gorgeous track.", "url": "https://x.y/opia", "lang": "en"}


def test_json_list_with_null_and_malformed_records(tmp_path):
    path = tmp_path / "posts.json"
    records = [POST, {**POST, "author": None, "domain": None}, "not a post", {**POST, "title": 7}]
    path.write_text(json.dumps(records), encoding="utf-8")
    result = read_posts(path)
    assert [p.title for p in result.posts] == [POST["title"]] * 2
    assert result.posts[1].author == ""
    assert result.malformed == 2


def test_json_lines(tmp_path):
    path = tmp_path / "posts.jsonl"
    path.write_text(json.dumps(POST) + "\n\n" + json.dumps({**POST, "title": "B - C"}) + "\n", encoding="utf-8")
    assert [p.title for p in read_posts(path).posts] == [POST["title"], "B - C"]


def test_folder_of_text_files(tmp_path):
    (tmp_path / "a.txt").write_text("Mt. Joy - Silver Lining\nIt soars.\nAnd glows.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n\n", encoding="utf-8")
    result = read_posts(tmp_path)
    assert result.posts[0].title == "Mt. Joy - Silver Lining"
    assert result.posts[0].content == "It soars.\nAnd glows."
    assert result.malformed == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", b'[{"title": "x",', r"not valid JSON \(line 1"),
        ("empty.json", b"", "is empty"),
        ("scalar.json", b"42", "JSON list of post objects"),
        ("latin1.json", '[{"title": "Beyonc\u00e9"}]'.encode("latin-1"), "not UTF-8"),
        ("bad.jsonl", b'{"title": "a"}\n{oops}\n', "line 2 is not valid JSON"),
    ],
)
def test_bad_files_give_one_clear_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_posts(path)


def test_missing_file_and_empty_folder(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_posts(tmp_path / "missing.json")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no .txt files"):
        read_posts(tmp_path / "empty")
