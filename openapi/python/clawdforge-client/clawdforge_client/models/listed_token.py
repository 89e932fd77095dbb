from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.listed_token_tools_item import ListedTokenToolsItem

T = TypeVar("T", bound="ListedToken")


@_attrs_define
class ListedToken:
    """
    Attributes:
        name (str):
        ip_cidrs (list[str]):
        created_at (datetime.datetime):
        last_used_at (datetime.datetime | None):
        models (list[str] | None):
        tools (list[ListedTokenToolsItem]):
        max_concurrent (int | None):
        max_timeout_secs (int | None):
        runs_per_hour (int | None):
        runs_per_day (int | None):
        cost_usd_per_day (float | None):
        expires_at (datetime.datetime | None):
        max_stored_bytes (int | None):
        max_live_files (int | None):
        webhook_url (None | str):
        previous_token_expires_at (datetime.datetime | None):
        stored_bytes (int):
        stored_files (int):
    """

    name: str
    ip_cidrs: list[str]
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    models: list[str] | None
    tools: list[ListedTokenToolsItem]
    max_concurrent: int | None
    max_timeout_secs: int | None
    runs_per_hour: int | None
    runs_per_day: int | None
    cost_usd_per_day: float | None
    expires_at: datetime.datetime | None
    max_stored_bytes: int | None
    max_live_files: int | None
    webhook_url: None | str
    previous_token_expires_at: datetime.datetime | None
    stored_bytes: int
    stored_files: int

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        ip_cidrs = self.ip_cidrs

        created_at = self.created_at.isoformat()

        last_used_at: None | str
        if isinstance(self.last_used_at, datetime.datetime):
            last_used_at = self.last_used_at.isoformat()
        else:
            last_used_at = self.last_used_at

        models: list[str] | None
        if isinstance(self.models, list):
            models = self.models

        else:
            models = self.models

        tools = []
        for tools_item_data in self.tools:
            tools_item = tools_item_data.value
            tools.append(tools_item)

        max_concurrent: int | None
        max_concurrent = self.max_concurrent

        max_timeout_secs: int | None
        max_timeout_secs = self.max_timeout_secs

        runs_per_hour: int | None
        runs_per_hour = self.runs_per_hour

        runs_per_day: int | None
        runs_per_day = self.runs_per_day

        cost_usd_per_day: float | None
        cost_usd_per_day = self.cost_usd_per_day

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        max_stored_bytes: int | None
        max_stored_bytes = self.max_stored_bytes

        max_live_files: int | None
        max_live_files = self.max_live_files

        webhook_url: None | str
        webhook_url = self.webhook_url

        previous_token_expires_at: None | str
        if isinstance(self.previous_token_expires_at, datetime.datetime):
            previous_token_expires_at = self.previous_token_expires_at.isoformat()
        else:
            previous_token_expires_at = self.previous_token_expires_at

        stored_bytes = self.stored_bytes

        stored_files = self.stored_files

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "ip_cidrs": ip_cidrs,
                "created_at": created_at,
                "last_used_at": last_used_at,
                "models": models,
                "tools": tools,
                "max_concurrent": max_concurrent,
                "max_timeout_secs": max_timeout_secs,
                "runs_per_hour": runs_per_hour,
                "runs_per_day": runs_per_day,
                "cost_usd_per_day": cost_usd_per_day,
                "expires_at": expires_at,
                "max_stored_bytes": max_stored_bytes,
                "max_live_files": max_live_files,
                "webhook_url": webhook_url,
                "previous_token_expires_at": previous_token_expires_at,
                "stored_bytes": stored_bytes,
                "stored_files": stored_files,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        ip_cidrs = cast(list[str], d.pop("ip_cidrs"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_last_used_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_used_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_used_at = _parse_last_used_at(d.pop("last_used_at"))

        def _parse_models(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                models_type_0 = cast(list[str], data)

                return models_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        models = _parse_models(d.pop("models"))

        tools = []
        _tools = d.pop("tools")
        for tools_item_data in _tools:
            tools_item = ListedTokenToolsItem(tools_item_data)

            tools.append(tools_item)

        def _parse_max_concurrent(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_concurrent = _parse_max_concurrent(d.pop("max_concurrent"))

        def _parse_max_timeout_secs(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_timeout_secs = _parse_max_timeout_secs(d.pop("max_timeout_secs"))

        def _parse_runs_per_hour(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        runs_per_hour = _parse_runs_per_hour(d.pop("runs_per_hour"))

        def _parse_runs_per_day(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        runs_per_day = _parse_runs_per_day(d.pop("runs_per_day"))

        def _parse_cost_usd_per_day(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        cost_usd_per_day = _parse_cost_usd_per_day(d.pop("cost_usd_per_day"))

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        def _parse_max_stored_bytes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_stored_bytes = _parse_max_stored_bytes(d.pop("max_stored_bytes"))

        def _parse_max_live_files(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_live_files = _parse_max_live_files(d.pop("max_live_files"))

        def _parse_webhook_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        webhook_url = _parse_webhook_url(d.pop("webhook_url"))

        def _parse_previous_token_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_token_expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return previous_token_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        previous_token_expires_at = _parse_previous_token_expires_at(d.pop("previous_token_expires_at"))

        stored_bytes = d.pop("stored_bytes")

        stored_files = d.pop("stored_files")

        listed_token = cls(
            name=name,
            ip_cidrs=ip_cidrs,
            created_at=created_at,
            last_used_at=last_used_at,
            models=models,
            tools=tools,
            max_concurrent=max_concurrent,
            max_timeout_secs=max_timeout_secs,
            runs_per_hour=runs_per_hour,
            runs_per_day=runs_per_day,
            cost_usd_per_day=cost_usd_per_day,
            expires_at=expires_at,
            max_stored_bytes=max_stored_bytes,
            max_live_files=max_live_files,
            webhook_url=webhook_url,
            previous_token_expires_at=previous_token_expires_at,
            stored_bytes=stored_bytes,
            stored_files=stored_files,
        )

        return listed_token
