"""Query parameters of the pages and the API, validated once for both.

The API declares these models as query parameters (FastAPI validates them and answers 422);
the HTML pages validate the same models from the query string with empty fields dropped,
because a submitted GET form sends every field, filled or not.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..dates import parse_partial
from ..rows import DISAGREEMENT_KINDS as DISAGREEMENT_KINDS  # re-exported for views

EPISODE_KINDS = ("proposal", "talks", "agreement", "ceasefire", "mediation")
ANSWER_KINDS = ("accepted", "rejected", "refused", "ignored", "abandoned", "subverted",
                "conditional", "threatened")
MODALITIES = ("asserted", "reported", "negated", "hypothetical", "demanded", "future")

EpisodeKind = Literal["proposal", "talks", "agreement", "ceasefire", "mediation"]
PartyRole = Literal["proposer", "addressee", "mediator", "host", "signatory"]
Format = Literal["json", "csv", "jsonl"]
PARTY_ROLES = ("proposer", "addressee", "mediator", "host", "signatory")
Modality = Literal["asserted", "reported", "negated", "hypothetical", "demanded", "future"]
DisagreementKind = Literal["quantity", "parties", "characterisation", "denial", "date",
                          "outcome", "scope", "signatories", "statement", "figure",
                          "affiliation"]
AnswerKind = Literal["accepted", "rejected", "refused", "ignored", "abandoned", "subverted",
                     "conditional", "threatened"]

# YYYY, YYYY-MM or YYYY-MM-DD with a day the month can have (29 February is checked later).
DATE_PATTERN = (r"^[1-9][0-9]{3}(-((0[13578]|1[02])(-(0[1-9]|[12][0-9]|3[01]))?"
                r"|(0[469]|11)(-(0[1-9]|[12][0-9]|30))?|02(-(0[1-9]|1[0-9]|2[0-9]))?))?$")
DATE_HINT = "use YYYY, YYYY-MM or YYYY-MM-DD"
CODE_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]{0,39}$"
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000
# Friendlier words than a regular expression for the fields that have a pattern.
HINTS = {
    "date_from": DATE_HINT, "date_to": DATE_HINT,
    "actor": "an actor code such as RUS or a name such as Russia",
    "party": "an actor code such as RUS or a name such as Russia",
    "whose": "an actor code such as UKR", "plover": "a PLOVER type such as REJECT",
    "cameo": "a CAMEO code prefix of 1 to 4 digits, e.g. 036",
    "category": "a claim category such as casualties",
}
NAME_PATTERN = r"^[^\x00-\x1f<>]{1,80}$"
FORMAT_HELP = ("json (a page), jsonl (every matching row, one JSON object a line, streamed) "
               "or csv (every matching row, streamed)")


def _date_field(description: str) -> Any:
    return Field(None, pattern=DATE_PATTERN, description=f"{description} ({DATE_HINT}).",
                 examples=["2022-03"])


class Page(BaseModel):
    """Paging: ``limit`` rows from ``offset``."""

    model_config = ConfigDict(extra="forbid")

    limit: int | None = Field(None, ge=1, le=MAX_LIMIT,
                              description="Rows per page (1-1000; default 100 in the API).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")


class _Dated(Page):
    date_from: str | None = _date_field("Ending on or after this date")
    date_to: str | None = _date_field("Starting on or before this date")

    @field_validator("date_from", "date_to")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            parsed = parse_partial(value)
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValueError(f"{value!r} is not a date; {DATE_HINT}")
        return value

    def date_bounds(self) -> tuple[str | None, str | None]:
        """The filter dates as ISO days: the first day of ``from``, the last day of ``to``."""
        lo = parse_partial(self.date_from) if self.date_from else None
        hi = parse_partial(self.date_to) if self.date_to else None
        return (lo.start.isoformat() if lo else None, hi.end.isoformat() if hi else None)


class EpisodeFilter(_Dated):
    """Filters of the timeline and of ``/api/episodes``."""

    party: str | None = Field(None, pattern=NAME_PATTERN,
                              description="A party: an actor code (RUS) or a name (Russia, "
                                          "the Kremlin, Lavrov).")
    role: PartyRole | None = Field(None, description="The party's role: proposer, addressee, "
                                   "mediator, host or signatory (default: any).")
    kind: EpisodeKind | None = Field(None, description="Episode kind.")
    answer: AnswerKind | None = Field(None, description="Only episodes with this answer.")
    provision: str | None = Field(None, pattern=r"^[A-Za-z0-9_ -]{1,60}$",
                                  description="Only episodes with this term (provision name "
                                              "or id, e.g. ceasefire line).")
    outlet: str | None = Field(None, pattern=NAME_PATTERN,
                               description="Only episodes reported by this outlet.")
    disputed: bool | None = Field(None, description="Only episodes that sources dispute.")
    doc: str | None = Field(None, min_length=1, max_length=300,
                            description="Only episodes this document reports (id or prefix).")
    sort: Literal["date", "-date", "sources", "-sources", "mentions", "-mentions"] = Field(
        "date", description="Order: date, sources or mentions; '-' first for descending.")
    format: Format = Field("json", description=FORMAT_HELP)


class EventFilter(_Dated):
    """Filters of the events table and of ``/api/events``."""

    actor: str | None = Field(None, pattern=NAME_PATTERN,
                              description="Source or target: a code (RUS) or a name (Russia).")
    q: str | None = Field(None, min_length=1, max_length=200,
                          description="Words the sentence contains (full-text search).")
    plover: str | None = Field(None, pattern=r"^[A-Za-z_]{1,40}$", description="PLOVER type.")
    cameo: str | None = Field(None, pattern=r"^[0-9]{1,4}$", description="CAMEO code prefix.")
    modality: Modality | None = Field(None, description="Only this modality.")
    doc: str | None = Field(None, min_length=1, max_length=300,
                            description="Only this document (id or id prefix).")
    sort: Literal["date", "-date"] = Field("date", description="date (oldest first) or "
                                           "-date (newest first).")
    format: Format = Field("json", description=FORMAT_HELP)


class ClaimFilter(Page):
    """Filters of the claims table and of ``/api/claims``."""

    category: str | None = Field(None, pattern=r"^[A-Za-z_-]{1,40}$",
                                 description="losses, munitions, money, area, population, ...")
    whose: str | None = Field(None, pattern=NAME_PATTERN,
                              description="Only quantities of this actor (code or name).")
    doc: str | None = Field(None, min_length=1, max_length=300,
                            description="Only this document (id or id prefix).")
    format: Format = Field("json", description=FORMAT_HELP)


class DisagreementFilter(Page):
    """Filters of ``/api/disagreements``."""

    kind: DisagreementKind | None = Field(None, description="Disagreement kind.")
    episode: str | None = Field(None, min_length=1, max_length=100,
                                description="Only disagreements about this episode.")
    format: Format = Field("json", description=FORMAT_HELP)


class SearchFilter(Page):
    """Parameters of the search page and of ``/api/search``."""

    q: str = Field(..., min_length=1, max_length=200,
                   description="Words to find in sentences and document titles, and actor "
                               "names (Russia, the Kremlin, Lavrov).")


def form_values(params: Any) -> dict[str, str]:
    """Query-string values of a submitted form, without the fields left empty."""
    return {k: v.strip() for k, v in params.items() if v.strip()}


def query_string(model: BaseModel, **changes: Any) -> str:
    """The filters of ``model`` (with ``changes``) as a query string, defaults left out."""
    from urllib.parse import urlencode

    values = {**model.model_dump(exclude_defaults=True), **changes}
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def validation_details(errors: Any) -> list[dict[str, Any]]:
    """Pydantic errors as ``{param, message}``, in words a user can act on."""
    out = []
    for err in errors:
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body")]
        name = loc[-1] if loc else "request"
        message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        if err.get("type") == "string_pattern_mismatch" and name in HINTS:
            message = HINTS[name]
        elif err.get("type") == "extra_forbidden":
            message = "unknown parameter"
        out.append({"param": name, "message": message})
    return out
