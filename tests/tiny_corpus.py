"""A handful of labelled sentences in a real in-memory Store: the corpus the model and training tests share."""

from __future__ import annotations

import json

from deephype.store import Store

LABELS = ["unknown", "indie pop", "folk", "electropop"]

# (text, condition labels, split): short sentences in the corpus's style, placeholders in place.
SENTENCES = [
    ("<artist> returns with <song>, a warm folk stomper.", ["folk"], "train"),
    ("The chorus of <song> swells like a sunrise.", ["folk"], "train"),
    ("<artist> layers hazy synths over a patient beat.", ["indie pop"], "train"),
    ("This dreamy indie pop drifts in slowly and stays for hours.", ["indie pop"], "train"),
    ("<song> is a bouncing electropop anthem with a silly hook.", ["electropop"], "train"),
    ("The bassline never lets the energy drop.", ["electropop", "indie pop"], "train"),
    ("I have had <song> on repeat all week.", ["unknown"], "train"),
    ("Her voice floats above everything like smoke.", ["indie pop"], "train"),
    ("The harmonies on <song> are gorgeous.", ["folk"], "train"),
    ("<artist> recorded the song in a cabin over one winter weekend.", ["folk"], "train"),
    ("<song> is the kind of warm pop that stays for hours.", ["indie pop"], "val"),
    ("The hook of <song> never lets go.", ["electropop"], "val"),
    ("<artist> returns with a hazy folk song.", ["folk"], "val"),
]


def fill_corpus(store: Store, sentences=SENTENCES, labels=LABELS) -> Store:
    """Insert sentences the way `deephype data build` does, with the condition labels in the card."""
    rows = [
        {
            "text": text,
            "artist": "Some Artist",
            "song": "Some Song",
            "genres": json.dumps(condition),
            "genre_sources": json.dumps(["test"] * len(condition)),
            "condition_labels": json.dumps(condition),
            "split": split,
            "n_words": len(text.split()),
        }
        for text, condition, split in sentences
    ]
    store.db["sentences"].insert_all(rows)
    store.put_card({"condition_labels": labels})
    return store


def tiny_store() -> Store:
    return fill_corpus(Store.open(":memory:"))
