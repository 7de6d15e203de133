"""One base exception for the project, so callers can catch DutyGraph failures and nothing else."""

from __future__ import annotations


class DutyGraphError(Exception):
    """Base class of every error DutyGraph raises on purpose."""


class StoreError(DutyGraphError):
    """The graph database could not be started, reached or queried."""


class NotFound(DutyGraphError):
    """A law, article, item or organisation that was asked for does not exist."""


class InputError(DutyGraphError):
    """Bad input data. The message names the file, sheet, row and column where known."""

    def __init__(self, message: str, *, file: str = "", sheet: str = "", row: int | None = None,
                 column: str = "") -> None:
        where = ", ".join(
            p for p in (
                f"文件 {file}" if file else "",
                f"工作表 {sheet}" if sheet else "",
                f"第 {row} 行" if row is not None else "",
                f"列 {column}" if column else "",
            ) if p
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.message = message
        self.file, self.sheet, self.row, self.column = file, sheet, row, column

    def renamed(self, names: dict[str, str]) -> InputError:
        """The same error with server paths (keys) replaced by the names the user knows (values): an upload's
        saved copy by the name it was uploaded under."""
        def swap(text: str) -> str:
            for path, name in names.items():
                text = text.replace(path, name)
            return text

        return InputError(swap(self.message), file=swap(self.file), sheet=self.sheet, row=self.row,
                          column=self.column)


class Conflict(DutyGraphError):
    """The thing changed meanwhile (another decision won): 409 with its current state."""

    def __init__(self, message: str, *, current: str = "") -> None:
        super().__init__(f"{message}; 当前状态: {current}" if current else message)
        self.current = current
