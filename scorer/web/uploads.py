"""Uploads are size-limited as they stream in: a file past the limit is skipped chunk by chunk (never held whole)
and the request remembers it, so that the page says "too large" instead of the server failing."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from scorer.web.config import UPLOAD_LIMIT


class LimitedUpload(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > UPLOAD_LIMIT:
            assert self.request is not None
            self.request.too_large = self.file_name  # type: ignore[attr-defined]
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file
