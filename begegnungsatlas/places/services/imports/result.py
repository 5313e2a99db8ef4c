"""The outcome of an import (or of its dry run): counts and one entry per row."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

CREATE, UPDATE, SKIP, EXCLUDED = "create", "update", "skip", "excluded"
ACTION_LABELS = {CREATE: "neu", UPDATE: "aktualisieren", SKIP: "übersprungen", EXCLUDED: "ausgefiltert"}


@dataclass
class RowPlan:
    row: int
    action: str
    name: str = ""
    kommune: str = ""
    area: str = ""
    column: str = ""
    reason: str = ""
    is_error: bool = False  # a bad row (as opposed to a duplicate or a filtered row)
    existing_id: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return _(ACTION_LABELS[self.action])


@dataclass
class ImportResult:
    target: str  # "places" or "context"
    format: str
    row_label: str
    dry_run: bool
    strict: bool
    encoding: str = ""
    delimiter: str = ""
    layer: str = ""
    notes: list[str] = field(default_factory=list)
    rows: list[RowPlan] = field(default_factory=list)
    written: bool = False

    def _count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def created(self) -> int:
        return self._count(CREATE)

    @property
    def updated(self) -> int:
        return self._count(UPDATE)

    @property
    def skipped(self) -> int:
        return self._count(SKIP)

    @property
    def excluded(self) -> int:
        return self._count(EXCLUDED)

    @property
    def errors(self) -> list[RowPlan]:
        return [r for r in self.rows if r.is_error]

    @property
    def skipped_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.action == SKIP]

    @property
    def warnings(self) -> list[tuple[int, str]]:
        return [(r.row, w) for r in self.rows for w in r.warnings]

    @property
    def would_abort(self) -> bool:
        return self.strict and bool(self.errors)

    def summary(self) -> str:
        if self.dry_run:
            text = _("Vorschau: %(total)s %(label)s gelesen – %(c)s neu, %(u)s zu aktualisieren, %(s)s übersprungen, "
                     "%(e)s ausgefiltert. Es wurde nichts gespeichert.")
        else:
            text = _("Import abgeschlossen: %(total)s %(label)s gelesen – %(c)s neu angelegt, %(u)s aktualisiert, "
                     "%(s)s übersprungen, %(e)s ausgefiltert.")
        return text % {"total": self.total, "label": _("Zeilen") if self.row_label == _("Zeile") else _("Objekte"),
                       "c": self.created, "u": self.updated, "s": self.skipped, "e": self.excluded}

    def issue_lines(self) -> list[str]:
        """One German line per skipped row: row, column, reason."""
        out = []
        for r in self.skipped_rows:
            where = f"{self.row_label} {r.row}"
            if r.column:
                where += ", " + _("Spalte „%(c)s“") % {"c": r.column}
            out.append(f"{where}: {r.reason}")
        return out
