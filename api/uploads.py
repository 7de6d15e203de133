"""Uploaded files saved for the readers: each under a name of our own making, within a size limit.

The name a browser sends is shown back to the user, never used as a path as given: `..`, `.`, `a/b`, 300
characters or two files of the same name are all saved safely, each in its own folder."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dutygraph.graph.errors import InputError
from dutygraph.graph.text import file_component
from fastapi import HTTPException, UploadFile

CHUNK = 1 << 20


@contextmanager
def saved(files: list[UploadFile], limit_bytes: int, fallback: str = "upload.xlsx") -> Iterator[list[Path]]:
    """Writes the uploads to a temporary folder (removed afterwards) and yields their paths; 413 once the
    request's files together pass `limit_bytes`, counted while reading, so a huge file is never held whole. An
    InputError raised inside the block names the uploaded file, never the temporary path: callers do all the work
    that reads the files' rows (routing, checking) inside it."""
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        paths, names = [], {}
        for i, f in enumerate(files):
            folder = Path(tmp) / str(i)
            folder.mkdir()
            path = folder / file_component(f.filename, fallback)
            with path.open("wb") as out:
                while chunk := f.file.read(CHUNK):
                    total += len(chunk)
                    if total > limit_bytes:
                        raise HTTPException(
                            413, f"上传文件过大: 上限 {limit_bytes // (1 << 20)} MB (upload larger than the limit)"
                        )
                    out.write(chunk)
            paths.append(path)
            names[str(path)] = f.filename or path.name
        names[tmp] = "上传文件"  # any other mention of the folder
        try:
            yield paths
        except InputError as e:
            # the readers name the file they opened, our temporary copy: the user is told the name they uploaded
            raise e.renamed(names) from None
